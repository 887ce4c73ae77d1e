#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The file-system calls volume setup needs, as thin throwing wrappers over the C library (exact modes
/// without the umask, symlinks, `rename`, `lstat`, removal that never crosses into another mount).
///
/// Stateless; every function is a direct system call sequence, safe from any thread; they block briefly.
enum VolumeFileSystem {
    /// What `lstat` says a path is.
    enum EntryType: Equatable {
        case missing, directory, regularFile, symbolicLink, socket, characterDevice, blockDevice, other
    }

    static func entryType(_ path: String, followingSymlinks: Bool = false) -> EntryType {
        var info = stat()
        let result = followingSymlinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regularFile
        case S_IFLNK: return .symbolicLink
        case S_IFSOCK: return .socket
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        default: return .other
        }
    }

    static func exists(_ path: String) -> Bool { entryType(path) != .missing }

    /// Permission bits of `path` (following symlinks), nil when it does not exist.
    static func mode(_ path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode & 0o7777)
    }

    static func device(_ path: String) -> UInt64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt64(info.st_dev)
    }

    /// Creates `path` and missing parents with `mode` (exact, not masked); existing directories are kept.
    static func makeDirectories(_ path: String, mode: UInt32) throws(VolumeFileSystemError) {
        switch entryType(path, followingSymlinks: true) {
        case .directory: return
        case .missing: break
        default: throw VolumeFileSystemError(operation: "mkdir", path: path, code: ENOTDIR)  // Go's MkdirAll
        }
        let parent = parentDirectory(path)
        if parent != path, !parent.isEmpty { try makeDirectories(parent, mode: mode) }
        if mkdir(path, mode_t(mode)) != 0 {
            let code = errno
            if code == EEXIST, entryType(path, followingSymlinks: true) == .directory { return }
            throw VolumeFileSystemError(operation: "mkdir", path: path, code: code)
        }
        if chmod(path, mode_t(mode)) != 0 { throw VolumeFileSystemError(operation: "chmod", path: path, code: errno) }
    }

    /// Creates a new directory `path` (fails with EEXIST when it exists).
    static func makeDirectory(_ path: String, mode: UInt32) throws(VolumeFileSystemError) {
        if mkdir(path, mode_t(mode)) != 0 { throw VolumeFileSystemError(operation: "mkdir", path: path, code: errno) }
        if chmod(path, mode_t(mode)) != 0 { throw VolumeFileSystemError(operation: "chmod", path: path, code: errno) }
    }

    static func setMode(_ path: String, _ mode: UInt32) throws(VolumeFileSystemError) {
        if chmod(path, mode_t(mode)) != 0 { throw VolumeFileSystemError(operation: "chmod", path: path, code: errno) }
    }

    /// Writes a new file (replacing nothing: the caller writes into a fresh directory) with exact `mode`.
    static func writeNewFile(_ path: String, bytes: [UInt8], mode: UInt32) throws(VolumeFileSystemError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode_t(0o600))
        guard descriptor >= 0 else { throw VolumeFileSystemError(operation: "open", path: path, code: errno) }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw VolumeFileSystemError(operation: "write", path: path, code: errno)
            }
            offset += written
        }
        if fchmod(descriptor, mode_t(mode)) != 0 {
            throw VolumeFileSystemError(operation: "chmod", path: path, code: errno)
        }
    }

    /// Gives `path` (not following a final symlink) the group `group`, keeping its owner.
    static func setGroup(_ path: String, _ group: UInt32) throws(VolumeFileSystemError) {
        if lchown(path, uid_t.max, gid_t(group)) != 0 {
            throw VolumeFileSystemError(operation: "chown", path: path, code: errno)
        }
    }

    /// The group owning `path` (following symlinks), nil when it does not exist.
    static func group(_ path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_gid)
    }

    /// Creates an empty file if missing (upstream hostPath `FileOrCreate`: mode 0644).
    static func createFileIfMissing(_ path: String, mode: UInt32) throws(VolumeFileSystemError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw VolumeFileSystemError(operation: "open", path: path, code: errno) }
        close(descriptor)
    }

    /// The whole file, or nil when it cannot be read (missing, a directory, no permission).
    static func readFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return result }
            result.append(contentsOf: buffer[0..<count])
        }
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func symbolicLink(_ path: String, pointingTo target: String) throws(VolumeFileSystemError) {
        if symlink(target, path) != 0 { throw VolumeFileSystemError(operation: "symlink", path: path, code: errno) }
    }

    static func move(_ source: String, to destination: String) throws(VolumeFileSystemError) {
        if rename(source, destination) != 0 {
            throw VolumeFileSystemError(operation: "rename", path: source, code: errno)
        }
    }

    /// The canonical absolute path (all symlinks resolved), nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Names in a directory (without `.` and `..`); empty when it cannot be read.
    static func directoryEntries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `path` and everything below it without following symlinks and without descending into
    /// another file system (a mount point below is left alone and reported as EBUSY).
    static func removeRecursively(_ path: String) throws(VolumeFileSystemError) {
        guard let device = device(path) else { return }
        try remove(path, device: device)
    }

    private static func remove(_ path: String, device: UInt64) throws(VolumeFileSystemError) {
        let type = entryType(path)
        if type == .missing { return }
        if type == .directory {
            guard self.device(path) == device else {
                throw VolumeFileSystemError(operation: "remove", path: path, code: EBUSY)
            }
            for name in directoryEntries(path) { try remove(path + "/" + name, device: device) }
            if rmdir(path) != 0, errno != ENOENT {
                throw VolumeFileSystemError(operation: "remove", path: path, code: errno)
            }
        } else if unlink(path) != 0, errno != ENOENT {
            throw VolumeFileSystemError(operation: "remove", path: path, code: errno)
        }
    }

    static func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}

/// A failed file-system call, described like Go's `*PathError` (`mkdir /x: permission denied`), which is
/// what upstream's volume events show.
///
/// Value type; Sendable.
struct VolumeFileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32

    var description: String { "\(operation) \(path): \(Self.message(code))" }

    /// strerror text in Go's spelling (lower-case first letter).
    static func message(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
