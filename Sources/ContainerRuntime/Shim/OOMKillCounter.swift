import Foundation

/// Reads how many processes the kernel's OOM killer has killed in a container's memory cgroup: the
/// `oom_kill` line of `memory.oom_control` (cgroup v1) or `memory.events` (cgroup v2). Read it before
/// `runc delete`, which removes the cgroup.
///
/// Stateless; Sendable; blocking (one small file).
public enum OOMKillCounter {
    /// The counter for `cgroupsPath` (as in the OCI spec, e.g. `/kube/pod/web`), nil if there is no such
    /// cgroup or the kernel does not report it.
    public static func read(cgroupsPath: String, cgroupRoot: String = "/sys/fs/cgroup") -> UInt64? {
        let relative = cgroupsPath.hasPrefix("/") ? cgroupsPath : "/" + cgroupsPath
        let unified = FileManager.default.fileExists(atPath: cgroupRoot + "/cgroup.controllers")
        let file = unified ? cgroupRoot + relative + "/memory.events" : cgroupRoot + "/memory" + relative + "/memory.oom_control"
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// The value of the `oom_kill` line of a `memory.oom_control` or `memory.events` file.
    public static func parse(_ text: String) -> UInt64? {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == "oom_kill" { return UInt64(fields[1]) }
        }
        return nil
    }
}
