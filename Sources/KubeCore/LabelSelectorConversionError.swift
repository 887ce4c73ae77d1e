/// Why a ``LabelSelector`` could not be turned into a ``LabelSelectorExpression``
/// (upstream `LabelSelectorAsSelector` errors). Validate with ``LabelSelector/validate(at:allowInvalidLabelValueInSelector:)``
/// first to get field-level errors.
/// Value type; Sendable.
public enum LabelSelectorConversionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `operator` is not `In`, `NotIn`, `Exists` or `DoesNotExist`.
    case invalidOperator(String)
    /// A key or value failed requirement validation.
    case invalidRequirement(FieldErrorList)

    public var description: String {
        switch self {
        case .invalidOperator(let value): return "\(GoQuoting.quote(value)) is not a valid label selector operator"
        case .invalidRequirement(let errors): return errors.description
        }
    }
}
