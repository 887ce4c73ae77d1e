#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns a `ContainerConfiguration` into the runc `config.json` (node-runtime.md §1.6): the `runc spec`
/// default mounts and masked paths, namespaces, capabilities, rlimits clamped to what this process may
/// grant, cgroup path and limits.
///
/// A pure value type (the host limits are an input); Sendable.
public struct RuntimeSpecBuilder: Sendable {
    /// Limits of the process that starts runc; a container cannot be given more.
    public struct HostLimits: Sendable, Hashable {
        /// The hard RLIMIT_NOFILE of this process: used as the container's soft and hard limit (raising it
        /// needs CAP_SYS_RESOURCE, which a node agent may lack).
        public var openFilesHardLimit: UInt64

        public init(openFilesHardLimit: UInt64) {
            self.openFilesHardLimit = openFilesHardLimit
        }

        /// This process's limits.
        public static func current() -> HostLimits {
            var limit = rlimit()
            #if canImport(Glibc)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
            #else
            let resource = RLIMIT_NOFILE
            #endif
            guard getrlimit(resource, &limit) == 0 else { return HostLimits(openFilesHardLimit: 1024) }
            // RLIM_INFINITY does not fit runc's expectations for nofile; 1048576 is the usual ceiling.
            return HostLimits(openFilesHardLimit: limit.rlim_max == rlim_t.max ? 1_048_576 : UInt64(limit.rlim_max))
        }
    }

    public static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    public static let defaultMaskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
    ]
    public static let defaultReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
    public static let defaultCPUPeriod: UInt64 = 100_000

    public let hostLimits: HostLimits

    public init(hostLimits: HostLimits) {
        self.hostLimits = hostLimits
    }

    public func spec(for configuration: ContainerConfiguration) -> OCIRuntimeSpec {
        let privileged = configuration.capabilities.privileged
        return OCIRuntimeSpec(
            ociVersion: "1.0.2-dev",
            process: process(configuration),
            root: .init(path: configuration.rootfs, readonly: configuration.readOnlyRootfs),
            hostname: configuration.namespaces.uts == .new ? configuration.hostname : nil,
            mounts: mounts(configuration),
            linux: .init(
                cgroupsPath: configuration.cgroupsPath,
                resources: resources(configuration.resources, privileged: privileged),
                namespaces: namespaces(configuration.namespaces),
                maskedPaths: privileged ? nil : Self.defaultMaskedPaths,
                readonlyPaths: privileged ? nil : Self.defaultReadonlyPaths),
            annotations: configuration.annotations.isEmpty ? nil : configuration.annotations)
    }

    private func process(_ configuration: ContainerConfiguration) -> OCIRuntimeSpec.Process {
        var env = configuration.env
        if !env.contains(where: { $0.hasPrefix("PATH=") }) { env.insert(Self.defaultPath, at: 0) }
        let user = configuration.user
        let capabilitySet: [String] =
            configuration.capabilities.privileged
            ? LinuxCapabilities.all
            : LinuxCapabilities.effectiveSet(
                adding: configuration.capabilities.add, dropping: configuration.capabilities.drop)
        // A non-root process keeps only the bounding set (what a setuid binary could regain).
        let active = user.uid == 0 ? capabilitySet : []
        return OCIRuntimeSpec.Process(
            terminal: configuration.stdio.tty,
            user: .init(uid: user.uid, gid: user.gid, additionalGids: user.additionalGids),
            args: configuration.args,
            env: env,
            cwd: configuration.workingDirectory.isEmpty ? "/" : configuration.workingDirectory,
            capabilities: .init(bounding: capabilitySet, effective: active, permitted: active),
            rlimits: [
                .init(type: "RLIMIT_NOFILE", hard: hostLimits.openFilesHardLimit, soft: hostLimits.openFilesHardLimit)
            ],
            noNewPrivileges: configuration.noNewPrivileges)
    }

    private func mounts(_ configuration: ContainerConfiguration) -> [OCIRuntimeSpec.Mount] {
        let privileged = configuration.capabilities.privileged
        let systemOptions = privileged ? ["nosuid", "noexec", "nodev"] : ["nosuid", "noexec", "nodev", "ro"]
        var defaults: [OCIRuntimeSpec.Mount] = [
            .init(destination: "/proc", type: "proc", source: "proc", options: nil),
            .init(destination: "/dev", type: "tmpfs", source: "tmpfs",
                  options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            .init(destination: "/dev/pts", type: "devpts", source: "devpts",
                  options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            .init(destination: "/dev/shm", type: "tmpfs", source: "shm",
                  options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            .init(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            .init(destination: "/sys", type: "sysfs", source: "sysfs", options: systemOptions),
            .init(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: systemOptions + ["relatime"]),
        ]
        let custom = configuration.mounts.map {
            OCIRuntimeSpec.Mount(
                destination: $0.destination, type: $0.type, source: $0.source, options: $0.options.isEmpty ? nil : $0.options)
        }
        let replaced = Set(custom.map(\.destination))
        defaults.removeAll { replaced.contains($0.destination) }
        return defaults + custom
    }

    private func namespaces(_ namespaces: ContainerNamespaces) -> [OCIRuntimeSpec.Namespace] {
        var result: [OCIRuntimeSpec.Namespace] = []
        for (type, mode) in [("pid", namespaces.pid), ("ipc", namespaces.ipc), ("uts", namespaces.uts)] {
            if let entry = Self.namespace(type, mode) { result.append(entry) }
        }
        result.append(.init(type: "mount", path: nil))
        if let network = Self.namespace("network", namespaces.network) { result.append(network) }
        return result
    }

    private static func namespace(_ type: String, _ mode: NamespaceMode) -> OCIRuntimeSpec.Namespace? {
        switch mode {
        case .new: .init(type: type, path: nil)
        case .path(let path): .init(type: type, path: path)
        case .host: nil
        }
    }

    private func resources(_ resources: ContainerResources, privileged: Bool) -> OCIRuntimeSpec.Resources {
        let memory = resources.memoryLimitBytes.map { OCIRuntimeSpec.Memory(limit: $0, swap: $0) }
        var cpu: OCIRuntimeSpec.CPU?
        if resources.cpuQuota != nil || resources.cpuShares != nil || resources.cpuPeriod != nil {
            cpu = OCIRuntimeSpec.CPU(
                shares: resources.cpuShares, quota: resources.cpuQuota,
                period: resources.cpuQuota != nil ? (resources.cpuPeriod ?? Self.defaultCPUPeriod) : resources.cpuPeriod)
        }
        return OCIRuntimeSpec.Resources(
            memory: memory, cpu: cpu,
            devices: [.init(allow: privileged, access: "rwm")],
            pids: resources.pidsLimit.map { OCIRuntimeSpec.Pids(limit: $0) })
    }
}
