#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Foundation
import HostSystem
public import Logging
import Synchronization

/// Runs containers with runc, each under its own shim process (`swiftlet container-shim`, see
/// `ContainerShim`) in its own process group, so containers and their logs survive a restart of this
/// process. All state lives in files (`<stateDirectory>/<id>/…` and runc's root): a new `RuncRuntime` on the
/// same directories lists, waits for, stops and removes containers an earlier process started.
///
/// Thread-safe (Sendable): the only in-memory state is the set of shim processes this process spawned
/// (reaped in the background), behind a mutex.
public final class RuncRuntime: Sendable {
    public let runcRoot: String
    public let stateDirectory: String
    /// argv prefix that runs the shim, e.g. `[<path of swiftlet>, "container-shim"]`.
    public let shimCommand: [String]
    public let runcPath: String
    private let specBuilder: RuntimeSpecBuilder
    private let logger: Logger
    private let runc: RuncCommand
    /// Shims spawned by this process, by container id; their exits are reaped by a background task.
    private let spawnedShims = Mutex<[String: Int32]>([:])

    /// The metadata `createAndStart` records in `container.json`.
    struct Metadata: Codable, Sendable {
        var id: String
        var bundleDirectory: String
        var logPath: String
        var cgroupsPath: String?
        var createdAt: CRITimestamp
        /// stdin and terminal of the main process; nil in records written before attach existed.
        var stdio: ContainerStdio?
    }

    public init(
        runcRoot: String, stateDirectory: String, shimCommand: [String], runcPath: String = "runc",
        hostLimits: RuntimeSpecBuilder.HostLimits = .current(), logger: Logger
    ) {
        precondition(!shimCommand.isEmpty, "shimCommand needs at least the executable")
        self.runcRoot = runcRoot
        self.stateDirectory = stateDirectory
        self.shimCommand = shimCommand
        self.runcPath = runcPath
        self.specBuilder = RuntimeSpecBuilder(hostLimits: hostLimits)
        self.logger = logger
        self.runc = RuncCommand(runcPath: runcPath, root: runcRoot)
    }

    /// `[<this executable>, "container-shim"]`, with the executable resolved through /proc/self/exe.
    public static func defaultShimCommand() -> [String] {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return [executable, "container-shim"]
    }

    // MARK: - Lifecycle

    /// Writes the bundle's config.json, starts the shim and returns once the container runs. Throws
    /// `runcFailed` with runc's message (e.g. `exec: "nope": executable file not found in $PATH`) when it
    /// cannot be created or started; nothing is left behind then.
    public func createAndStart(_ configuration: ContainerConfiguration) async throws(ContainerRuntimeError) -> ContainerHandle {
        let id = configuration.id
        try Self.validate(id)
        let files = ContainerStateFiles(stateDirectory: stateDirectory, containerID: id)
        guard !FileManager.default.fileExists(atPath: files.directory) else { throw .alreadyExists(containerID: id) }

        let spec = specBuilder.spec(for: configuration)
        let metadata = Metadata(
            id: id, bundleDirectory: configuration.bundleDirectory, logPath: configuration.logPath,
            cgroupsPath: configuration.cgroupsPath, createdAt: .now(), stdio: configuration.stdio)
        do {
            for directory in [files.directory, configuration.bundleDirectory,
                              (configuration.logPath as NSString).deletingLastPathComponent] where !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        } catch {
            throw .malformedFile(path: files.directory, reason: "cannot create the container directories: \(error)")
        }
        do {
            try ContainerStateFiles.writeAtomically(try spec.jsonBytes(), to: configuration.bundleDirectory + "/config.json")
            try ContainerStateFiles.writeJSON(metadata, to: files.metadata)
        } catch let error as ContainerRuntimeError {
            discardState(files, bundle: configuration.bundleDirectory)
            throw error
        } catch {
            discardState(files, bundle: configuration.bundleDirectory)
            throw .malformedFile(path: configuration.bundleDirectory + "/config.json", reason: "\(error)")
        }

        let options = ContainerShimOptions(
            containerID: id, bundleDirectory: configuration.bundleDirectory, runcRoot: runcRoot, runcPath: runcPath,
            logPath: configuration.logPath, stateDirectory: files.directory, logRotation: configuration.logRotation)
        let status: ContainerShim.StatusMessage?
        do {
            status = try await spawnShim(options, files: files)
        } catch {
            discardState(files, bundle: configuration.bundleDirectory)
            throw error
        }
        guard let status, let pid = status.pid, let startedAt = status.startedAt else {
            await waitForShimToExit(id: id, files: files, timeout: .seconds(10))
            let message = status?.error ?? shimLogTail(files) ?? "the shim exited without reporting"
            discardState(files, bundle: configuration.bundleDirectory)
            if status?.error != nil {
                throw .runcFailed(operation: "create", containerID: id, message: message)
            }
            throw .shimFailed(containerID: id, message: message)
        }
        logger.debug("container started", metadata: ["container": "\(id)", "pid": "\(pid)"])
        return ContainerHandle(id: id, pid: pid, startedAt: startedAt)
    }

