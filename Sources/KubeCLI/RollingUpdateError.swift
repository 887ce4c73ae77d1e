/// A rolling update that cannot proceed; the message is worded as kubectl 1.17 worded it.
///
/// Value type; Sendable.
public enum RollingUpdateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An error kubectl reported as `error: <message>`.
    case message(String)
    /// Bad flags or arguments; kubectl added `See 'kubectl rolling-update -h' for help and examples`.
    case usage([String])

    public var description: String {
        switch self {
        case .message(let text): text
        case .usage(let problems): problems.joined(separator: "\n")
        }
    }
}
