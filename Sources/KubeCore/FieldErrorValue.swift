/// The offending value carried by a ``FieldError``, rendered the way Go's `field.Error` prints
/// its `BadValue` (strings quoted, numbers and bools bare, string lists as `[]string{"a", "b"}`).
/// Value type; Sendable.
public enum FieldErrorValue: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    /// No value is shown (upstream `omitValue`).
    case omitted
    /// Rendered as `null`.
    case null
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case strings([String])
    /// Shown verbatim (for values that already have a textual form).
    case raw(String)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The text after `Invalid value: `, or nil for ``omitted``.
    public var rendered: String? {
        switch self {
        case .omitted: return nil
        case .null: return "null"
        case .string(let value): return GoQuoting.quote(value)
        case .integer(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .strings(let values): return "[]string{" + values.map(GoQuoting.quote).joined(separator: ", ") + "}"
        case .raw(let value): return value
        }
    }
}
