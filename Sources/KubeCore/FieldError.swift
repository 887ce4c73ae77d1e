/// One validation failure on one field (upstream `field.Error`); the API server turns these into
/// `422 Invalid` status causes. ``description`` renders like upstream `Error()`:
/// `spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
/// Value type; Sendable.
public struct FieldError: Error, Hashable, Sendable, CustomStringConvertible {
    public var type: FieldErrorType
    /// The field path as text, e.g. `spec.selector.matchExpressions[0].values`.
    public var field: String
    public var badValue: FieldErrorValue
    public var detail: String

    public init(type: FieldErrorType, field: String, badValue: FieldErrorValue = .omitted, detail: String = "") {
        self.type = type
        self.field = field
        self.badValue = badValue
        self.detail = detail
    }

    /// Upstream `ErrorBody()`: the message without the field path (used as `StatusCause.message`).
    public var errorBody: String {
        var body: String
        switch type {
        case .required, .forbidden, .tooLong, .internal:
            body = type.phrase
        default:
            if let value = badValue.rendered {
                body = type.phrase + ": " + value
            } else {
                body = type.phrase
            }
        }
        if !detail.isEmpty { body += ": " + detail }
        return body
    }

    public var description: String { field + ": " + errorBody }

    // MARK: Upstream constructors

    /// A required value is missing.
    public static func required(_ path: FieldPath, _ detail: String = "") -> FieldError {
        FieldError(type: .required, field: path.description, badValue: "", detail: detail)
    }

    /// A value is syntactically or semantically wrong.
    public static func invalid(_ path: FieldPath, _ value: FieldErrorValue, _ detail: String) -> FieldError {
        FieldError(type: .invalid, field: path.description, badValue: value, detail: detail)
    }

    /// A value is not one of the `supported` values (detail `supported values: "a", "b"`).
    public static func notSupported(_ path: FieldPath, _ value: FieldErrorValue, supported: [String]) -> FieldError {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map(GoQuoting.quote).joined(separator: ", ")
        return FieldError(type: .notSupported, field: path.description, badValue: value, detail: detail)
    }

    /// A value is not allowed here.
    public static func forbidden(_ path: FieldPath, _ detail: String) -> FieldError {
        FieldError(type: .forbidden, field: path.description, badValue: "", detail: detail)
    }

    /// A value is longer than `maxLength` bytes (a negative `maxLength` means "unknown limit").
    public static func tooLong(_ path: FieldPath, _ value: FieldErrorValue, maxLength: Int) -> FieldError {
        let detail = maxLength >= 0 ? "may not be more than \(maxLength) bytes" : "value is too long"
        return FieldError(type: .tooLong, field: path.description, badValue: value, detail: detail)
    }

    /// A list has more than `maxQuantity` items (negative values mean "unknown").
    public static func tooMany(_ path: FieldPath, actualQuantity: Int, maxQuantity: Int) -> FieldError {
        let detail: String
        if maxQuantity >= 0 {
            detail = "must have at most \(maxQuantity) \(maxQuantity == 1 ? "item" : "items")"
        } else {
            detail = "has too many items"
        }
        let value: FieldErrorValue = actualQuantity >= 0 ? .integer(Int64(actualQuantity)) : .omitted
        return FieldError(type: .tooMany, field: path.description, badValue: value, detail: detail)
    }

    /// A value duplicates another one that must be unique.
    public static func duplicate(_ path: FieldPath, _ value: FieldErrorValue) -> FieldError {
        FieldError(type: .duplicate, field: path.description, badValue: value)
    }

    /// A referenced value does not exist.
    public static func notFound(_ path: FieldPath, _ value: FieldErrorValue) -> FieldError {
        FieldError(type: .notFound, field: path.description, badValue: value)
    }

    /// Validation itself failed (not the user's fault).
    public static func internalError(_ path: FieldPath, _ message: String) -> FieldError {
        FieldError(type: .internal, field: path.description, badValue: .null, detail: message)
    }
}
