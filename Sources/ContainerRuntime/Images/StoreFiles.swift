#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import HostSystem

/// Small file-system helpers of the image store, with errors as `ImageError`.
///
/// Stateless; safe from any thread. All but `removeTree` block briefly (single system calls or small
/// files); `removeTree` runs `rm -rf` as a child process.
enum StoreFiles {
    static func makeDirectory(_ path: String) throws(ImageError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(operation: "mkdir", path: path, reason: "\(error.localizedDescription)")
        }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The whole file; `missing` is thrown when it does not exist.
    static func read(_ path: String, missing: ImageError? = nil) throws(ImageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT, let missing { throw missing }
            throw .fileSystem(operation: "open", path: path, reason: lastErrorText())
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                result.append(contentsOf: chunk[0..<count])
            } else if count == 0 {
                return result
            } else if errno != EINTR {
                throw .fileSystem(operation: "read", path: path, reason: lastErrorText())
            }
        }
    }

    /// The first `count` bytes of a file (fewer if it is shorter).
    static func readPrefix(_ path: String, count: Int) throws(ImageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .fileSystem(operation: "open", path: path, reason: lastErrorText()) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard read >= 0 else { throw .fileSystem(operation: "read", path: path, reason: lastErrorText()) }
        return Array(bytes[0..<read])
    }

    /// Names in a directory (no `.`/`..`); empty if it cannot be read.
    static func directoryEntries(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    static func rename(_ source: String, to destination: String) throws(ImageError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw .fileSystem(operation: "rename \(source) to", path: destination, reason: lastErrorText())
        }
    }

    /// Deletes a file or a whole tree (never following symlinks); a missing path is fine.
    static func removeTree(_ path: String) async throws(ImageError) {
        guard exists(path) else { return }
        do {
            try await HostCommand.runChecked("rm", ["-rf", "--one-file-system", "--", path])
        } catch {
            throw .fileSystem(operation: "rm -rf", path: path, reason: error.description)
        }
    }

    static func randomSuffix() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }

    /// `path` with its last component removed (`/a/b` -> `/a`).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
