import HostSystem

/// Mounts a container's root file system as an overlay of unpacked image layers plus a writable upper
/// directory, and unmounts it.
///
/// Stateless; safe from any thread. Each call is one mount(2) / umount2(2) system call (plus mkdir).
/// Needs CAP_SYS_ADMIN (root).
public enum RootfsMount {
    /// Mounts `overlay` on `target` with the layers as lower directories. `lowerLayers` is ordered bottom
    /// to top, as `ImageStore.unpackedLayerPaths(for:)` returns them (overlayfs wants the reverse, leftmost
    /// = topmost; this function does that). `upper` receives the container's writes; `work` is overlayfs
    /// scratch space on the same file system as `upper`. `upper`, `work` and `target` are created if missing.
    public static func mountOverlay(
        lowerLayers: [String], upper: String, work: String, target: String
    ) throws(ImageError) {
        guard !lowerLayers.isEmpty else { throw .mountFailed(target: target, reason: "an image without layers") }
        for path in lowerLayers + [upper, work] where path.contains(",") || path.contains(":") || path.contains("\\") {
            throw .mountFailed(target: target, reason: "overlay paths must not contain ',', ':' or '\\': \(path)")
        }
        for directory in [upper, work, target] { try StoreFiles.makeDirectory(directory) }
        let options = "lowerdir=" + lowerLayers.reversed().joined(separator: ":")
            + ",upperdir=" + upper + ",workdir=" + work
        guard options.utf8.count < 4096 else {
            throw .mountFailed(
                target: target,
                reason: "the overlay options for \(lowerLayers.count) layers exceed one page (\(options.utf8.count) bytes); "
                    + "use a shorter image store path or an image with fewer layers")
        }
        do {
            try FileSystemMount.mount(source: "overlay", target: target, type: "overlay", data: options)
        } catch {
            throw .mountFailed(target: target, reason: error.description)
        }
    }

    /// Unmounts `target`. Returns false, without an error, when it was not mounted (so teardown can call it
    /// again after a crash). `lazily` detaches it even if something still uses it (MNT_DETACH).
    @discardableResult
    public static func unmount(_ target: String, lazily: Bool = false) throws(ImageError) -> Bool {
        do {
            return try FileSystemMount.unmount(target, lazily: lazily)
        } catch {
            throw .mountFailed(target: target, reason: "unmount: " + error.description)
        }
    }
}
