import ContainerRuntime
import Foundation
import HostSystem

/// The host side of `swiftlet bench pod-startup`: finding runc, the bare `runc run` baseline, and removing
/// what the node agent left behind (runc containers, mounts, network namespaces, bridge, iptables rule, pod
/// cgroups).
///
/// Stateless namespace; every command goes through HostSystem.HostCommand.
enum PodStartupHost {
    /// runc's absolute path from PATH, or nil.
    static func runcPath() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        for directory in path.split(separator: ":") + ["/usr/sbin", "/usr/bin"] {
            let candidate = "\(directory)/runc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func toolPath(_ name: String) -> String {
        for directory in ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
            where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
            return "\(directory)/\(name)"
        }
        return "/usr/sbin/\(name)"
    }

    /// `count` foreground `runc run` (create, start, wait, delete) of `/bin/true` on the image's unpacked
    /// layer as a read-only root file system (no overlay, no network beyond a fresh namespace, no shim).
    static func bareRuncRuns(image: StoredImage, imageDirectory: String, scratch: String, count: Int) async throws
        -> [Duration]
    {
        guard let runc = runcPath() else { throw PodStartupBenchmarkError.unavailable("runc is not on PATH") }
        let store = try ImageStore(root: imageDirectory)
        let layers = try await store.unpackedLayerPaths(for: image)
        guard layers.count == 1, let rootfs = layers.first else {
            throw PodStartupBenchmarkError.baseline("expected one layer in \(image.names), found \(layers.count)")
        }
        let bundle = scratch + "/bundle"
        let state = scratch + "/state"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try await HostCommand.runChecked(runc, ["spec", "--bundle", bundle])
        try writeConfiguration(bundle + "/config.json", rootfs: rootfs)
        var latencies: [Duration] = []
        for index in 0..<count {
            let id = "swbench-baseline-\(getpid())-\(index)"
            let start = ContinuousClock.now
            let output = try await HostCommand.run(runc, ["--root", state, "run", "--bundle", bundle, id])
            let elapsed = ContinuousClock.now - start
            guard output.status.succeeded else {
                _ = try? await HostCommand.run(runc, ["--root", state, "delete", "--force", id])
                throw PodStartupBenchmarkError.baseline("runc run \(id): \(output.standardErrorText)")
            }
            latencies.append(elapsed)
        }
        return latencies
    }

    /// Edits `runc spec`'s default: no terminal, `/bin/true`, the layer as read-only root.
    private static func writeConfiguration(_ path: String, rootfs: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard var spec = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var process = spec["process"] as? [String: Any] else {
            throw PodStartupBenchmarkError.baseline("runc spec wrote no process section")
        }
        process["terminal"] = false
        process["args"] = ["/bin/true"]
        spec["process"] = process
        spec["root"] = ["path": rootfs, "readonly": true] as [String: Any]
        spec["hostname"] = "swbench"
        try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: path))
    }

    /// Removes everything the node agent of a stopped cluster left on the host. Errors are ignored: this is
    /// a best effort that runs after failures too.
    static func cleanUp(dataDirectory: String, bridge: String, podUIDs: [String]) async {
        if let runc = runcPath() {
            let runcRoot = dataDirectory + "/agent/runc"
            if let list = try? await HostCommand.run(runc, ["--root", runcRoot, "list", "-q"]) {
                for id in list.standardOutputText.split(separator: "\n") {
                    _ = try? await HostCommand.run(runc, ["--root", runcRoot, "delete", "--force", String(id)])
                }
            }
        }
        if let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) {
            for line in mounts.split(separator: "\n").reversed() {
                let fields = line.split(separator: " ")
                if fields.count > 1, fields[1].hasPrefix(dataDirectory) {
                    _ = try? await HostCommand.run(toolPath("umount"), ["-l", String(fields[1])])
                }
            }
        }
        let ip = toolPath("ip")
        if let namespaces = try? await HostCommand.run(ip, ["netns", "list"]) {
            for line in namespaces.standardOutputText.split(separator: "\n") {
                let name = String(line.split(separator: " ").first ?? "")
                if name.hasPrefix(bridge + "-") { _ = try? await HostCommand.run(ip, ["netns", "del", name]) }
            }
        }
        _ = try? await HostCommand.run(ip, ["link", "del", bridge])
        let iptables = toolPath("iptables")
        if let rules = try? await HostCommand.run(iptables, ["-S", "FORWARD"]) {
            for rule in rules.standardOutputText.split(separator: "\n") where rule.contains(bridge) && rule.hasPrefix("-A ") {
                _ = try? await HostCommand.run(iptables, ["-D"] + shellWords(String(rule.dropFirst(3))))
            }
        }
        let hierarchies = ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [])
            .map { "/sys/fs/cgroup/\($0)" } + ["/sys/fs/cgroup"]
        for hierarchy in hierarchies {
            for uid in podUIDs {
                let pod = "\(hierarchy)/swiftlet/pod\(uid)"
                for leaf in (try? FileManager.default.contentsOfDirectory(atPath: pod)) ?? [] {
                    rmdir(pod + "/" + leaf)
                }
                rmdir(pod)
            }
        }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// Splits an `iptables -S` line into words, keeping quoted comments together.
    static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle(); continue }
            if character == " " && !quoted {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
