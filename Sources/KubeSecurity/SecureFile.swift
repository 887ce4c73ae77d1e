public import Foundation

/// Writes files that hold key material: a temporary file with the final mode from the start, then an atomic
/// rename, so a reader never sees a partial or world-readable key.
///
/// Stateless; Sendable.
public enum SecureFile {
    /// Writes `contents` to `path` with `mode` (0600 for keys), replacing any existing file atomically.
    public static func write(_ contents: String, to path: String, mode: mode_t = 0o600) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw PKIError.unreadable(path: temporary, reason: String(cString: strerror(errno))) }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                close(descriptor)
                unlink(temporary)
                throw PKIError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            written += result
        }
        fchmod(descriptor, mode)
        fsync(descriptor)
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw PKIError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// The file's contents, or nil when it does not exist.
    public static func read(_ path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PKIError.unreadable(path: path, reason: "\(error)")
        }
    }

    /// Creates `path` (and parents) as a directory only its owner can enter.
    public static func makePrivateDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        chmod(path, 0o700)
    }
}
