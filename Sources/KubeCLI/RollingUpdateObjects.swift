import Foundation
import KubeAPI
import KubeCore

/// Pure helpers over controller objects used by the rolling update.
///
/// Namespace of pure functions.
enum RollingUpdateObjects {
    /// A copy fit for a create: the server-assigned fields cleared (kubectl relied on the server ignoring them).
    static func forCreate(_ rc: ReplicationController) -> ReplicationController {
        var copy = rc
        copy.metadata.resourceVersion = ""
        copy.metadata.uid = ""
        copy.metadata.creationTimestamp = nil
        copy.metadata.generation = 0
        copy.metadata.managedFields = []
        copy.metadata.selfLink = ""
        copy.status = ReplicationControllerStatus()
        return copy
    }

    /// Upstream `util.HashObject`: the hex MD5 of the object's JSON encoding.
    static func hash(_ rc: ReplicationController) throws -> String {
        MD5Digest.hex([UInt8](try KubeJSON.encode(rc)))
    }

    /// `key=value` pairs joined by commas, sorted by key (upstream `labels.Set.AsSelector().String()`).
    static func selectorString(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
