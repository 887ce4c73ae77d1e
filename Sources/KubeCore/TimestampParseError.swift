/// A string that is not an RFC 3339 timestamp such as `2006-01-02T15:04:05Z`.
/// Value type; Sendable.
public struct TimestampParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text that failed to parse.
    public var input: String
    /// What is wrong with it.
    public var reason: String

    public init(input: String, reason: String) {
        self.input = input
        self.reason = reason
    }

    public var description: String {
        "parsing time \(GoQuoting.quote(input)) as RFC 3339: \(reason); "
            + "use a timestamp like \"2006-01-02T15:04:05Z\" or \"2006-01-02T15:04:05.000000+02:00\""
    }
}
