#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch

/// A point in monotonic time after which a probe's network operations give up.
struct ProbeDeadline: Sendable {
    let uptimeNanoseconds: UInt64

    static func after(_ duration: Duration) -> ProbeDeadline {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        return ProbeDeadline(uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds + UInt64(nanoseconds))
    }

    var hasPassed: Bool { DispatchTime.now().uptimeNanoseconds >= uptimeNanoseconds }

    /// Time left (zero once passed).
    var remaining: Duration {
        let now = DispatchTime.now().uptimeNanoseconds
        return now < uptimeNanoseconds ? .nanoseconds(Int64(uptimeNanoseconds - now)) : .zero
    }

    /// Milliseconds left for `poll(2)`, rounded up so a sub-millisecond rest still waits.
    var remainingMilliseconds: Int32 {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now < uptimeNanoseconds else { return 0 }
        let milliseconds = (uptimeNanoseconds - now + 999_999) / 1_000_000
        return Int32(clamping: milliseconds)
    }
}

/// Why a TCP connection could not be opened, worded like Go's `net.OpError` (`dial tcp 10.0.0.5:80:
/// connect: connection refused`, `dial tcp 10.0.0.5:80: i/o timeout`, `dial tcp: lookup web: no such host`).
enum ProbeDialError: Error, Sendable, Equatable, CustomStringConvertible {
    case lookupFailed(host: String, message: String)
    case connectFailed(address: String, message: String)
    case timedOut(address: String)

    var description: String {
        switch self {
        case .lookupFailed(let host, let message): return "dial tcp: lookup \(host): \(message)"
        case .connectFailed(let address, let message): return "dial tcp \(address): connect: \(message)"
        case .timedOut(let address): return "dial tcp \(address): i/o timeout"
        }
    }

    var isTimeout: Bool {
        if case .timedOut = self { return true }
        return false
    }
}

/// Why reading or writing an open connection failed.
enum ProbeSocketIOError: Error, Sendable, Equatable {
    case timedOut
    case failed(operation: String, local: String, remote: String, message: String)

    /// Go's wording: `read tcp 127.0.0.1:40000->127.0.0.1:8080: read: connection reset by peer`.
    var description: String {
        switch self {
        case .timedOut: return "i/o timeout"
        case .failed(let operation, let local, let remote, let message):
            return "\(operation) tcp \(local)->\(remote): \(operation): \(message)"
        }
    }
}

/// A connected non-blocking TCP socket whose blocking-style operations wait with `poll(2)` until a
/// deadline. Used by HTTP and TCP probes and lifecycle hooks.
///
/// Not thread-safe: one owner at a time, and its methods block, so they run on `ProbeIO`'s queue, never on
/// the cooperative pool. Closes its descriptor on `close()` or deinit.
final class ProbeSocket {
    private(set) var descriptor: Int32
    /// `host:port` of the peer as Go prints it (`[::1]:80` for IPv6).
    let remoteAddress: String

    private init(descriptor: Int32, remoteAddress: String) {
        self.descriptor = descriptor
        self.remoteAddress = remoteAddress
    }

    deinit { close() }

