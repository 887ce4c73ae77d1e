/// An `apiVersion` string with more than one `/` (upstream: `unexpected GroupVersion string: ...`).
/// Value type; Sendable.
public struct GroupVersionParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text that failed to parse.
    public var input: String

    public init(input: String) { self.input = input }

    public var description: String {
        "unexpected GroupVersion string: \(input); expected \"<version>\" (core group) or \"<group>/<version>\""
    }
}
