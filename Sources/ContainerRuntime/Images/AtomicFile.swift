#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Replaces a file's content atomically: write `<path>.tmp-<random>`, fsync, rename over `path`, fsync the
/// directory.
///
/// Stateless; safe from any thread; blocking (small files only).
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws(ImageError) {
        let temporary = path + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .fileSystem(operation: "create", path: temporary, reason: lastErrorText()) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = lastErrorText()
                close(fd)
                unlink(temporary)
                throw .fileSystem(operation: "write", path: temporary, reason: reason)
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            let reason = lastErrorText()
            close(fd)
            unlink(temporary)
            throw .fileSystem(operation: "fsync", path: temporary, reason: reason)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = lastErrorText()
            unlink(temporary)
            throw .fileSystem(operation: "rename", path: temporary, reason: reason)
        }
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        let directoryFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
