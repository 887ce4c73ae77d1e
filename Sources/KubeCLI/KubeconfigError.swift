/// Why a kubeconfig could not be used; descriptions say what to fix.
///
/// Value type; Sendable.
public enum KubeconfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case noConfiguration(paths: [String])
    case unreadableFile(String, detail: String)
    case invalidFile(String, detail: String)
    case noCurrentContext
    case contextNotFound(String)
    case clusterNotFound(String, context: String)
    case userNotFound(String, context: String)
    case invalidCluster(String, detail: String)
    case invalidBase64(field: String)

    public var description: String {
        switch self {
        case .noConfiguration(let paths):
            "no kubeconfig found (looked at \(paths.joined(separator: ", "))); pass --kubeconfig or set KUBECONFIG"
        case .unreadableFile(let path, let detail):
            "unable to read \(path): \(detail)"
        case .invalidFile(let path, let detail):
            "error loading config file \"\(path)\": \(detail)"
        case .noCurrentContext:
            "current-context is not set; pass --context or run kubectl config use-context"
        case .contextNotFound(let name):
            "context was not found for specified context: \(name)"
        case .clusterNotFound(let name, let context):
            "cluster \"\(name)\" of context \"\(context)\" was not found in the kubeconfig"
        case .userNotFound(let name, let context):
            "user \"\(name)\" of context \"\(context)\" was not found in the kubeconfig"
        case .invalidCluster(let name, let detail):
            "cluster \"\(name)\": \(detail)"
        case .invalidBase64(let field):
            "\(field) is not valid base64"
        }
    }
}
