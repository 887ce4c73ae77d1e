public import KubeCore

/// One resource the API server serves: its discovery facts, how objects of it are normalised, defaulted
/// and validated (`strategy`), which fields field selectors may use, and where it lives in the store.
///
/// Value type; Sendable.
public struct ServedResource: Sendable {
    public var group: String
    public var version: String
    public var kind: String
    public var listKind: String
    public var plural: String
    public var singular: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    public var verbs: [String]
    public var subresources: [ServedSubresource]
    public var strategy: any ObjectStrategy
    /// Field-selector fields beyond `metadata.name` and `metadata.namespace`.
    public var selectableFields: @Sendable (JSONValue) -> [String: String]
    /// The `kubectl get` columns; nil = NAME and CREATED AT.
    public var printer: TablePrinter?

    public init(
        group: String, version: String, kind: String, plural: String, singular: String, namespaced: Bool,
        shortNames: [String] = [], categories: [String] = [],
        verbs: [String] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
        subresources: [ServedSubresource] = [], strategy: any ObjectStrategy = GenericStrategy(),
        selectableFields: @escaping @Sendable (JSONValue) -> [String: String] = { _ in [:] },
        printer: TablePrinter? = nil
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.listKind = kind + "List"
        self.plural = plural
        self.singular = singular
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.verbs = verbs
        self.subresources = subresources
        self.strategy = strategy
        self.selectableFields = selectableFields
        self.printer = printer
    }

    /// `v1` or `apps/v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var groupResource: GroupResource { GroupResource(group: group, resource: plural) }

    public var groupKind: GroupKind { GroupKind(group: group, kind: kind) }

    public var hasStatus: Bool { subresources.contains { $0.name == "status" } }

    /// The store key prefix of every object of this resource (ends with "/").
    public var keyPrefix: String { "/registry/\(group.isEmpty ? "core" : group)/\(plural)/" }

    /// The store key prefix of the objects in `namespace` (or of all, for nil / cluster scope).
    public func keyPrefix(namespace: String?) -> String {
        guard namespaced, let namespace, !namespace.isEmpty else { return keyPrefix }
        return keyPrefix + namespace + "/"
    }

    /// The store key of one object.
    public func key(namespace: String?, name: String) -> String {
        namespaced ? keyPrefix + (namespace ?? "") + "/" + name : keyPrefix + name
    }

    /// The store key of a core (`v1`) object, for components that read the store without the catalog.
    static func coreKey(plural: String, namespace: String?, name: String) -> String {
        "/registry/core/\(plural)/" + (namespace.map { $0 + "/" } ?? "") + name
    }

    /// All fields field selectors can use on `object`.
    func fields(of object: JSONValue) -> [String: String] {
        var fields = selectableFields(object)
        fields["metadata.name"] = object.name
        if namespaced { fields["metadata.namespace"] = object.namespace }
        return fields
    }
}

/// A subresource (`status`, `scale`, `log`, ...) as discovery advertises it.
///
/// Value type; Sendable.
public struct ServedSubresource: Sendable {
    public var name: String
    public var group: String
    public var version: String
    public var kind: String
    public var verbs: [String]

    public init(name: String, group: String, version: String, kind: String, verbs: [String]) {
        self.name = name
        self.group = group
        self.version = version
        self.kind = kind
        self.verbs = verbs
    }
}
