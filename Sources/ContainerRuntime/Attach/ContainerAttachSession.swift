#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Synchronization

/// What an attach client asks for with `RuncRuntime.attach(id:_:)`.
///
/// A value type; Sendable.
public struct ContainerAttachRequest: Sendable, Hashable {
    /// Whether the client sends stdin (`writeInput`, `closeInput`); stdin of a container without `stdin` is
    /// dropped.
    public var stdin: Bool

    public init(stdin: Bool) {
        self.stdin = stdin
    }
}

/// A live connection to a running container's main process through its shim (for `kubectl attach`): the
/// output it writes from now on, its stdin (when the container was created with `stdin`), and the terminal
/// size (with `tty`). The output streams finish when the session ends: the container exited, the client's
/// stdin ended on a container without `stdinOnce`, or the session was detached.
///
/// Thread-safe (Sendable): input frames are written in order on a private serial queue; output is read by a
/// dedicated Dispatch thread, held back while more than 1 MiB is unconsumed (`AttachOutputStream`); the
/// socket is closed once the reader and every queued write are done with it.
public final class ContainerAttachSession: Sendable {
    /// stdout (everything with a terminal).
    public let output: AttachOutputStream
    /// stderr (finishes without output with a terminal).
    public let errorOutput: AttachOutputStream
    /// Whether the container runs on a terminal.
    public let tty: Bool
    /// Whether the container's stdin was open when the session began (it has `stdin` and, with
    /// `stdinOnce`, no session has closed it yet).
    public let stdinOpen: Bool
    private let socket: AttachClientSocket
    private let budget = AttachOutputBudget()
    private let writes = DispatchQueue(label: "swiftlet.attach-input")
    private let ended: Task<Void, Never>

    init(socket: AttachClientSocket, welcome: (stdinOpen: Bool, tty: Bool), decoder: AttachFrameDecoder) {
        self.socket = socket
        tty = welcome.tty
        stdinOpen = welcome.stdinOpen
        let budget = self.budget
        let (output, outputSink) = AsyncStream<[UInt8]>.makeStream()
        let (errorOutput, errorSink) = AsyncStream<[UInt8]>.makeStream()
        // A consumer that stops iterating must not hold the reader back.
        outputSink.onTermination = { _ in budget.release() }
        errorSink.onTermination = { _ in budget.release() }
        self.output = AttachOutputStream(base: output, budget: budget)
        self.errorOutput = AttachOutputStream(base: errorOutput, budget: budget)
        let (done, doneSink) = AsyncStream<Void>.makeStream()
        ended = Task { for await _ in done {} }
        DispatchQueue.global().async {
            socket.readFrames(startingWith: decoder) { frame in
                switch frame {
                case .stdout(let bytes):
                    if case .enqueued = outputSink.yield(bytes) { budget.delivered(bytes.count) }
                case .stderr(let bytes):
                    if case .enqueued = errorSink.yield(bytes) { budget.delivered(bytes.count) }
                default: break
                }
            }
            outputSink.finish()
            errorSink.finish()
            doneSink.finish()
        }
    }

    deinit {
        socket.shutDown()
    }

    /// Sends bytes to the container's stdin (or terminal); returns once handed to the shim.
    public func writeInput(_ bytes: [UInt8]) async {
        guard !bytes.isEmpty else { return }
        let frames = AttachFrame.encodedData(bytes) { .stdin($0) }
        await send(frames)
    }

    /// The client's stdin ended: the shim closes the container's stdin (`stdinOnce`) or ends the session.
    public func closeInput() {
        let socket = self.socket
        writes.async { socket.send(AttachFrame.closeStdin.encoded) }
    }

    /// Sets the terminal size (ignored without a terminal).
    public func resize(columns: UInt16, rows: UInt16) {
        let socket = self.socket
        writes.async { socket.send(AttachFrame.resize(columns: columns, rows: rows).encoded) }
    }

    /// Leaves the session (closes the connection). With `stdinOnce`, the shim then closes the container's
    /// stdin if this session sent stdin. Idempotent.
    public func detach() {
        socket.shutDown()
        budget.release()
    }

    /// Suspends until the session has ended (its output streams finished).
    public func waitUntilEnded() async {
        await ended.value
    }

    private func send(_ bytes: [UInt8]) async {
        let socket = self.socket
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            writes.async {
                socket.send(bytes)
                continuation.resume()
            }
        }
    }
}

/// The client's socket of an attach session; closed when the last reference goes (reader thread, queued
/// writes, session).
///
/// Thread-safe: the descriptor is immutable until `deinit`; `shutDown` is safe from any thread.
final class AttachClientSocket: Sendable {
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        AttachSocket.sendAll(fd, bytes)
    }

    func shutDown() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Reads frames (blocking) until end of file, an error or a protocol violation, calling `body` for each.
    func readFrames(startingWith decoder: AttachFrameDecoder, _ body: (AttachFrame) -> Void) {
        var decoder = decoder
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            do {
                while let frame = try decoder.next() { body(frame) }
            } catch {
                return
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            decoder.push(buffer[0..<count])
        }
    }

    /// Reads until the first frame arrives (blocking); returns it and the decoder holding any bytes after it.
    func readFirstFrame() throws(ContainerRuntimeError) -> (AttachFrame, AttachFrameDecoder) {
        var decoder = AttachFrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            do {
                if let frame = try decoder.next() { return (frame, decoder) }
            } catch {
                throw .malformedFile(path: "attach socket", reason: error.description)
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw .io("read from the attach socket", errno: errno) }
            if count == 0 { throw .io("read from the attach socket (the shim closed it)", errno: ECONNRESET) }
            decoder.push(buffer[0..<count])
        }
    }
}
