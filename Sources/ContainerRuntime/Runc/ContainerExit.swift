/// How a container ended, as its shim recorded it in the exit file.
///
/// A value type; Sendable; Codable as the exit file's JSON (times as RFC 3339 strings with nanoseconds).
public struct ContainerExit: Sendable, Hashable, Codable {
    /// The exit code, or 128 + the signal number when a signal ended it (137 for SIGKILL).
    public var exitCode: Int32
    /// The fatal signal, if any.
    public var signal: Int32?
    /// Whether the kernel's OOM killer killed a process of the container's memory cgroup.
    public var oomKilled: Bool
    public var startedAt: CRITimestamp
    public var finishedAt: CRITimestamp

    public init(exitCode: Int32, signal: Int32?, oomKilled: Bool, startedAt: CRITimestamp, finishedAt: CRITimestamp) {
        self.exitCode = exitCode
        self.signal = signal
        self.oomKilled = oomKilled
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// A container that `RuncRuntime.createAndStart(_:)` started.
///
/// A value type; Sendable.
public struct ContainerHandle: Sendable, Hashable {
    public var id: String
    /// The container's init process, as the host sees it.
    public var pid: Int32
    public var startedAt: CRITimestamp

    public init(id: String, pid: Int32, startedAt: CRITimestamp) {
        self.id = id
        self.pid = pid
        self.startedAt = startedAt
    }
}

/// A container found in the runtime's state directory (also those started by an earlier process).
///
/// A value type; Sendable.
public struct ContainerRecord: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// The shim is setting it up.
        case creating
        case running
        case exited(ContainerExit)
        /// The shim is gone without an exit record (killed, or the node rebooted).
        case unknown
    }

    public var id: String
    public var status: Status
    /// The init pid once started.
    public var pid: Int32?
    public var shimPID: Int32?
    public var startedAt: CRITimestamp?
    public var bundleDirectory: String
    public var logPath: String
    public var cgroupsPath: String?

    public init(
        id: String, status: Status, pid: Int32?, shimPID: Int32?, startedAt: CRITimestamp?, bundleDirectory: String,
        logPath: String, cgroupsPath: String?
    ) {
        self.id = id
        self.status = status
        self.pid = pid
        self.shimPID = shimPID
        self.startedAt = startedAt
        self.bundleDirectory = bundleDirectory
        self.logPath = logPath
        self.cgroupsPath = cgroupsPath
    }
}
