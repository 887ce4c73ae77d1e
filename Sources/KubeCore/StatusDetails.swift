/// Extra data of a failed ``Status`` (upstream `metav1.StatusDetails`): the object's name, group,
/// kind (the *resource* for most errors), uid, causes and retry hint; all `omitempty`.
/// Value type; Sendable.
public struct StatusDetails: Codable, Hashable, Sendable {
    public var name: String
    public var group: String
    public var kind: String
    public var uid: String
    public var causes: [StatusCause]
    public var retryAfterSeconds: Int32

    public init(
        name: String = "",
        group: String = "",
        kind: String = "",
        uid: String = "",
        causes: [StatusCause] = [],
        retryAfterSeconds: Int32 = 0
    ) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case name, group, kind, uid, causes, retryAfterSeconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name, orDefault: "")
        group = try container.decode(String.self, forKey: .group, orDefault: "")
        kind = try container.decode(String.self, forKey: .kind, orDefault: "")
        uid = try container.decode(String.self, forKey: .uid, orDefault: "")
        causes = try container.decode([StatusCause].self, forKey: .causes, orDefault: [])
        retryAfterSeconds = try container.decode(Int32.self, forKey: .retryAfterSeconds, orDefault: 0)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeUnlessEmpty(name, forKey: .name)
        try container.encodeUnlessEmpty(group, forKey: .group)
        try container.encodeUnlessEmpty(kind, forKey: .kind)
        try container.encodeUnlessEmpty(uid, forKey: .uid)
        try container.encodeUnlessEmpty(causes, forKey: .causes)
        try container.encodeUnlessZero(retryAfterSeconds, forKey: .retryAfterSeconds)
    }
}
