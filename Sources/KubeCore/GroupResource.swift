/// A group and resource, e.g. `deployments.apps`; core resources render without a group (`pods`).
/// Used in API error messages.
/// Value type; Sendable.
public struct GroupResource: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var resource: String

    public init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }

    /// Upstream `ParseGroupResource`: `deployments.apps` → (apps, deployments); no dot → core group.
    public init(parsing text: String) {
        if let dot = text.firstIndex(of: ".") {
            self.init(group: String(text[text.index(after: dot)...]), resource: String(text[..<dot]))
        } else {
            self.init(group: "", resource: text)
        }
    }

    public var isEmpty: Bool { group.isEmpty && resource.isEmpty }

    public func withVersion(_ version: String) -> GroupVersionResource {
        GroupVersionResource(group: group, version: version, resource: resource)
    }

    /// `resource` for the core group, else `resource.group`.
    public var description: String { group.isEmpty ? resource : resource + "." + group }
}
