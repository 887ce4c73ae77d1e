/// Machine-readable reason of a failed ``Status`` (upstream `metav1.StatusReason`); an open set.
/// Value type; Sendable.
public struct StatusReason: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let unknown = StatusReason(rawValue: "")
    public static let unauthorized = StatusReason(rawValue: "Unauthorized")
    public static let forbidden = StatusReason(rawValue: "Forbidden")
    public static let notFound = StatusReason(rawValue: "NotFound")
    public static let alreadyExists = StatusReason(rawValue: "AlreadyExists")
    public static let conflict = StatusReason(rawValue: "Conflict")
    public static let gone = StatusReason(rawValue: "Gone")
    public static let invalid = StatusReason(rawValue: "Invalid")
    public static let serverTimeout = StatusReason(rawValue: "ServerTimeout")
    public static let storageReadError = StatusReason(rawValue: "StorageReadError")
    public static let timeout = StatusReason(rawValue: "Timeout")
    public static let tooManyRequests = StatusReason(rawValue: "TooManyRequests")
    public static let badRequest = StatusReason(rawValue: "BadRequest")
    public static let methodNotAllowed = StatusReason(rawValue: "MethodNotAllowed")
    public static let notAcceptable = StatusReason(rawValue: "NotAcceptable")
    public static let requestEntityTooLarge = StatusReason(rawValue: "RequestEntityTooLarge")
    public static let unsupportedMediaType = StatusReason(rawValue: "UnsupportedMediaType")
    public static let internalError = StatusReason(rawValue: "InternalError")
    public static let expired = StatusReason(rawValue: "Expired")
    public static let serviceUnavailable = StatusReason(rawValue: "ServiceUnavailable")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
