/// Lookups over the generated tables. The dictionaries are built once, on first use.
extension APIRegistry {
    /// The schema of the Swift type `name` (generated types and the KubeCore meta types).
    public static func schema(named name: String) -> TypeSchema? {
        schemas[name]
    }

    /// The resource served at `group/version/plural`.
    public static func resource(group: String, version: String, plural: String) -> ResourceInfo? {
        resourceType(group: group, version: version, plural: plural)?.resource
    }

    /// The resource whose kind is `kind` in `group/version`.
    public static func resource(forKind kind: String, group: String, version: String) -> ResourceInfo? {
        Index.byKind[IndexKey(group: group, version: version, name: kind)]?.resource
    }

    /// The Swift type of the resource served at `group/version/plural`.
    public static func resourceType(group: String, version: String, plural: String) -> (any KubeResource.Type)? {
        Index.byPlural[IndexKey(group: group, version: version, name: plural)]
    }

    /// The Swift type of the resource whose kind is `kind` in `group/version`.
    public static func resourceType(forKind kind: String, group: String, version: String) -> (any KubeResource.Type)? {
        Index.byKind[IndexKey(group: group, version: version, name: kind)]
    }

    private struct IndexKey: Hashable {
        var group: String
        var version: String
        var name: String
    }

    private enum Index {
        static let byPlural: [IndexKey: any KubeResource.Type] = Dictionary(
            resourceTypes.map { (IndexKey(group: $0.resource.group, version: $0.resource.version, name: $0.resource.plural), $0) },
            uniquingKeysWith: { first, _ in first }
        )
        static let byKind: [IndexKey: any KubeResource.Type] = Dictionary(
            resourceTypes.map { (IndexKey(group: $0.resource.group, version: $0.resource.version, name: $0.resource.kind), $0) },
            uniquingKeysWith: { first, _ in first }
        )
    }
}
