import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a lock file beside the database, holding the owner's PID, so a second server on
/// the same data directory fails fast and names the holder.
///
/// Thread-safe: immutable after `acquire`; `release` is idempotent and guarded by the kernel lock.
final class DataDirectoryLock: Sendable {
    let path: String
    private let descriptor: Int32
    private let released = Atomic(false)

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock or throws `.dataDirectoryLocked` with the holder's PID.
    static func acquire(path: String, protecting databasePath: String) throws -> DataDirectoryLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StorageError.unavailable(
                "cannot open lock file \(path): \(String(cString: strerror(errno))); check the directory's permissions")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let text = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
            throw StorageError.dataDirectoryLocked(
                path: (databasePath as NSString).deletingLastPathComponent,
                holderPID: Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        return DataDirectoryLock(path: path, descriptor: fd)
    }

    /// Releases the lock (closing the descriptor drops the flock).
    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }
}
