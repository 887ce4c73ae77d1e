/// Machine-readable kind of a ``StatusCause`` (upstream `metav1.CauseType`, JSON member `reason`);
/// field-validation causes use ``FieldErrorType`` raw values such as `FieldValueInvalid`. An open set.
/// Value type; Sendable.
public struct CauseType: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(_ fieldErrorType: FieldErrorType) { self.rawValue = fieldErrorType.rawValue }

    public static let fieldValueNotFound = CauseType(.notFound)
    public static let fieldValueRequired = CauseType(.required)
    public static let fieldValueDuplicate = CauseType(.duplicate)
    public static let fieldValueInvalid = CauseType(.invalid)
    public static let fieldValueNotSupported = CauseType(.notSupported)
    public static let fieldValueForbidden = CauseType(.forbidden)
    public static let fieldValueTooLong = CauseType(.tooLong)
    public static let fieldValueTooMany = CauseType(.tooMany)
    public static let internalError = CauseType(.internal)
    public static let fieldValueTypeInvalid = CauseType(.typeInvalid)
    public static let unexpectedServerResponse = CauseType(rawValue: "UnexpectedServerResponse")
    public static let fieldManagerConflict = CauseType(rawValue: "FieldManagerConflict")
    public static let resourceVersionTooLarge = CauseType(rawValue: "ResourceVersionTooLarge")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
