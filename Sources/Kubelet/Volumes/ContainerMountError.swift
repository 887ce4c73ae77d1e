/// A container's volume mounts cannot be built. Descriptions are upstream's `makeMounts` messages, which the
/// kubelet shows as the container's `CreateContainerConfigError`.
///
/// Value type; Sendable.
public enum ContainerMountError: Error, Sendable, Equatable, CustomStringConvertible {
    case volumeNotFound(volume: String, container: String)
    case absoluteSubPath(String)
    case subPathBacksteps(String)
    case subPathOutsideVolume(subPath: String, volumePath: String)
    case subPathCreationFailed(volumeMount: String, container: String)
    case missingSubPathVariables([String])
    case bidirectionalPropagationNotPrivileged
    case invalidPropagation(String)
    case terminationMessageFile(String)

    /// The waiting reason the kubelet shows for these errors.
    public static let waitingReason = "CreateContainerConfigError"

    public var description: String {
        switch self {
        case .volumeNotFound(let volume, let container):
            "cannot find volume \"\(volume)\" to mount into container \"\(container)\""
        case .absoluteSubPath(let subPath): "error SubPath `\(subPath)` must not be an absolute path"
        case .subPathBacksteps(let subPath): "unable to provision SubPath `\(subPath)`: must not contain '..'"
        case .subPathOutsideVolume(let subPath, let volumePath):
            "subpath \"\(subPath)\" not within volume path \"\(volumePath)\""
        case .subPathCreationFailed(let volumeMount, let container):
            "failed to create subPath directory for volumeMount \"\(volumeMount)\" of container \"\(container)\""
        case .missingSubPathVariables(let names): "missing value for \(names.joined(separator: ", "))"
        case .bidirectionalPropagationNotPrivileged:
            "Bidirectional mount propagation is available only to privileged containers"
        case .invalidPropagation(let mode): "invalid MountPropagation mode: \"\(mode)\""
        case .terminationMessageFile(let detail): "failed to create the termination message file: \(detail)"
        }
    }
}
