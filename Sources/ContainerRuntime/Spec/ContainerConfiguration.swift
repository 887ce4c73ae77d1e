/// Everything needed to run one container with runc, at the OCI level (no Kubernetes types): what to run,
/// as whom, with which file system, namespaces, limits and log file. `RuntimeSpecBuilder` turns it into the
/// bundle's `config.json`; `RuncRuntime.createAndStart(_:)` runs it.
///
/// A value type; Sendable.
public struct ContainerConfiguration: Sendable, Hashable {
    /// The runc container id: letters, digits, `_`, `-`, `.`; unique on the node.
    public var id: String
    /// The directory that receives `config.json`. It is created if missing; `RuncRuntime.remove(id:)` deletes
    /// `config.json` and removes the directory only if it is then empty (a rootfs mounted inside survives).
    public var bundleDirectory: String
    /// The root file system (an unpacked image or an overlay mount point).
    public var rootfs: String
    public var readOnlyRootfs: Bool
    /// argv, already resolved from the image entrypoint/cmd and the pod's command/args.
    public var args: [String]
    /// `KEY=VALUE` entries, final (image env, pod env, PATH, HOSTNAME).
    public var env: [String]
    /// The working directory inside the container; `/` when empty.
    public var workingDirectory: String
    public var user: ContainerUser
    public var capabilities: ContainerCapabilities
    public var noNewPrivileges: Bool
    /// Set inside the container when it has its own UTS namespace.
    public var hostname: String?
    /// Mounts on top of the runc defaults; a mount whose destination equals a default replaces it.
    public var mounts: [ContainerMount]
    public var namespaces: ContainerNamespaces
    /// E.g. `/kube/<pod>/<container>`; nil lets runc choose (`/<id>`).
    public var cgroupsPath: String?
    public var resources: ContainerResources
    /// The CRI-format log file the shim writes stdout and stderr to.
    public var logPath: String
    public var logRotation: CRILogRotationPolicy
    /// Extra OCI annotations (informational).
    public var annotations: [String: String]
    /// stdin and terminal of the main process (for attach); by default no stdin and no terminal.
    public var stdio: ContainerStdio

    public init(
        id: String, bundleDirectory: String, rootfs: String, readOnlyRootfs: Bool = false, args: [String],
        env: [String] = [], workingDirectory: String = "/", user: ContainerUser = ContainerUser(),
        capabilities: ContainerCapabilities = ContainerCapabilities(), noNewPrivileges: Bool = false,
        hostname: String? = nil, mounts: [ContainerMount] = [], namespaces: ContainerNamespaces = ContainerNamespaces(),
        cgroupsPath: String? = nil, resources: ContainerResources = ContainerResources(), logPath: String,
        logRotation: CRILogRotationPolicy = CRILogRotationPolicy(), annotations: [String: String] = [:],
        stdio: ContainerStdio = ContainerStdio()
    ) {
        self.id = id
        self.bundleDirectory = bundleDirectory
        self.rootfs = rootfs
        self.readOnlyRootfs = readOnlyRootfs
        self.args = args
        self.env = env
        self.workingDirectory = workingDirectory
        self.user = user
        self.capabilities = capabilities
        self.noNewPrivileges = noNewPrivileges
        self.hostname = hostname
        self.mounts = mounts
        self.namespaces = namespaces
        self.cgroupsPath = cgroupsPath
        self.resources = resources
        self.logPath = logPath
        self.logRotation = logRotation
        self.annotations = annotations
        self.stdio = stdio
    }
}

/// The numeric identity the container process runs as.
///
/// A value type; Sendable.
public struct ContainerUser: Sendable, Hashable, Codable {
    public var uid: UInt32
    public var gid: UInt32
    public var additionalGids: [UInt32]

    public init(uid: UInt32 = 0, gid: UInt32 = 0, additionalGids: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.additionalGids = additionalGids
    }
}

/// Capability changes relative to the default set (`LinuxCapabilities.defaultSet`). Names may be given with
/// or without the `CAP_` prefix, in any case; `ALL` means every capability.
///
/// A value type; Sendable.
public struct ContainerCapabilities: Sendable, Hashable {
    public var add: [String]
    public var drop: [String]
    /// All capabilities, no masked or read-only /proc paths, all devices allowed, /sys writable.
    public var privileged: Bool

    public init(add: [String] = [], drop: [String] = [], privileged: Bool = false) {
        self.add = add
        self.drop = drop
        self.privileged = privileged
    }
}

/// One OCI mount.
///
/// A value type; Sendable.
public struct ContainerMount: Sendable, Hashable {
    public var destination: String
    public var source: String
    public var type: String
    public var options: [String]

    public init(destination: String, source: String, type: String, options: [String]) {
        self.destination = destination
        self.source = source
        self.type = type
        self.options = options
    }

    /// A recursive bind mount, read-only or read-write.
    public static func bind(source: String, destination: String, readOnly: Bool) -> ContainerMount {
        ContainerMount(destination: destination, source: source, type: "bind", options: ["rbind", readOnly ? "ro" : "rw"])
    }
}

/// Where a container gets one kind of namespace from.
///
/// A value type; Sendable.
public enum NamespaceMode: Sendable, Hashable {
    /// A new namespace of its own.
    case new
    /// Join an existing namespace, e.g. `/var/run/netns/<pod>` or `/proc/<pid>/ns/ipc`.
    case path(String)
    /// Share the host's (no namespace entry in the spec).
    case host
}

/// The container's namespaces. The mount namespace is always new.
///
/// A value type; Sendable.
public struct ContainerNamespaces: Sendable, Hashable {
    /// `.host` by default: a container without a pod network namespace uses the host network.
    public var network: NamespaceMode
    public var ipc: NamespaceMode
    public var uts: NamespaceMode
    public var pid: NamespaceMode

    public init(
        network: NamespaceMode = .host, ipc: NamespaceMode = .new, uts: NamespaceMode = .new, pid: NamespaceMode = .new
    ) {
        self.network = network
        self.ipc = ipc
        self.uts = uts
        self.pid = pid
    }

    /// Joins the network namespace at `path`, or the host network when nil.
    public init(networkNamespacePath path: String?) {
        self.init(network: path.map { .path($0) } ?? .host)
    }
}

/// cgroup limits; nil means unlimited (the kernel default).
///
/// A value type; Sendable.
public struct ContainerResources: Sendable, Hashable {
    /// Memory limit in bytes; swap is set to the same value (no swap).
    public var memoryLimitBytes: Int64?
    /// CFS quota in microseconds per period (limit millicores × period / 1000).
    public var cpuQuota: Int64?
    /// CFS period in microseconds (100000 when a quota is set and this is nil).
    public var cpuPeriod: UInt64?
    public var cpuShares: UInt64?
    /// Default 1024.
    public var pidsLimit: Int64?

    public init(
        memoryLimitBytes: Int64? = nil, cpuQuota: Int64? = nil, cpuPeriod: UInt64? = nil, cpuShares: UInt64? = nil,
        pidsLimit: Int64? = 1024
    ) {
        self.memoryLimitBytes = memoryLimitBytes
        self.cpuQuota = cpuQuota
        self.cpuPeriod = cpuPeriod
        self.cpuShares = cpuShares
        self.pidsLimit = pidsLimit
    }
}
