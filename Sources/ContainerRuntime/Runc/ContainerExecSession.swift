#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import HostSystem
import Synchronization

/// What to run in a container with `RuncRuntime.exec(id:_:)`.
///
/// A value type; Sendable.
public struct ContainerExecRequest: Sendable, Hashable {
    public var command: [String]
    /// Extra `KEY=VALUE` entries on top of the container's environment.
    public var environment: [String]
    /// Run on a pseudo-terminal: stdout and stderr are merged into `output`, and `resize` works.
    public var tty: Bool
    /// Whether `writeInput` feeds the process's stdin (else it reads /dev/null).
    public var stdin: Bool

    public init(command: [String], environment: [String] = [], tty: Bool = false, stdin: Bool = false) {
        self.command = command
        self.environment = environment
        self.tty = tty
        self.stdin = stdin
    }
}

/// A process running in a container through `runc exec` (for `kubectl exec`): its output streams, its
/// input, the terminal size and its exit code.
///
/// Thread-safe (Sendable): descriptors are closed under a mutex; input writes are serialised on a private
/// dispatch queue; output is read on Dispatch threads.
public final class ContainerExecSession: Sendable {
    /// stdout (or, with a tty, the terminal's output); finishes at end of file.
    public let output: AsyncStream<[UInt8]>
    /// stderr; finishes at once with a tty.
    public let errorOutput: AsyncStream<[UInt8]>
    private let runcPID: Int32
    private let pidFile: String
    private let input = Mutex<Int32>(-1)
    private let terminal: Int32
    private let writes = DispatchQueue(label: "swiftlet.exec-input")
    private let exit: Task<ExitStatus, Never>

    /// `exitStatus` yields the process's exit: runc's own for a foreground exec, the reparented process's for
    /// a detached (tty) one.
    init(
        runcPID: Int32, pidFile: String, input: Int32, outputFD: Int32, errorFD: Int32?, terminal: Int32,
        exitStatus: @escaping @Sendable () async -> ExitStatus
    ) {
        self.runcPID = runcPID
        self.pidFile = pidFile
        self.terminal = terminal
        self.input.withLock { $0 = input }
        output = Self.stream(reading: outputFD)
        errorOutput = errorFD.map { Self.stream(reading: $0) } ?? AsyncStream { $0.finish() }
        exit = Task { await exitStatus() }
    }

    deinit {
        let fd = input.withLock { $0 }
        if fd >= 0 { close(fd) }
        if terminal >= 0 { close(terminal) }
    }

    /// Writes to the process's stdin (or terminal); returns once written or the process stopped reading.
    public func writeInput(_ bytes: [UInt8]) async {
        let fd = terminal >= 0 ? terminal : input.withLock { $0 }
        guard fd >= 0, !bytes.isEmpty else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            writes.async {
                HostPipe.writeAll(fd, bytes)
                continuation.resume()
            }
        }
    }

    /// Closes stdin (end of file for the process). With a tty this sends ^D instead.
    public func closeInput() {
        if terminal >= 0 {
            let fd = terminal
            writes.async { HostPipe.writeAll(fd, [4]) }
            return
        }
        let fd = input.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        if fd >= 0 { writes.async { close(fd) } }
    }

    /// Sets the terminal size (no-op without a tty).
    public func resize(columns: UInt16, rows: UInt16) {
        guard terminal >= 0 else { return }
        try? TerminalWindowSize.set(terminal, columns: columns, rows: rows)
    }

    /// Kills the process (SIGKILL) and runc.
    public func terminate() {
        let processID = ContainerStateFiles.readPID(pidFile)
        if let processID { kill(processID, SIGKILL) }
        kill(runcPID, SIGKILL)
        if let processID { RuncRuntime.reapInBackground(processID) }
    }

    /// Waits for the process and returns its exit code (128 + signal when killed by a signal).
    public func exitCode() async -> Int32 {
        let status = await exit.value
        unlink(pidFile)
        return status.code
    }

    private static func stream(reading fd: Int32) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        DispatchQueue.global().async {
            var buffer = [UInt8](repeating: 0, count: 32 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    continuation.yield(Array(buffer[0..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break  // EOF, or EIO once a terminal's last slave closed.
                }
            }
            close(fd)
            continuation.finish()
        }
        return stream
    }
}
