/// An API group and version, e.g. `apps/v1`; the core group is `""` and renders as just `v1`.
/// Value type; Sendable.
public struct GroupVersion: Hashable, Sendable, Codable, CustomStringConvertible {
    public var group: String
    public var version: String

    public init(group: String, version: String) {
        self.group = group
        self.version = version
    }

    /// Parses `apps/v1`, `v1` (core group) or `""`/`"/"` (empty), as upstream `ParseGroupVersion`.
    public init(parsing apiVersion: String) throws(GroupVersionParseError) {
        if apiVersion.isEmpty || apiVersion == "/" {
            self.init(group: "", version: "")
            return
        }
        let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: self.init(group: "", version: apiVersion)
        case 2: self.init(group: String(parts[0]), version: String(parts[1]))
        default: throw GroupVersionParseError(input: apiVersion)
        }
    }

    /// The `apiVersion` string: `group/version`, or just `version` for the core group.
    public var apiVersion: String {
        group.isEmpty ? version : group + "/" + version
    }

    public var description: String { apiVersion }

    public var isEmpty: Bool { group.isEmpty && version.isEmpty }

    public func withKind(_ kind: String) -> GroupVersionKind {
        GroupVersionKind(group: group, version: version, kind: kind)
    }

    public func withResource(_ resource: String) -> GroupVersionResource {
        GroupVersionResource(group: group, version: version, resource: resource)
    }

    /// Decodes from / encodes to the `apiVersion` string form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(apiVersion)
    }
}
