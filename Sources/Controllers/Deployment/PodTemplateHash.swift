public import KubeAPI
import Foundation
import KubeCore

/// Upstream `controller.ComputeHash` and `rand.SafeEncodeString`: the `pod-template-hash` label value
/// and ReplicaSet name suffix of a Deployment's pod template. Swiftlet hashes a canonical encoding of the
/// template (JSON with sorted keys) with 32-bit FNV-1a, mixes in `collisionCount` as upstream (8 bytes,
/// little-endian), and spells the decimal digits in upstream's alphabet without vowels.
///
/// Stateless; Sendable.
public enum PodTemplateHash {
    /// Upstream `apps.DefaultDeploymentUniqueLabelKey`.
    public static let labelKey = "pod-template-hash"
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    public static func compute(_ template: PodTemplateSpec, collisionCount: Int32?) -> String {
        var hash: UInt32 = 2_166_136_261
        func write(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt32(byte)
                hash = hash &* 16_777_619
            }
        }
        write((try? KubeJSON.encode(template)).map { [UInt8]($0) } ?? [])
        if let collisionCount {
            let value = UInt32(bitPattern: collisionCount)
            write([UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF),
                   UInt8(value >> 24), 0, 0, 0, 0])
        }
        return safeEncode(String(hash))
    }

    /// Upstream `SafeEncodeString`: each byte mapped into the alphabet modulo its length.
    public static func safeEncode(_ text: String) -> String {
        String(text.utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// Upstream `EqualIgnoreHash`: the templates are equal once the hash label is dropped from both.
    public static func equalIgnoringHash(_ first: PodTemplateSpec, _ second: PodTemplateSpec) -> Bool {
        var first = first
        var second = second
        first.metadata.labels[labelKey] = nil
        second.metadata.labels[labelKey] = nil
        return first == second
    }
}
