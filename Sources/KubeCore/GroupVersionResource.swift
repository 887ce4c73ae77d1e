/// A group, version and (plural, lowercase) resource, e.g. `apps/v1, Resource=deployments`.
/// Value type; Sendable.
public struct GroupVersionResource: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var resource: String

    public init(group: String, version: String, resource: String) {
        self.group = group
        self.version = version
        self.resource = resource
    }

    public var groupVersion: GroupVersion { GroupVersion(group: group, version: version) }
    public var groupResource: GroupResource { GroupResource(group: group, resource: resource) }
    public var apiVersion: String { groupVersion.apiVersion }

    /// Upstream `String()`: `group/version, Resource=resource`.
    public var description: String { group + "/" + version + ", Resource=" + resource }
}
