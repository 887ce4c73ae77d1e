/// A string that is not a Kubernetes quantity; ``description`` is the upstream error message.
/// Value type; Sendable.
public enum QuantityParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text does not match `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`.
    case formatWrong
    /// The number part could not be represented (more than 38 significant digits at nano precision).
    case numeric
    /// The suffix is not one of `n u m k M G T P E Ki Mi Gi Ti Pi Ei` or `e<int>`/`E<int>`.
    case suffix

    /// The regular expression quoted by upstream in ``formatWrong``.
    public static let expectedPattern = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"

    public var description: String {
        switch self {
        case .formatWrong: return "quantities must match the regular expression '\(Self.expectedPattern)'"
        case .numeric: return "unable to parse quantity's numeric part"
        case .suffix: return "unable to parse quantity's suffix"
        }
    }
}
