#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Small synchronous file operations on the pod network's state directory and on /proc/sys.
///
/// Stateless; safe from any thread. Each call is a handful of system calls on small local files, so it runs
/// inline (it does not block a cooperative thread for long).
enum StateFiles {
    /// `mkdir -p path`.
    static func createDirectory(_ path: String) throws(NodeNetworkingError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .stateFile(path: prefix, reason: "cannot create directory: \(errorText(errno))")
            }
        }
    }

    /// The file's contents, nil if it does not exist.
    static func readText(_ path: String) throws(NodeNetworkingError) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .stateFile(path: path, reason: "cannot open: \(errorText(errno))")
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                result.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                return String(decoding: result, as: UTF8.self)
            } else if errno != EINTR {
                throw .stateFile(path: path, reason: "cannot read: \(errorText(errno))")
            }
        }
    }

    /// Replaces the file's contents atomically (write a temporary file, then rename it over `path`).
    static func writeAtomically(_ path: String, _ text: String) throws(NodeNetworkingError) {
        let temporary = temporaryPath(for: path)
        try writeNew(temporary, text)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .stateFile(path: path, reason: "cannot rename into place: \(errorText(code))")
        }
    }

    /// Creates the file with `text` only if no file exists at `path` (atomically, with link(2)).
    /// Returns false when the file already exists.
    static func createExclusively(_ path: String, _ text: String) throws(NodeNetworkingError) -> Bool {
        let temporary = temporaryPath(for: path)
        try writeNew(temporary, text)
        defer { unlink(temporary) }
        if link(temporary, path) == 0 { return true }
        if errno == EEXIST { return false }
        throw .stateFile(path: path, reason: "cannot create: \(errorText(errno))")
    }

    /// Writes `text` into an existing file without truncating or renaming (for /proc/sys).
    static func overwrite(_ path: String, _ text: String) -> Int32? {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return written == bytes.count ? nil : errno
    }

    /// Removes the file; a missing file is fine.
    static func remove(_ path: String) throws(NodeNetworkingError) {
        if unlink(path) != 0 && errno != ENOENT {
            throw .stateFile(path: path, reason: "cannot remove: \(errorText(errno))")
        }
    }

    /// The names in a directory (without "." and ".."); empty if the directory does not exist.
    static func list(_ directory: String) throws(NodeNetworkingError) -> [String] {
        guard let stream = opendir(directory) else {
            if errno == ENOENT { return [] }
            throw .stateFile(path: directory, reason: "cannot list: \(errorText(errno))")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Whether something exists at `path` (following symbolic links).
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    private static func temporaryPath(for path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return ".\(path).tmp-\(getpid())" }
        return String(path[...slash]) + "." + path[path.index(after: slash)...] + ".tmp-\(getpid())"
    }

    private static func writeNew(_ path: String, _ text: String) throws(NodeNetworkingError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .stateFile(path: path, reason: "cannot create: \(errorText(errno))") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                offset += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                let code = errno
                unlink(path)
                throw .stateFile(path: path, reason: "cannot write: \(errorText(code))")
            }
        }
    }
}
