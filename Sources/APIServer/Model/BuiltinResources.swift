/// The resources Swiftlet serves: every kind of the generated ``KubeAPI/APIRegistry``, each with its
/// discovery facts, a typed strategy (decoding, defaulting, validation), selectable fields and printer
/// (see ``APICatalog``).
///
/// Stateless namespace; the catalog it builds is an immutable Sendable value.
public enum BuiltinResources {
    public static func catalog() -> ResourceCatalog {
        ResourceCatalog(APICatalog.resources())
    }

    /// Namespaces that exist from the start, as in every Kubernetes cluster.
    static let defaultNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]
}
