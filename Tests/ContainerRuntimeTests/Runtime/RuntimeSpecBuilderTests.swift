import ContainerRuntime
import Foundation
import Testing

@Suite struct RuntimeSpecBuilderTests {
    let builder = RuntimeSpecBuilder(hostLimits: .init(openFilesHardLimit: 20000))

    func configuration(_ change: (inout ContainerConfiguration) -> Void = { _ in }) -> ContainerConfiguration {
        var configuration = ContainerConfiguration(
            id: "c1", bundleDirectory: "/b", rootfs: "/r", args: ["/bin/sh", "-c", "true"], env: ["A=1"],
            hostname: "pod-b", logPath: "/l")
        change(&configuration)
        return configuration
    }

    @Test func defaultsMatchTheRuncSpecDefaults() throws {
        let spec = builder.spec(for: configuration())
        #expect(spec.ociVersion == "1.0.2-dev")
        #expect(spec.process.terminal == false)
        #expect(spec.process.env == [RuntimeSpecBuilder.defaultPath, "A=1"])
        #expect(spec.process.cwd == "/")
        #expect(spec.process.capabilities?.bounding == LinuxCapabilities.defaultSet)
        #expect(spec.process.capabilities?.effective.count == 14)
        #expect(spec.process.rlimits == [.init(type: "RLIMIT_NOFILE", hard: 20000, soft: 20000)])
        #expect(spec.root == .init(path: "/r", readonly: false))
        #expect(spec.hostname == "pod-b")
        #expect(spec.mounts.map(\.destination) == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"])
        #expect(spec.mounts.first { $0.destination == "/sys" }?.options?.contains("ro") == true)
        #expect(spec.linux.maskedPaths == RuntimeSpecBuilder.defaultMaskedPaths)
        #expect(spec.linux.readonlyPaths == RuntimeSpecBuilder.defaultReadonlyPaths)
        #expect(spec.linux.resources.devices == [.init(allow: false, access: "rwm")])
        #expect(spec.linux.resources.pids?.limit == 1024)
        #expect(spec.linux.resources.memory == nil)
        #expect(spec.linux.resources.cpu == nil)
        // Host network by default: no network namespace entry.
        #expect(spec.linux.namespaces.map(\.type) == ["pid", "ipc", "uts", "mount"])
    }

    struct NamespaceCase: Sendable, CustomTestStringConvertible {
        let name: String
        let namespaces: ContainerNamespaces
        let expected: [OCIRuntimeSpec.Namespace]
        let hostname: String?
        var testDescription: String { name }
    }

    @Test(arguments: [
        NamespaceCase(
            name: "pod network by path", namespaces: ContainerNamespaces(networkNamespacePath: "/var/run/netns/p"),
            expected: [.init(type: "pid"), .init(type: "ipc"), .init(type: "uts"), .init(type: "mount"),
                       .init(type: "network", path: "/var/run/netns/p")],
            hostname: "pod-b"),
        NamespaceCase(
            name: "host network", namespaces: ContainerNamespaces(networkNamespacePath: nil),
            expected: [.init(type: "pid"), .init(type: "ipc"), .init(type: "uts"), .init(type: "mount")],
            hostname: "pod-b"),
        NamespaceCase(
            name: "shared ipc and uts", namespaces: ContainerNamespaces(
                network: .new, ipc: .path("/proc/7/ns/ipc"), uts: .path("/proc/7/ns/uts"), pid: .new),
            expected: [.init(type: "pid"), .init(type: "ipc", path: "/proc/7/ns/ipc"),
                       .init(type: "uts", path: "/proc/7/ns/uts"), .init(type: "mount"), .init(type: "network")],
            hostname: nil),
        NamespaceCase(
            name: "host pid, ipc and uts", namespaces: ContainerNamespaces(network: .host, ipc: .host, uts: .host, pid: .host),
            expected: [.init(type: "mount")], hostname: nil),
    ])
    func namespaces(_ testCase: NamespaceCase) {
        let spec = builder.spec(for: configuration { $0.namespaces = testCase.namespaces })
        #expect(spec.linux.namespaces == testCase.expected)
        #expect(spec.hostname == testCase.hostname)
    }

    struct CapabilityCase: Sendable, CustomTestStringConvertible {
        let name: String
        let uid: UInt32
        let capabilities: ContainerCapabilities
        let bounding: [String]
        let effective: [String]
        var testDescription: String { name }
    }

