/// A volume of a pod could not be set up. The description is upstream's `FailedMount` event message,
/// `MountVolume.SetUp failed for volume "<name>" : <problem>`; the pod stays `ContainerCreating` and the
/// kubelet retries.
///
/// Value type; Sendable.
public struct VolumeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The event reason upstream records for these failures.
    public static let eventReason = "FailedMount"

    public var volumeName: String
    public var problem: VolumeProblem
    /// The pod's other volumes that failed in the same set-up pass (upstream records one `FailedMount`
    /// event per volume).
    public var otherFailures: [VolumeError] = []

    public init(volumeName: String, problem: VolumeProblem) {
        self.volumeName = volumeName
        self.problem = problem
    }

    /// This failure and the others of the same pass, in the pod's volume order.
    public var allFailures: [VolumeError] {
        var first = self
        first.otherFailures = []
        return [first] + otherFailures
    }

    public var description: String {
        "MountVolume.SetUp failed for volume \"\(volumeName)\" : \(problem)"
    }
}

/// What went wrong with one volume, in upstream's words.
///
/// Value type; Sendable.
public enum VolumeProblem: Error, Sendable, Equatable, CustomStringConvertible {
    case configMapNotFound(name: String)
    case secretNotFound(name: String)
    /// The API server could not be asked (unreachable, forbidden, …).
    case objectUnavailable(kind: String, namespace: String, name: String, detail: String)
    case configMapKeyNotFound(key: String)
    case secretKeyNotFound(key: String)
    /// `hostPath type check failed: /x is not a directory` (`expected` is "a directory", "a file", …).
    case hostPathTypeMismatch(path: String, expected: String)
    case invalidHostPathType(String)
    case unknownStorageMedium(String)
    case invalidPath(String, String)
    case downwardAPI(String)
    case tokenRequestFailed(String)
    case fileSystem(String)
    case mountFailed(String)
    case unsupportedVolumeType(String)
    /// Several sources of a projected or downwardAPI volume failed (upstream's aggregate `[a, b]`).
    case multiple([VolumeProblem])

    public var description: String {
        switch self {
        case .configMapNotFound(let name): "configmap \"\(name)\" not found"
        case .secretNotFound(let name): "secret \"\(name)\" not found"
        case .objectUnavailable(let kind, let namespace, let name, let detail):
            "couldn't get \(kind) \(namespace)/\(name): \(detail)"
        case .configMapKeyNotFound(let key): "configmap references non-existent config key: \(key)"
        case .secretKeyNotFound(let key): "references non-existent secret key: \(key)"
        case .hostPathTypeMismatch(let path, let expected): "hostPath type check failed: \(path) is not \(expected)"
        case .invalidHostPathType(let type): "\(type) is an invalid volume type"
        case .unknownStorageMedium(let medium): "unknown storage medium \"\(medium)\""
        case .invalidPath(let path, let reason): "invalid path \"\(path)\": \(reason)"
        case .downwardAPI(let detail): detail
        case .tokenRequestFailed(let detail): "failed to fetch token: \(detail)"
        case .fileSystem(let detail): detail
        case .mountFailed(let detail): "mount failed: \(detail)"
        case .unsupportedVolumeType(let type):
            "\(type) volumes are not supported by this node; use emptyDir, hostPath, configMap, secret, downwardAPI or projected"
        case .multiple(let problems):
            problems.count == 1 ? problems[0].description : "[" + problems.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
