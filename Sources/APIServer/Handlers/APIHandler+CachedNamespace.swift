import KubeCore

/// What the watch cache knows about one namespace, for the namespace lifecycle check of creates.
///
/// Value type; Sendable.
enum CachedNamespaceState: Sendable, Equatable {
    /// The cache holds the namespace and it is neither being deleted nor `Terminating`.
    case active
    /// The cache holds the namespace and it has a `deletionTimestamp` or phase `Terminating`.
    case terminating
    /// No watch cache, a cache that is not ready, or a cache without the namespace: ask the store.
    case unknown
}

extension ListSelection {
    /// Selects the object named `name` (by `metadata.name`), whatever its labels.
    init(name: String) {
        labels = .everything
        fields = FieldSelector(matchingFields: ["metadata.name": name])
    }
}

extension APIHandler {
    /// The namespace `name` as the watch cache holds it (upstream NamespaceLifecycle reads its informer
    /// cache first and reads live only when the cache does not have the namespace). Like an informer, the
    /// cache may trail the store by a moment.
    func cachedNamespaceState(_ name: String, namespaces: ServedResource) -> CachedNamespaceState {
        guard let cache = watchCache,
              let snapshot = cache.list(namespaces, namespace: nil, selection: ListSelection(name: name), limit: 1),
              let entry = snapshot.items.first,
              let object = try? JSONValueParser.parse(entry.value), object.name == name
        else { return .unknown }
        return Self.isTerminating(namespace: object) ? .terminating : .active
    }

    /// Whether a Namespace object refuses new content: being deleted, or phase `Terminating`.
    static func isTerminating(namespace object: JSONValue) -> Bool {
        object.isBeingDeleted || object["status"]?["phase"]?.stringValue == "Terminating"
    }
}
