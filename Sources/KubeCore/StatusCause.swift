/// One cause of a failed ``Status`` (upstream `metav1.StatusCause`):
/// `{"reason": "FieldValueInvalid", "message": "...", "field": "spec.replicas"}`, all `omitempty`.
/// Value type; Sendable.
public struct StatusCause: Codable, Hashable, Sendable {
    /// JSON member `reason`.
    public var type: CauseType
    public var message: String
    public var field: String

    public init(type: CauseType = "", message: String = "", field: String = "") {
        self.type = type
        self.message = message
        self.field = field
    }

    private enum CodingKeys: String, CodingKey {
        case type = "reason"
        case message, field
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(CauseType.self, forKey: .type, orDefault: "")
        message = try container.decode(String.self, forKey: .message, orDefault: "")
        field = try container.decode(String.self, forKey: .field, orDefault: "")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeUnlessEmpty(type.rawValue, forKey: .type)
        try container.encodeUnlessEmpty(message, forKey: .message)
        try container.encodeUnlessEmpty(field, forKey: .field)
    }
}
