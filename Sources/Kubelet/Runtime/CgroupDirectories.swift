import Foundation

/// Where the kubelet puts containers in the cgroup tree (`/swiftlet/pod<uid>/<container id>` in every
/// hierarchy, as runc creates it) and how the pod level is removed once the pod's containers are gone
/// (runc removes only the leaf).
///
/// Stateless.
enum CgroupDirectories {
    static let root = "/sys/fs/cgroup"

    static func containerPath(podUID: String, containerID: String) -> String {
        "/swiftlet/pod\(podUID)/\(containerID)"
    }

    /// Removes `/swiftlet/pod<uid>` (and any leftover leaves) from every mounted hierarchy.
    static func removePodDirectories(podUID: String) {
        let manager = FileManager.default
        var hierarchies = [root]
        if let entries = try? manager.contentsOfDirectory(atPath: root) {
            hierarchies += entries.map { root + "/" + $0 }
        }
        for hierarchy in hierarchies {
            let podDirectory = hierarchy + "/swiftlet/pod" + podUID
            guard manager.fileExists(atPath: podDirectory) else { continue }
            if let leaves = try? manager.contentsOfDirectory(atPath: podDirectory) {
                for leaf in leaves {
                    var isDirectory: ObjCBool = false
                    if manager.fileExists(atPath: podDirectory + "/" + leaf, isDirectory: &isDirectory), isDirectory.boolValue {
                        rmdir(podDirectory + "/" + leaf)
                    }
                }
            }
            rmdir(podDirectory)
        }
    }
}
