#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch

/// Runs a host command to completion and collects its output, e.g. `ip netns add …` or `runc delete …`.
///
/// Stateless; safe from any thread. The blocking reads and writes run on Dispatch's global queue, the wait
/// on `ChildExitMonitor`, so callers never block a cooperative thread.
public enum HostCommand {
    /// What a finished command printed and how it ended.
    public struct Output: Sendable {
        public let status: ExitStatus
        public let standardOutput: [UInt8]
        public let standardError: [UInt8]

        public var standardOutputText: String { String(decoding: standardOutput, as: UTF8.self) }
        public var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }
    }

    /// Runs `executable arguments…`; `input` is written to its stdin. Returns whatever the status.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String]? = nil, input: [UInt8] = []
    ) async throws(HostSystemError) -> Output {
        let stdinPipe = try HostPipe()
        let stdoutPipe = try HostPipe()
        let stderrPipe = try HostPipe()
        let pid: pid_t
        do {
            pid = try ProcessSpawner.spawn(
                executable, arguments, environment: environment,
                streams: .init(input: stdinPipe.readEnd, output: stdoutPipe.writeEnd, error: stderrPipe.writeEnd))
        } catch {
            for fd in [stdinPipe.readEnd, stdinPipe.writeEnd, stdoutPipe.readEnd, stdoutPipe.writeEnd,
                       stderrPipe.readEnd, stderrPipe.writeEnd] { close(fd) }
            throw error
        }
        close(stdinPipe.readEnd)
        close(stdoutPipe.writeEnd)
        close(stderrPipe.writeEnd)

        let writer = stdinPipe.writeEnd
        DispatchQueue.global().async {
            if !input.isEmpty { HostPipe.writeAll(writer, input) }
            close(writer)
        }
        async let output = readInBackground(stdoutPipe.readEnd)
        async let errorOutput = readInBackground(stderrPipe.readEnd)
        let status = await ChildExitMonitor.shared.exit(of: pid)
        return Output(status: status, standardOutput: await output, standardError: await errorOutput)
    }

    /// Runs the command and throws `HostSystemError.commandFailed` (with its stderr) unless it exits 0.
    @discardableResult
    public static func runChecked(
        _ executable: String, _ arguments: [String], environment: [String]? = nil, input: [UInt8] = []
    ) async throws(HostSystemError) -> Output {
        let output = try await run(executable, arguments, environment: environment, input: input)
        guard output.status.succeeded else {
            throw .commandFailed(
                command: [executable] + arguments, status: output.status, stderr: output.standardErrorText)
        }
        return output
    }

    private static func readInBackground(_ fd: Int32) async -> [UInt8] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let bytes = HostPipe.readAll(fd)
                close(fd)
                continuation.resume(returning: bytes)
            }
        }
    }
}