    func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }

    /// `host:port` as Go's `net.JoinHostPort` writes it.
    static func joinHostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Resolves `host` (an IP literal or a name) and connects to the first address that accepts before the
    /// deadline.
    static func connect(host: String, port: Int, deadline: ProbeDeadline) throws(ProbeDialError) -> ProbeSocket {
        let addresses = try resolve(host: host, port: port)
        var lastError = ProbeDialError.lookupFailed(host: host, message: "no such host")
        for address in addresses {
            do {
                return try connect(to: address, deadline: deadline)
            } catch {
                lastError = error
                if error.isTimeout { break }
            }
        }
        throw lastError
    }

    /// One resolved socket address.
    struct ResolvedAddress {
        var family: Int32
        var bytes: [UInt8]
        var text: String
    }

    static func resolve(host: String, port: Int) throws(ProbeDialError) -> [ResolvedAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let message = status == EAI_NONAME || status == -5 /* EAI_NODATA */
                ? "no such host" : String(cString: gai_strerror(status))
            throw .lookupFailed(host: host, message: message)
        }
        defer { freeaddrinfo(first) }
        var result: [ResolvedAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let address = entry.pointee.ai_addr,
               entry.pointee.ai_family == AF_INET || entry.pointee.ai_family == AF_INET6 {
                let bytes = Array(UnsafeRawBufferPointer(start: address, count: Int(entry.pointee.ai_addrlen)))
                let text = joinHostPort(numericHost(address, family: entry.pointee.ai_family), port)
                result.append(ResolvedAddress(family: entry.pointee.ai_family, bytes: bytes, text: text))
            }
            cursor = entry.pointee.ai_next
        }
        if result.isEmpty { throw .lookupFailed(host: host, message: "no such host") }
        return result
    }

    private static func numericHost(_ address: UnsafePointer<sockaddr>, family: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let converted: UnsafePointer<CChar>?
        if family == AF_INET {
            converted = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                var raw = ipv4.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count))
            }
        } else {
            converted = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                var raw = ipv6.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count))
            }
        }
        guard converted != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func connect(to address: ResolvedAddress, deadline: ProbeDeadline) throws(ProbeDialError)
        -> ProbeSocket
    {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = socket(address.family, type, 0)
        guard descriptor >= 0 else {
            throw .connectFailed(address: address.text, message: errnoMessage(errno))
        }
        let socket = ProbeSocket(descriptor: descriptor, remoteAddress: address.text)
        let status = address.bytes.withUnsafeBytes { raw in
            Glibc.connect(
                descriptor, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if status == 0 { return socket }
        let connectErrno = errno
        guard connectErrno == EINPROGRESS || connectErrno == EINTR else {
            throw .connectFailed(address: address.text, message: errnoMessage(connectErrno))
        }
        switch socket.waitFor(events: Int16(POLLOUT), deadline: deadline) {
        case .ready:
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length) != 0 {
                throw .connectFailed(address: address.text, message: errnoMessage(errno))
            }
            if socketError != 0 {
                throw .connectFailed(address: address.text, message: errnoMessage(socketError))
            }
            return socket
        case .timedOut:
            throw .timedOut(address: address.text)
        case .failed(let code):
            throw .connectFailed(address: address.text, message: errnoMessage(code))
        }
    }

    enum WaitOutcome { case ready, timedOut, failed(Int32) }

    func waitFor(events: Int16, deadline: ProbeDeadline) -> WaitOutcome {
        while true {
            let remaining = deadline.remainingMilliseconds
            if remaining <= 0 { return .timedOut }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let count = poll(&entry, 1, remaining)
            if count > 0 { return .ready }
            if count == 0 { continue }  // re-check the deadline
            if errno == EINTR { continue }
            return .failed(errno)
        }
    }

    /// Writes all of `bytes` before the deadline.
    func writeAll(_ bytes: [UInt8], deadline: ProbeDeadline) throws(ProbeSocketIOError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                offset += written
                continue
            }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else { throw ioError("write", code) }
            switch waitFor(events: Int16(POLLOUT), deadline: deadline) {
            case .ready: continue
            case .timedOut: throw .timedOut
            case .failed(let failure): throw ioError("write", failure)
            }
        }
    }

    /// Reads up to `maximum` bytes before the deadline; an empty array means the peer closed.
    func read(maximum: Int, deadline: ProbeDeadline) throws(ProbeSocketIOError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in recv(descriptor, raw.baseAddress, raw.count, 0) }
            if count >= 0 { return Array(buffer.prefix(count)) }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else { throw ioError("read", code) }
            switch waitFor(events: Int16(POLLIN), deadline: deadline) {
            case .ready: continue
            case .timedOut: throw .timedOut
            case .failed(let failure): throw ioError("read", failure)
            }
        }
    }

    private func ioError(_ operation: String, _ code: Int32) -> ProbeSocketIOError {
        .failed(operation: operation, local: localAddress, remote: remoteAddress, message: Self.errnoMessage(code))
    }

    private var localAddress: String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard status == 0 else { return "?" }
        return withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                let family = Int32(address.pointee.sa_family)
                let port: UInt16
                if family == AF_INET {
                    port = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
                } else {
                    port = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
                }
                return Self.joinHostPort(Self.numericHost(address, family: family), Int(UInt16(bigEndian: port)))
            }
        }
    }

    /// `strerror` with a lower-case first letter, as Go's `syscall.Errno` strings read.
    static func errnoMessage(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}

/// Runs blocking socket work off the cooperative pool, one serial Dispatch queue per call.
///
/// Why per call: queues made with `DispatchQueue(label:)` (serial) run on libdispatch's overcommitting
/// pool, which adds a thread when all are blocked; the global and custom concurrent queues do not
/// overcommit, so on a 2-core node only about two blocking probes would run at a time and a hanging
/// probe would delay the others.
///
/// Stateless; safe from any task.
enum ProbeIO {
    static func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "swiftlet.kubelet.probe-io").async { continuation.resume(returning: work()) }
        }
    }
}
