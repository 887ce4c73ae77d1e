import ContainerRuntime
import Foundation
import HostSystem
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// One real-runc test's world: a busybox rootfs, a private runc root and state directory, a unique cgroup
/// parent, and the built `swiftlet` binary as the shim. `cleanUp()` force-deletes every container in the
/// runc root, removes the cgroup directories and the temporary directory.
///
/// Use from one test task.
final class RuncTestEnvironment: Sendable {
    /// Why real-runc tests cannot run here, or nil when they can.
    static let unavailableReason: String? = {
        if getuid() != 0 { return "runc tests need root" }
        guard let runc = executablePath("runc") else { return "runc is not installed" }
        _ = runc
        if !FileManager.default.isExecutableFile(atPath: "/bin/busybox") {
            return "/bin/busybox is missing (apt-get install -y busybox-static)"
        }
        if !FileManager.default.isExecutableFile(atPath: shimExecutable) {
            return "the swiftlet binary is not built at \(shimExecutable) (swift build)"
        }
        return nil
    }()

    static var isAvailable: Bool {
        if let reason = unavailableReason {
            print("skipping runc test: \(reason)")
            return false
        }
        return true
    }

    /// The `swiftlet` executable next to the test bundle (.build/debug/swiftlet).
    static let shimExecutable: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test runner may live inside swiftletPackageTests.xctest/…; walk up to the build directory.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("swiftlet").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("swiftlet").path
    }()

    let directory: String
    let rootfs: String
    let runcRoot: String
    let stateDirectory: String
    let cgroupParent: String
    let logger = Logger(label: "swiftlet.test.runc")

    init() throws {
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        directory = "/tmp/swiftlet-runc-\(token)"
        rootfs = directory + "/rootfs"
        runcRoot = directory + "/runc"
        stateDirectory = directory + "/state"
        cgroupParent = "/swiftlet-test-\(token)"
        try Self.makeBusyboxRootfs(at: rootfs)
    }

    func runtime() -> RuncRuntime {
        RuncRuntime(
            runcRoot: runcRoot, stateDirectory: stateDirectory,
            shimCommand: [Self.shimExecutable, "container-shim"], logger: logger)
    }

    /// A configuration for a busybox container named `name` (unique within this environment).
    func configuration(_ name: String, args: [String]) -> ContainerConfiguration {
        ContainerConfiguration(
            id: "swiftlet-test-\(name)-\(UInt32.random(in: 0...UInt32.max))", bundleDirectory: directory + "/bundles/\(name)",
            rootfs: rootfs, args: args, hostname: name, namespaces: ContainerNamespaces(network: .new),
            cgroupsPath: cgroupParent + "/" + name, logPath: directory + "/logs/\(name).log")
    }

    func cleanUp() async {
        let runc = ["--root", runcRoot]
        if let list = try? await HostCommand.run("runc", runc + ["list", "-q"]) {
            for id in list.standardOutputText.split(separator: "\n") {
                _ = try? await HostCommand.run("runc", runc + ["delete", "--force", String(id)])
            }
        }
        // Give shims a moment to finish (they exit right after their container), then remove cgroups.
        for hierarchy in (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup")) ?? [] {
            let parent = "/sys/fs/cgroup/\(hierarchy)\(cgroupParent)"
            for child in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] {
                var status = stat()
                if stat(parent + "/" + child, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR { rmdir(parent + "/" + child) }
            }
            rmdir(parent)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func makeBusyboxRootfs(at rootfs: String) throws {
        let manager = FileManager.default
        for directory in ["bin", "etc", "proc", "sys", "dev", "tmp", "data"] {
            try manager.createDirectory(atPath: rootfs + "/" + directory, withIntermediateDirectories: true)
        }
        try manager.copyItem(atPath: "/bin/busybox", toPath: rootfs + "/bin/busybox")
        for tool in ["sh", "echo", "sleep", "cat", "id", "hostname", "ls", "head", "tail", "dd", "true", "printf", "tr", "kill"] {
            try manager.createSymbolicLink(atPath: rootfs + "/bin/" + tool, withDestinationPath: "busybox")
        }
        try "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33::/:/bin/sh\n".write(
            toFile: rootfs + "/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\nwww:x:33:\n".write(toFile: rootfs + "/etc/group", atomically: true, encoding: .utf8)
    }

    static func executablePath(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":") {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
