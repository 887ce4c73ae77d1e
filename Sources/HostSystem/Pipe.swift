#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A close-on-exec pipe: `readEnd` and `writeEnd` are plain descriptors owned by the caller.
///
/// A value type; Sendable. Close each end exactly once.
public struct HostPipe: Sendable {
    public let readEnd: Int32
    public let writeEnd: Int32

    public init() throws(HostSystemError) {
        var fds: [Int32] = [-1, -1]
        guard LibcFunctions.pipe2(&fds, O_CLOEXEC) == 0 else { throw .systemCall("pipe2", errno: errno) }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    /// Reads `fd` until end of file on the calling thread (blocking).
    public static func readAll(_ fd: Int32) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                result.append(contentsOf: chunk[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return result
            }
        }
    }

    /// Writes all of `bytes` to `fd` on the calling thread (blocking); stops quietly if the reader went away.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                offset += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
