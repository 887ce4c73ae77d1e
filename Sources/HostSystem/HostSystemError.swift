#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failure of a host command or system call, with what was attempted and what the system said.
///
/// A value type; Sendable.
public enum HostSystemError: Error, Sendable, CustomStringConvertible {
    /// A system call failed with `errno`.
    case systemCall(String, errno: Int32)
    /// The executable could not be started.
    case spawnFailed(executable: String, errno: Int32)
    /// The command ran and failed.
    case commandFailed(command: [String], status: ExitStatus, stderr: String)
    /// The command did not finish in time and was killed.
    case timedOut(command: [String], seconds: Double)

    public var description: String {
        switch self {
        case .systemCall(let call, let code):
            "\(call) failed: \(String(cString: strerror(code)))"
        case .spawnFailed(let executable, let code):
            "cannot start \(executable): \(String(cString: strerror(code))); is it installed and on PATH?"
        case .commandFailed(let command, let status, let stderr):
            "`\(command.joined(separator: " "))` failed with \(status)"
                + (stderr.isEmpty ? "" : ": \(stderr.trimmingTrailingWhitespace())")
        case .timedOut(let command, let seconds):
            "`\(command.joined(separator: " "))` did not finish within \(seconds) s and was killed"
        }
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var result = Substring(self)
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return String(result)
    }
}
