/// Kind of a validation failure (upstream `field.ErrorType`). `rawValue` is the machine-readable
/// string used as `StatusCause.reason`; ``phrase`` is the human text used in messages.
/// Value type; Sendable.
public enum FieldErrorType: String, Hashable, Sendable, CaseIterable, Codable {
    case notFound = "FieldValueNotFound"
    case required = "FieldValueRequired"
    case duplicate = "FieldValueDuplicate"
    case invalid = "FieldValueInvalid"
    case notSupported = "FieldValueNotSupported"
    case forbidden = "FieldValueForbidden"
    case tooLong = "FieldValueTooLong"
    case tooMany = "FieldValueTooMany"
    case `internal` = "InternalError"
    case typeInvalid = "FieldValueTypeInvalid"

    /// Upstream `ErrorType.String()`, e.g. `Invalid value`.
    public var phrase: String {
        switch self {
        case .notFound: return "Not found"
        case .required: return "Required value"
        case .duplicate: return "Duplicate value"
        case .invalid: return "Invalid value"
        case .notSupported: return "Unsupported value"
        case .forbidden: return "Forbidden"
        case .tooLong: return "Too long"
        case .tooMany: return "Too many"
        case .internal: return "Internal error"
        case .typeInvalid: return "Invalid value"
        }
    }
}
