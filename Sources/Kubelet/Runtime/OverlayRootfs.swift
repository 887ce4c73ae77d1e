import Foundation
import HostSystem

/// A container's root file system: the image layers (read-only, shared) under a per-container overlayfs
/// upper directory, mounted at `<bundle>/rootfs`.
///
/// Stateless; each call does its mount IO.
enum OverlayRootfs {
    /// Mounts `layers` (bottom to top) at `rootfs` with `<bundle>/upper` and `<bundle>/work`.
    static func mount(layers: [String], bundle: String, rootfs: String) throws {
        let manager = FileManager.default
        for directory in [bundle + "/upper", bundle + "/work", rootfs] {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        // overlayfs lists the topmost layer first.
        let lower = layers.reversed().joined(separator: ":")
        try FileSystemMount.mount(source: "overlay", target: rootfs, type: "overlay",
                                  data: "lowerdir=\(lower),upperdir=\(bundle)/upper,workdir=\(bundle)/work")
    }

    static func unmount(bundle: String) {
        let rootfs = bundle + "/rootfs"
        do {
            try FileSystemMount.unmount(rootfs)
        } catch {
            _ = try? FileSystemMount.unmount(rootfs, lazily: true)
        }
    }
}