    /// Suspends until the container has exited and returns its exit record. Works for containers started
    /// by an earlier process (it watches the exit file and the shim). Throws `notFound` for an unknown id,
    /// `shimFailed` when the shim died without recording an exit, and `CancellationError` when cancelled.
    public func waitForExit(id: String) async throws -> ContainerExit {
        guard let exit = try await pollForExit(id: id, deadline: nil) else { throw CancellationError() }
        return exit
    }

    /// Stops the container: SIGTERM, up to `gracePeriod` for it to exit, then SIGKILL to all its processes;
    /// returns once the exit is recorded (or after a further 10 s). No-op for unknown or exited containers.
    public func stop(id: String, gracePeriod: Duration) async {
        let files = ContainerStateFiles(stateDirectory: stateDirectory, containerID: id)
        guard FileManager.default.fileExists(atPath: files.directory),
              !FileManager.default.fileExists(atPath: files.exit)
        else { return }
        let clock = ContinuousClock()
        if gracePeriod > .zero {
            _ = try? await runc.run(["kill", id, "TERM"])
            if (try? await pollForExit(id: id, deadline: clock.now + gracePeriod)) ?? nil != nil { return }
        }
        _ = try? await runc.run(["kill", "--all", id, "KILL"])
        _ = try? await pollForExit(id: id, deadline: clock.now + .seconds(10))
    }

    /// Removes the container: kills it if it still runs (`runc delete --force`), waits for its shim, and
    /// deletes its state directory and the bundle's config.json (the bundle directory too when then
    /// empty). The log files stay. Idempotent.
    public func remove(id: String) async throws(ContainerRuntimeError) {
        try Self.validate(id)
        let files = ContainerStateFiles(stateDirectory: stateDirectory, containerID: id)
        let metadata = try? ContainerStateFiles.readJSON(Metadata.self, from: files.metadata)
        if shimIsAlive(id: id, files: files) {
            if !FileManager.default.fileExists(atPath: files.exit) {
                _ = try await runc.run(["delete", "--force", id])
            }
            await waitForShimToExit(id: id, files: files, timeout: .seconds(10))
        }
        let output = try await runc.run(["delete", "--force", id])
        if !output.status.succeeded && !output.standardErrorText.contains("does not exist") {
            logger.warning("runc delete failed", metadata: ["container": "\(id)", "stderr": "\(output.standardErrorText)"])
        }
        discardState(files, bundle: metadata?.bundleDirectory)
    }

