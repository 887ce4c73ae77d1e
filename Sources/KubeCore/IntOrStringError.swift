/// An ``IntOrString`` that cannot be scaled (not an int and not a `<integer>%` percentage);
/// ``description`` is the upstream message, e.g.
/// `invalid value for IntOrString: invalid type: string is not a percentage`.
/// Value type; Sendable.
public struct IntOrStringError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The upstream message.
    public var message: String

    public init(message: String) { self.message = message }

    public var description: String { message }
}
