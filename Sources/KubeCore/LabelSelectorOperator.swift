/// Operator of a `matchExpressions` entry (upstream `metav1.LabelSelectorOperator`): `In`,
/// `NotIn`, `Exists`, `DoesNotExist`. An open string set so invalid input survives decoding and
/// can be reported by validation.
/// Value type; Sendable.
public struct LabelSelectorOperator: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let `in` = LabelSelectorOperator(rawValue: "In")
    public static let notIn = LabelSelectorOperator(rawValue: "NotIn")
    public static let exists = LabelSelectorOperator(rawValue: "Exists")
    public static let doesNotExist = LabelSelectorOperator(rawValue: "DoesNotExist")

    /// The matcher operator, or nil when this is not one of the four valid operators.
    public var selectionOperator: SelectionOperator? {
        switch rawValue {
        case "In": return .in
        case "NotIn": return .notIn
        case "Exists": return .exists
        case "DoesNotExist": return .doesNotExist
        default: return nil
        }
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
