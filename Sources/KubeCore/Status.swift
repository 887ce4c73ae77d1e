/// Kubernetes `metav1.Status`: the body of every API error response (and of some successes).
///
/// Encodes inline `kind`/`apiVersion` (default `Status`/`v1`), always a `metadata` object (`{}`
/// when empty, as upstream), then `status`, `message`, `reason`, `details`, `code`, each omitted
/// when empty/zero.
/// Value type; Sendable.
public struct Status: Codable, Hashable, Sendable {
    public static let success = "Success"
    public static let failure = "Failure"

    public var typeMeta: TypeMeta
    public var metadata: ListMeta
    /// ``success`` or ``failure``.
    public var status: String
    public var message: String
    public var reason: StatusReason
    public var details: StatusDetails?
    /// The HTTP status code.
    public var code: Int32

    public init(
        typeMeta: TypeMeta = TypeMeta(kind: "Status", apiVersion: "v1"),
        metadata: ListMeta = ListMeta(),
        status: String = "",
        message: String = "",
        reason: StatusReason = .unknown,
        details: StatusDetails? = nil,
        code: Int32 = 0
    ) {
        self.typeMeta = typeMeta
        self.metadata = metadata
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    private enum CodingKeys: String, CodingKey {
        case metadata, status, message, reason, details, code
    }

    public init(from decoder: any Decoder) throws {
        typeMeta = try TypeMeta(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decode(ListMeta.self, forKey: .metadata, orDefault: ListMeta())
        status = try container.decode(String.self, forKey: .status, orDefault: "")
        message = try container.decode(String.self, forKey: .message, orDefault: "")
        reason = try container.decode(StatusReason.self, forKey: .reason, orDefault: .unknown)
        details = try container.decodeIfPresent(StatusDetails.self, forKey: .details)
        code = try container.decode(Int32.self, forKey: .code, orDefault: 0)
    }

    public func encode(to encoder: any Encoder) throws {
        try typeMeta.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metadata, forKey: .metadata)
        try container.encodeUnlessEmpty(status, forKey: .status)
        try container.encodeUnlessEmpty(message, forKey: .message)
        try container.encodeUnlessEmpty(reason.rawValue, forKey: .reason)
        try container.encodeIfPresent(details, forKey: .details)
        try container.encodeUnlessZero(code, forKey: .code)
    }
}
