/// Kubernetes `metav1.TypeMeta`: the `kind` and `apiVersion` of a serialized object.
///
/// Objects embed it inline: call `typeMeta.encode(to: encoder)` / `TypeMeta(from: decoder)` on the
/// object's own encoder/decoder. Empty fields are omitted (`omitempty`).
/// Value type; Sendable.
public struct TypeMeta: Codable, Hashable, Sendable {
    public var kind: String
    public var apiVersion: String

    public init(kind: String = "", apiVersion: String = "") {
        self.kind = kind
        self.apiVersion = apiVersion
    }

    /// A type meta for `kind` in `groupVersion`.
    public init(kind: String, groupVersion: GroupVersion) {
        self.init(kind: kind, apiVersion: groupVersion.apiVersion)
    }

    /// The group/version/kind this type meta names; fails when `apiVersion` has more than one `/`.
    public func groupVersionKind() throws(GroupVersionParseError) -> GroupVersionKind {
        let groupVersion = try GroupVersion(parsing: apiVersion)
        return groupVersion.withKind(kind)
    }

    private enum CodingKeys: String, CodingKey {
        case kind, apiVersion
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(String.self, forKey: .kind, orDefault: "")
        apiVersion = try container.decode(String.self, forKey: .apiVersion, orDefault: "")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeUnlessEmpty(kind, forKey: .kind)
        try container.encodeUnlessEmpty(apiVersion, forKey: .apiVersion)
    }
}
