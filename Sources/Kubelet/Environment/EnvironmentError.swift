/// Why a container's environment (or a Downward API value) could not be built. The description is the
/// message upstream's kubelet puts into the container's `CreateContainerConfigError` waiting state and
/// the `Failed` event.
///
/// Value type; Sendable.
public enum EnvironmentError: Error, Sendable, Equatable, CustomStringConvertible {
    case configMapNotFound(name: String)
    case secretNotFound(name: String)
    case configMapKeyNotFound(namespace: String, name: String, key: String)
    case secretKeyNotFound(namespace: String, name: String, key: String)
    /// Fetching the object failed for another reason than its absence (API server unreachable, forbidden).
    case objectUnavailable(kind: String, namespace: String, name: String, detail: String)
    case unsupportedPodVersion(String)
    case unsupportedFieldLabel(String)
    case unsupportedFieldPath(String)
    case unsupportedContainerResource(String)
    /// A `resourceFieldRef` of a downwardAPI volume names a container the pod does not have.
    case containerNotFound(String)
    /// A `subPathExpr` references variables the container's environment does not define (or defines empty).
    case missingSubPathVariables([String])

    /// The waiting reason the kubelet shows for these errors.
    public static let waitingReason = "CreateContainerConfigError"

    public var description: String {
        switch self {
        case .configMapNotFound(let name): "configmap \"\(name)\" not found"
        case .secretNotFound(let name): "secret \"\(name)\" not found"
        case .configMapKeyNotFound(let namespace, let name, let key):
            "couldn't find key \(key) in ConfigMap \(namespace)/\(name)"
        case .secretKeyNotFound(let namespace, let name, let key):
            "couldn't find key \(key) in Secret \(namespace)/\(name)"
        case .objectUnavailable(let kind, let namespace, let name, let detail):
            "couldn't get \(kind) \(namespace)/\(name): \(detail)"
        case .unsupportedPodVersion(let version): "unsupported pod version: \(version)"
        case .unsupportedFieldLabel(let label): "field label not supported: \(label)"
        case .unsupportedFieldPath(let path): "unsupported fieldPath: \(path)"
        case .unsupportedContainerResource(let resource): "unsupported container resource : \(resource)"
        case .containerNotFound(let name): "container \(name) not found"
        case .missingSubPathVariables(let names): "missing value for \(names.joined(separator: ", "))"
        }
    }
}
