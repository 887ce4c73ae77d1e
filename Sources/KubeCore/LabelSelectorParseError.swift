/// A label selector string that does not follow the upstream grammar; ``description`` is the
/// upstream message (e.g. `unable to parse requirement: found '', expected: in, notin, =, ==, !=, gt, lt`).
/// Value type; Sendable.
public struct LabelSelectorParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The selector text that failed to parse.
    public var selector: String
    /// The upstream error message.
    public var message: String

    public init(selector: String, message: String) {
        self.selector = selector
        self.message = message
    }

    public var description: String { message }
}
