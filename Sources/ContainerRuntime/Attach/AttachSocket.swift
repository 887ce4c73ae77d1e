#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Unix stream sockets for the attach protocol: the shim listens on `<state dir>/attach.sock`, attach
/// clients connect to it. Paths longer than a `sockaddr_un` holds (107 bytes; state directories under deep
/// data directories get there) are reached through a descriptor of their directory
/// (`/proc/self/fd/<n>/<name>`).
///
/// Stateless; the returned descriptors are close-on-exec and owned by the caller. Blocking (connect and
/// accept): call from Dispatch or a dedicated thread.
enum AttachSocket {
    /// Binds and listens at `path` (an old socket file there is replaced).
    static func listen(path: String) throws(ContainerRuntimeError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io("create a socket for \(path)", errno: errno) }
        unlink(path)
        let result = withAddress(of: path) { address, length in bind(fd, address, length) }
        guard result == 0, Glibc.listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw .io("listen at \(path)", errno: code)
        }
        return fd
    }

    /// Connects to the socket at `path`.
    static func connect(path: String) throws(ContainerRuntimeError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io("create a socket for \(path)", errno: errno) }
        while true {
            let result = withAddress(of: path) { address, length in Glibc.connect(fd, address, length) }
            if result == 0 { return fd }
            let code = errno
            if code == EINTR { continue }
            close(fd)
            throw .io("connect to \(path)", errno: code)
        }
    }

    /// Calls `body` with a `sockaddr_un` for `path`; returns body's result, or -1 with `errno` set when the
    /// address cannot be formed (the directory of a long path cannot be opened).
    private static func withAddress(of path: String,
                                    _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var effective = path
        var directoryFD: Int32 = -1
        defer { if directoryFD >= 0 { close(directoryFD) } }
        if path.utf8.count >= 108 {
            let slash = path.lastIndex(of: "/") ?? path.startIndex
            let directory = slash == path.startIndex ? "/" : String(path[..<slash])
            directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard directoryFD >= 0 else { return -1 }
            effective = "/proc/self/fd/\(directoryFD)/" + path[path.index(after: slash)...]
            guard effective.utf8.count < 108 else {
                errno = ENAMETOOLONG
                return -1
            }
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in effective.utf8.enumerated() { buffer[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}

extension AttachSocket {
    /// Writes all of `bytes` to the connected socket `fd` (blocking; no SIGPIPE). False once the peer is gone.
    @discardableResult
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                offset += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }
}