    /// The containers in the state directory, including those started by earlier processes.
    public func list() async throws(ContainerRuntimeError) -> [ContainerRecord] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: stateDirectory)
        } catch {
            if !FileManager.default.fileExists(atPath: stateDirectory) { return [] }
            throw .malformedFile(path: stateDirectory, reason: "cannot list: \(error)")
        }
        var records: [ContainerRecord] = []
        for name in names.sorted() {
            if let record = record(id: name) { records.append(record) }
        }
        return records
    }

    /// One container's record, nil if unknown.
    public func record(id: String) -> ContainerRecord? {
        let files = ContainerStateFiles(stateDirectory: stateDirectory, containerID: id)
        guard let metadata = try? ContainerStateFiles.readJSON(Metadata.self, from: files.metadata) else { return nil }
        let started = (try? ContainerStateFiles.readJSON(ContainerShim.StartRecord.self, from: files.started)) ?? nil
        let shimPID = ContainerStateFiles.readPID(files.shimPID)
        let status: ContainerRecord.Status
        if let exit = try? ContainerStateFiles.readJSON(ContainerExit.self, from: files.exit) {
            status = .exited(exit)
        } else if shimIsAlive(id: id, files: files) {
            status = started == nil ? .creating : .running
        } else {
            status = .unknown
        }
        return ContainerRecord(
            id: id, status: status, pid: started?.pid, shimPID: shimPID, startedAt: started?.startedAt,
            bundleDirectory: metadata.bundleDirectory, logPath: metadata.logPath, cgroupsPath: metadata.cgroupsPath)
    }

    // MARK: - Internals

    /// Spawns the shim and reads its status line (to end of file).
    private func spawnShim(_ options: ContainerShimOptions, files: ContainerStateFiles)
        async throws(ContainerRuntimeError) -> ContainerShim.StatusMessage?
    {
        let statusPipe: HostPipe
        do {
            statusPipe = try HostPipe()
        } catch {
            throw .host(error)
        }
        let shimLog = open(files.shimLog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { if shimLog >= 0 { close(shimLog) } }
        let pid: Int32
        do {
            pid = try ProcessSpawner.spawn(
                shimCommand[0], Array(shimCommand.dropFirst()) + options.arguments,
                streams: .init(output: statusPipe.writeEnd, error: shimLog >= 0 ? shimLog : nil), newProcessGroup: true)
        } catch {
            close(statusPipe.readEnd)
            close(statusPipe.writeEnd)
            throw .host(error)
        }
        close(statusPipe.writeEnd)
        spawnedShims.withLock { $0[options.containerID] = pid }
        let id = options.containerID
        Task.detached { [self] in
            _ = await ChildExitMonitor.shared.exit(of: pid)
            self.spawnedShims.withLock { if $0[id] == pid { $0[id] = nil } }
        }
        let reader = statusPipe.readEnd
        let bytes = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let bytes = HostPipe.readAll(reader)
                close(reader)
                continuation.resume(returning: bytes)
            }
        }
        guard let line = bytes.split(separator: UInt8(ascii: "\n")).first else { return nil }
        return try? JSONDecoder().decode(ContainerShim.StatusMessage.self, from: Data(line))
    }

    /// Polls the exit file until it appears, the deadline passes (nil) or the shim is gone without one.
    private func pollForExit(id: String, deadline: ContinuousClock.Instant?) async throws -> ContainerExit? {
        let files = ContainerStateFiles(stateDirectory: stateDirectory, containerID: id)
        var interval = Duration.milliseconds(5)
        while true {
            if let exit = try ContainerStateFiles.readJSON(ContainerExit.self, from: files.exit) { return exit }
            guard FileManager.default.fileExists(atPath: files.metadata) else { throw ContainerRuntimeError.notFound(containerID: id) }
            if !shimIsAlive(id: id, files: files) {
                if let exit = try ContainerStateFiles.readJSON(ContainerExit.self, from: files.exit) { return exit }
                throw ContainerRuntimeError.shimFailed(
                    containerID: id,
                    message: "the shim exited without recording the container's exit"
                        + (shimLogTail(files).map { ": \($0)" } ?? "; see \(files.shimLog)"))
            }
            if let deadline, ContinuousClock().now >= deadline { return nil }
            try await Task.sleep(for: interval)
            interval = min(interval * 2, .milliseconds(100))
        }
    }

    private func waitForShimToExit(id: String, files: ContainerStateFiles, timeout: Duration) async {
        let deadline = ContinuousClock().now + timeout
        while shimIsAlive(id: id, files: files), ContinuousClock().now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Whether the shim of `id` still runs: our own child not yet reaped, or the pid in shim.pid belongs to
    /// a `container-shim` process for this id (pids get reused).
    private func shimIsAlive(id: String, files: ContainerStateFiles) -> Bool {
        if spawnedShims.withLock({ $0[id] != nil }) { return true }
        guard let pid = ContainerStateFiles.readPID(files.shimPID), ChildExitMonitor.isAlive(pid),
              let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
        else { return false }
        // A zombie has an empty cmdline: it is gone for our purposes.
        let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.contains("container-shim") && arguments.contains(id)
    }

    private func shimLogTail(_ files: ContainerStateFiles) -> String? {
        guard let data = FileManager.default.contents(atPath: files.shimLog) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return lines.isEmpty ? nil : lines.suffix(3).joined(separator: "; ")
    }

    private func discardState(_ files: ContainerStateFiles, bundle: String?) {
        if let bundle {
            unlink(bundle + "/config.json")
            rmdir(bundle)
        }
        try? FileManager.default.removeItem(atPath: files.directory)
    }

    static func validate(_ id: String) throws(ContainerRuntimeError) {
        let allowed = id.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        guard allowed, !id.isEmpty, id.utf8.count <= 128, !id.hasPrefix(".") else { throw .invalidID(id) }
    }
}
