#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// tmpfs mounts for memory-backed emptyDir volumes (mount(2) `tmpfs` with `size=<bytes>`, as upstream's
/// `setupTmpfs`), and the mount table queries that find them again for teardown (also after a restart).
///
/// Stateless; direct system calls, safe from any thread; needs CAP_SYS_ADMIN.
enum TmpfsMount {
    static func mount(at path: String, sizeBytes: Int64?) throws(VolumeProblem) {
        let options = sizeBytes.map { "size=\($0)" } ?? ""
        let result = options.withCString { optionsPointer in
            Glibc.mount("tmpfs", path, "tmpfs", 0, optionsPointer)
        }
        guard result == 0 else {
            let code = errno
            throw .mountFailed("mount -t tmpfs -o \(options.isEmpty ? "defaults" : options) tmpfs \(path): "
                + VolumeFileSystemError.message(code))
        }
    }

    /// Unmounts `path` (lazily when it is busy).
    static func unmount(_ path: String) throws(VolumeFileSystemError) {
        if umount2(path, 0) == 0 { return }
        let code = errno
        if code == EINVAL || code == ENOENT { return }
        if code == EBUSY, umount2(path, Int32(MNT_DETACH)) == 0 { return }
        throw VolumeFileSystemError(operation: "umount", path: path, code: code)
    }

    static func isMountPoint(_ path: String) -> Bool {
        mountPoints(under: path).contains(path)
    }

    /// Mount points at or below `prefix` from /proc/self/mountinfo, deepest first.
    static func mountPoints(under prefix: String) -> [String] {
        guard let bytes = VolumeFileSystem.readFile("/proc/self/mountinfo") else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        var result: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 4 else { continue }
            let mountPoint = unescape(String(fields[4]))
            if mountPoint == prefix || mountPoint.hasPrefix(prefix + "/") { result.append(mountPoint) }
        }
        return result.sorted { $0.count > $1.count }
    }

    /// mountinfo escapes space, tab, newline and backslash as `\ooo`.
    static func unescape(_ field: String) -> String {
        var output: [UInt8] = []
        let bytes = Array(field.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count {
                let digits = bytes[(index + 1)...(index + 3)]
                if digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) {
                    let value = digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
                    output.append(UInt8(truncatingIfNeeded: value))
                    index += 4
                    continue
                }
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}
