#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Writes a container's stdout and stderr into one CRI-format log file, rotating it by size
/// (`path` → `path.1` → … → `path.N`, the oldest deleted).
///
/// Thread-safe: one mutex serialises the line splitting, the writes and the rotation, so the two stream
/// pumps may call `append` concurrently. Blocking file IO: call from dedicated threads (the shim's pumps).
public final class CRILogWriter: Sendable {
    private struct State {
        var fd: Int32
        var size: Int
        var stdout: CRILineSplitter
        var stderr: CRILineSplitter
    }

    public let path: String
    public let policy: CRILogRotationPolicy
    private let clock: @Sendable () -> CRITimestamp
    private let state: Mutex<State>

    /// Opens (creating or appending to) the log at `path`.
    public init(
        path: String, policy: CRILogRotationPolicy = CRILogRotationPolicy(),
        maxLineBytes: Int = CRILineSplitter.defaultMaxLineBytes,
        clock: @escaping @Sendable () -> CRITimestamp = { CRITimestamp.now() }
    ) throws(ContainerRuntimeError) {
        self.path = path
        self.policy = policy
        self.clock = clock
        let fd = try Self.openLog(path)
        var status = stat()
        fstat(fd, &status)
        state = Mutex(State(
            fd: fd, size: Int(status.st_size),
            stdout: CRILineSplitter(maxLineBytes: maxLineBytes), stderr: CRILineSplitter(maxLineBytes: maxLineBytes)))
    }

    deinit {
        _ = state.withLock { close($0.fd) }
    }

    /// Appends bytes read from one of the container's streams; complete lines are written now.
    public func append(_ bytes: some Collection<UInt8>, from stream: CRILogRecord.Stream) {
        state.withLock { state in
            let messages = stream == .stdout ? state.stdout.feed(bytes) : state.stderr.feed(bytes)
            writeMessages(messages, stream: stream, state: &state)
        }
    }

    /// The stream ended: its unterminated last line is written as a full line.
    public func finish(_ stream: CRILogRecord.Stream) {
        state.withLock { state in
            let last = stream == .stdout ? state.stdout.finish() : state.stderr.finish()
            writeMessages(last.map { [$0] } ?? [], stream: stream, state: &state)
        }
    }

    private func writeMessages(_ messages: [CRILineSplitter.Message], stream: CRILogRecord.Stream, state: inout State) {
        guard !messages.isEmpty else { return }
        let timestamp = clock()
        for message in messages {
            let line = CRILogRecord(timestamp: timestamp, stream: stream, isPartial: message.isPartial, message: message.bytes)
                .encoded()
            if state.size > 0 && state.size + line.count > policy.maxFileBytes {
                rotate(&state)
            }
            var offset = 0
            while offset < line.count {
                let count = line[offset...].withUnsafeBytes { write(state.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    offset += count
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break  // Disk full or the file vanished: drop the line rather than stall the container.
                }
            }
            state.size += offset
        }
    }

    private func rotate(_ state: inout State) {
        close(state.fd)
        if policy.maxRotatedFiles > 0 {
            unlink("\(path).\(policy.maxRotatedFiles)")
            for index in stride(from: policy.maxRotatedFiles - 1, through: 1, by: -1) {
                rename("\(path).\(index)", "\(path).\(index + 1)")
            }
            rename(path, "\(path).1")
        } else {
            unlink(path)
        }
        state.fd = (try? Self.openLog(path)) ?? -1
        state.size = 0
    }

    private static func openLog(_ path: String) throws(ContainerRuntimeError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw .io("open the log file \(path)", errno: errno) }
        return fd
    }
}
