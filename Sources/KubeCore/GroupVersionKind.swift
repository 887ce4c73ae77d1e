/// A group, version and kind, e.g. `apps/v1, Kind=Deployment`.
/// Value type; Sendable.
public struct GroupVersionKind: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// Builds from an `apiVersion` string (`apps/v1`, `v1`) and a kind.
    public init(apiVersion: String, kind: String) throws(GroupVersionParseError) {
        let groupVersion = try GroupVersion(parsing: apiVersion)
        self.init(group: groupVersion.group, version: groupVersion.version, kind: kind)
    }

    public var groupVersion: GroupVersion { GroupVersion(group: group, version: version) }
    public var groupKind: GroupKind { GroupKind(group: group, kind: kind) }
    /// `group/version` or `version` for the core group.
    public var apiVersion: String { groupVersion.apiVersion }

    /// Upstream `String()`: `group/version, Kind=kind` (core group renders as `/v1, Kind=Pod`).
    public var description: String { group + "/" + version + ", Kind=" + kind }
}
