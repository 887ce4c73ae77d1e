#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// mount(2) and umount2(2): attach a file system (overlay, bind, tmpfs, …) to a directory and detach it.
///
/// Stateless; safe from any thread. Each call is one short system call.
public enum FileSystemMount {
    /// Mounts `source` of `type` on `target` with mount(2). `data` is the file system's option string
    /// (for overlay `lowerdir=…,upperdir=…,workdir=…`); the kernel accepts at most one page of it.
    public static func mount(
        source: String, target: String, type: String, flags: UInt = 0, data: String? = nil
    ) throws(HostSystemError) {
        let result: Int32
        if let data {
            result = data.withCString { systemMount(source, target, type, flags, $0) }
        } else {
            result = systemMount(source, target, type, flags, nil)
        }
        guard result == 0 else { throw .systemCall("mount(\(type) on \(target))", errno: errno) }
    }

    /// Unmounts `target` with umount2(2). `lazily` detaches it now and frees it once no longer busy
    /// (MNT_DETACH). Returns false, without an error, when `target` is not a mount point or does not exist.
    @discardableResult
    public static func unmount(_ target: String, lazily: Bool = false) throws(HostSystemError) -> Bool {
        guard umount2(target, lazily ? Int32(MNT_DETACH) : 0) == 0 else {
            let code = errno
            if code == EINVAL || code == ENOENT { return false }
            throw .systemCall("umount2(\(target))", errno: code)
        }
        return true
    }
}

/// mount(2) under a name the `FileSystemMount.mount` method does not shadow.
private func systemMount(
    _ source: String, _ target: String, _ type: String, _ flags: UInt, _ data: UnsafePointer<CChar>?
) -> Int32 {
    mount(source, target, type, flags, data)
}
