#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A listening Unix stream socket that receives one file descriptor per connection (`SCM_RIGHTS`), e.g.
/// the pseudo-terminal master that `runc exec --tty --console-socket <path>` sends.
///
/// Owns its descriptor and socket file; `close()` once. `receiveDescriptor` blocks: call it from a
/// dedicated thread or Dispatch, not the cooperative pool.
public final class DescriptorPassingSocket: @unchecked Sendable {
    // SAFETY: `fd` and `path` are immutable; the kernel serialises concurrent use of the descriptor.
    public let path: String
    private let fd: Int32

    /// Binds and listens at `path` (at most 107 bytes; an old socket file there is replaced).
    public init(path: String) throws(HostSystemError) {
        guard path.utf8.count < 108 else { throw .systemCall("bind(\(path)): path longer than 107 bytes", errno: ENAMETOOLONG) }
        let socketType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let fd = socket(AF_UNIX, socketType, 0)
        guard fd >= 0 else { throw .systemCall("socket(AF_UNIX)", errno: errno) }
        unlink(path)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .systemCall("bind/listen(\(path))", errno: code)
        }
        self.fd = fd
        self.path = path
    }

    /// Waits for one connection and returns the descriptor it sends. Polls every 100 ms and gives up
    /// (throwing ETIMEDOUT) once `shouldStop` returns true, e.g. because the sender exited.
    public func receiveDescriptor(shouldStop: () -> Bool) throws(HostSystemError) -> Int32 {
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready < 0 && errno != EINTR { throw .systemCall("poll(console socket)", errno: errno) }
            if ready > 0 { break }
            if shouldStop() { throw .systemCall("accept(console socket): no connection", errno: ETIMEDOUT) }
        }
        let connection = accept(fd, nil, nil)
        guard connection >= 0 else { throw .systemCall("accept(console socket)", errno: errno) }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        defer { Glibc.close(connection) }

        var payload = [UInt8](repeating: 0, count: 4096)
        // struct cmsghdr { size_t len; int level; int type; } + one int, padded: 24 bytes on 64-bit Linux.
        let headerSize = MemoryLayout<Int>.size + 2 * MemoryLayout<Int32>.size
        var control = [UInt8](repeating: 0, count: headerSize + 8)
        let received: Int = payload.withUnsafeMutableBytes { payloadBuffer in
            control.withUnsafeMutableBytes { controlBuffer in
                var vector = iovec(iov_base: payloadBuffer.baseAddress, iov_len: payloadBuffer.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBuffer.baseAddress
                    message.msg_controllen = controlBuffer.count
                    return recvmsg(connection, &message, Int32(MSG_CMSG_CLOEXEC))
                }
            }
        }
        guard received >= 0 else { throw .systemCall("recvmsg(console socket)", errno: errno) }
        let length = control.withUnsafeBytes { $0.load(fromByteOffset: 0, as: Int.self) }
        let level = control.withUnsafeBytes { $0.load(fromByteOffset: MemoryLayout<Int>.size, as: Int32.self) }
        let type = control.withUnsafeBytes { $0.load(fromByteOffset: MemoryLayout<Int>.size + 4, as: Int32.self) }
        guard length >= headerSize + 4, level == SOL_SOCKET, type == Int32(SCM_RIGHTS) else {
            throw .systemCall("recvmsg(console socket): no descriptor received", errno: EPROTO)
        }
        return control.withUnsafeBytes { $0.load(fromByteOffset: headerSize, as: Int32.self) }
    }

    /// Closes the socket and removes its file.
    public func close() {
        Glibc.close(fd)
        unlink(path)
    }
}