    @Test(arguments: [
        CapabilityCase(
            name: "root default", uid: 0, capabilities: .init(), bounding: LinuxCapabilities.defaultSet,
            effective: LinuxCapabilities.defaultSet),
        CapabilityCase(
            name: "non-root keeps only bounding", uid: 1000, capabilities: .init(), bounding: LinuxCapabilities.defaultSet,
            effective: []),
        CapabilityCase(
            name: "add and drop", uid: 0, capabilities: .init(add: ["NET_ADMIN", "cap_sys_time"], drop: ["MKNOD", "CAP_KILL"]),
            bounding: LinuxCapabilities.defaultSet.filter { $0 != "CAP_MKNOD" && $0 != "CAP_KILL" } + ["CAP_NET_ADMIN", "CAP_SYS_TIME"],
            effective: LinuxCapabilities.defaultSet.filter { $0 != "CAP_MKNOD" && $0 != "CAP_KILL" } + ["CAP_NET_ADMIN", "CAP_SYS_TIME"]),
        CapabilityCase(
            name: "drop all, add one", uid: 0, capabilities: .init(add: ["NET_BIND_SERVICE"], drop: ["ALL"]),
            bounding: ["CAP_NET_BIND_SERVICE"], effective: ["CAP_NET_BIND_SERVICE"]),
        CapabilityCase(
            name: "privileged", uid: 0, capabilities: .init(drop: ["ALL"], privileged: true), bounding: LinuxCapabilities.all,
            effective: LinuxCapabilities.all),
    ])
    func capabilities(_ testCase: CapabilityCase) {
        let spec = builder.spec(for: configuration {
            $0.user = ContainerUser(uid: testCase.uid, gid: 0)
            $0.capabilities = testCase.capabilities
        })
        #expect(spec.process.capabilities?.bounding == testCase.bounding)
        #expect(spec.process.capabilities?.effective == testCase.effective)
        #expect(spec.process.capabilities?.permitted == testCase.effective)
    }

    @Test func privilegedUnmasksProcAndAllowsDevices() {
        let spec = builder.spec(for: configuration { $0.capabilities.privileged = true })
        #expect(spec.linux.maskedPaths == nil)
        #expect(spec.linux.readonlyPaths == nil)
        #expect(spec.linux.resources.devices == [.init(allow: true, access: "rwm")])
        #expect(spec.mounts.first { $0.destination == "/sys" }?.options?.contains("ro") == false)
    }

    @Test func resourcesFollowTheDesignExample() throws {
        let spec = builder.spec(for: configuration {
            $0.resources = ContainerResources(memoryLimitBytes: 33_554_432, cpuQuota: 25000, cpuShares: 102)
            $0.cgroupsPath = "/kube/pod-b/web"
        })
        #expect(spec.linux.cgroupsPath == "/kube/pod-b/web")
        #expect(spec.linux.resources.memory == .init(limit: 33_554_432, swap: 33_554_432))
        #expect(spec.linux.resources.cpu == .init(shares: 102, quota: 25000, period: 100_000))
        let json = String(decoding: try spec.jsonBytes(), as: UTF8.self)
        #expect(json.contains(#""cpu":{"period":100000,"quota":25000,"shares":102}"#))
        #expect(json.contains(#""cgroupsPath":"/kube/pod-b/web""#))
    }

    @Test func userMountsReplaceDefaultsAtTheSameDestination() {
        let spec = builder.spec(for: configuration {
            $0.mounts = [
                .bind(source: "/pods/p/shm", destination: "/dev/shm", readOnly: false),
                .bind(source: "/data", destination: "/www", readOnly: true),
            ]
            $0.readOnlyRootfs = true
            $0.noNewPrivileges = true
            $0.workingDirectory = "/data"
            $0.env = ["PATH=/bin", "X=y"]
            $0.user = ContainerUser(uid: 1000, gid: 100, additionalGids: [5, 6])
        })
        #expect(spec.mounts.filter { $0.destination == "/dev/shm" }.map(\.source) == ["/pods/p/shm"])
        #expect(spec.mounts.last == .init(destination: "/www", type: "bind", source: "/data", options: ["rbind", "ro"]))
        #expect(spec.root.readonly)
        #expect(spec.process.noNewPrivileges)
        #expect(spec.process.cwd == "/data")
        #expect(spec.process.env == ["PATH=/bin", "X=y"])
        #expect(spec.process.user == .init(uid: 1000, gid: 100, additionalGids: [5, 6]))
    }

    @Test func jsonRoundTripsAndOmitsAbsentFields() throws {
        let spec = builder.spec(for: configuration())
        let bytes = try spec.jsonBytes()
        let decoded = try JSONDecoder().decode(OCIRuntimeSpec.self, from: Data(bytes))
        #expect(decoded == spec)
        let json = String(decoding: bytes, as: UTF8.self)
        #expect(!json.contains("null"))
        #expect(json.contains(#"{"destination":"/proc","source":"proc","type":"proc"}"#))
    }

    @Test func hostLimitsReadThisProcess() {
        #expect(RuntimeSpecBuilder.HostLimits.current().openFilesHardLimit > 0)
    }
}
