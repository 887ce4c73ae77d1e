#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Synchronization

/// The shim's end of one attach client's connection: output frames are queued and written in order on a
/// private serial queue, so the container's output pumps never wait for a client. A client more than
/// `maximumPendingBytes` behind is not served further (the caller drops it).
///
/// Thread-safe (Sendable): counters are atomic; the descriptor is closed in `deinit`, once the reader thread
/// and every queued write have let go of the connection.
final class AttachClientConnection: Sendable {
    static let maximumPendingBytes = 4 << 20

    let fd: Int32
    private let writes = DispatchQueue(label: "swiftlet.attach-client")
    private let pendingBytes = Atomic<Int>(0)
    private let sendsStdinFlag = Atomic<Bool>(false)
    private let stdinEndedFlag = Atomic<Bool>(false)

    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Whether the client opened the session with stdin.
    var sendsStdin: Bool {
        get { sendsStdinFlag.load(ordering: .acquiring) }
        set { sendsStdinFlag.store(newValue, ordering: .releasing) }
    }

    /// Whether the client's stdin ended (`closeStdin`).
    var stdinEnded: Bool {
        get { stdinEndedFlag.load(ordering: .acquiring) }
        set { stdinEndedFlag.store(newValue, ordering: .releasing) }
    }

    /// Queues encoded frames for the client; false (nothing queued) when the client is too far behind.
    func enqueue(_ bytes: [UInt8]) -> Bool {
        let total = pendingBytes.add(bytes.count, ordering: .relaxed).newValue
        if total > Self.maximumPendingBytes && total > bytes.count {
            pendingBytes.subtract(bytes.count, ordering: .relaxed)
            return false
        }
        writes.async { [self] in
            AttachSocket.sendAll(fd, bytes)
            pendingBytes.subtract(bytes.count, ordering: .relaxed)
        }
        return true
    }

    /// After everything queued so far: shuts down the sending side (the client reads end of file).
    func finishSending() {
        writes.async { [self] in _ = shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Shuts the connection down now in both directions (a blocked write and the reader return).
    func abort() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }
}
