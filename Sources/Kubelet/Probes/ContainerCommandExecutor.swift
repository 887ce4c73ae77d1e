import KubeCore
/// What a command run inside a container printed and how it ended.
public struct ContainerCommandResult: Sendable, Equatable {
    /// The command's exit code (128 + signal number when a signal ended it).
    public var exitCode: Int32
    /// Standard output and standard error, interleaved as they arrived.
    public var output: [UInt8]

    public init(exitCode: Int32, output: [UInt8]) {
        self.exitCode = exitCode
        self.output = output
    }
}

/// Why a command inside a container produced no result.
public enum ContainerCommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command was still running when the timeout elapsed; the executor killed it.
    case timedOut(command: [String], timeout: Duration)
    /// The container does not exist or is not running.
    case containerNotRunning(containerID: String)
    /// Starting or waiting for the command failed; `message` says why.
    case failed(command: [String], message: String)

    public var description: String {
        switch self {
        case .timedOut(let command, _):
            return "command \(GoQuoting.quote(command.joined(separator: " "))) timed out"
        case .containerNotRunning(let containerID):
            return "container \(containerID) is not running"
        case .failed(let command, let message):
            return "running \(GoQuoting.quote(command.joined(separator: " "))) failed: \(message)"
        }
    }
}

/// Runs a command inside a running container and collects its output; probes and lifecycle hooks use it.
///
/// Implementations must be safe to call from any task, must not block the cooperative pool, and must
/// honour `timeout`: when it elapses they kill the command and throw `ContainerCommandError.timedOut`.
/// The kubelet implements it over `runc exec`.
public protocol ContainerCommandExecutor: Sendable {
    func exec(containerID: String, command: [String], timeout: Duration) async throws -> ContainerCommandResult
}
