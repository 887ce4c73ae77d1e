/// Kubernetes `metav1.OwnerReference`: a pointer from a dependent object to its owner.
///
/// `apiVersion`, `kind`, `name` and `uid` are always encoded; `controller` and
/// `blockOwnerDeletion` are omitted when nil.
/// Value type; Sendable.
public struct OwnerReference: Codable, Hashable, Sendable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(
        apiVersion: String,
        kind: String,
        name: String,
        uid: String,
        controller: Bool? = nil,
        blockOwnerDeletion: Bool? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    private enum CodingKeys: String, CodingKey {
        case apiVersion, kind, name, uid, controller, blockOwnerDeletion
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decode(String.self, forKey: .apiVersion, orDefault: "")
        kind = try container.decode(String.self, forKey: .kind, orDefault: "")
        name = try container.decode(String.self, forKey: .name, orDefault: "")
        uid = try container.decode(String.self, forKey: .uid, orDefault: "")
        controller = try container.decodeIfPresent(Bool.self, forKey: .controller)
        blockOwnerDeletion = try container.decodeIfPresent(Bool.self, forKey: .blockOwnerDeletion)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(apiVersion, forKey: .apiVersion)
        try container.encode(kind, forKey: .kind)
        try container.encode(name, forKey: .name)
        try container.encode(uid, forKey: .uid)
        try container.encodeIfPresent(controller, forKey: .controller)
        try container.encodeIfPresent(blockOwnerDeletion, forKey: .blockOwnerDeletion)
    }
}
