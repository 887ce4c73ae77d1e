public import KubeCore

/// What discovery says about one served resource (upstream `metav1.APIResource` plus its list kind).
/// Generated for every type with a `resource:` block. Value type; Sendable.
public struct ResourceInfo: Hashable, Sendable {
    /// The verbs a resource supports when its YAML lists none.
    public static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// API group; `""` for the core group.
    public var group: String
    public var version: String
    /// The kind, e.g. `Deployment` (the YAML `name`, not the Swift `swiftName`).
    public var kind: String
    /// The kind of list responses, e.g. `DeploymentList`.
    public var listKind: String
    /// Lowercase plural used in URLs, e.g. `deployments`.
    public var plural: String
    /// Lowercase singular, e.g. `deployment`.
    public var singular: String
    public var namespaced: Bool
    public var shortNames: [String]
    public var categories: [String]
    public var subresources: [SubresourceInfo]
    public var verbs: [String]

    public init(
        group: String,
        version: String,
        kind: String,
        listKind: String? = nil,
        plural: String,
        singular: String,
        namespaced: Bool,
        shortNames: [String] = [],
        categories: [String] = [],
        subresources: [SubresourceInfo] = [],
        verbs: [String] = ResourceInfo.standardVerbs
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.listKind = listKind ?? kind + "List"
        self.plural = plural
        self.singular = singular
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.subresources = subresources
        self.verbs = verbs
    }

    /// `group/version`, or just `version` for the core group.
    public var apiVersion: String { groupVersion.apiVersion }
    public var groupVersion: GroupVersion { GroupVersion(group: group, version: version) }
    public var groupVersionResource: GroupVersionResource {
        GroupVersionResource(group: group, version: version, resource: plural)
    }
    public var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }
    public var groupResource: GroupResource { GroupResource(group: group, resource: plural) }

    /// The subresource called `name` (`status`, `scale`, ...), if served.
    public func subresource(named name: String) -> SubresourceInfo? {
        subresources.first { $0.name == name }
    }
}

/// One subresource of a ``ResourceInfo`` (discovery lists it as `<plural>/<name>`), with the kind its
/// requests and responses carry (`scale` → `autoscaling/v1 Scale`, `status` → the parent kind).
/// Value type; Sendable.
public struct SubresourceInfo: Hashable, Sendable {
    /// `status`, `scale`, `log`, `exec`, ...
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

    public var groupVersionKind: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }
}
