#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Foundation
import HostSystem
public import Logging

/// The per-container supervisor process (`swiftlet container-shim …`). It is the container's child
/// subreaper and owns its stdout and stderr, so the container and its log outlive the node agent:
///
/// 1. `runc create` with stdout/stderr on pipes the shim owns, then `runc start`;
/// 2. reports `{"pid":…,"startedAt":…}` (or `{"error":…}` with runc's message) as one JSON line on its
///    stdout, which the starter reads to end of file, and records it in `started.json`;
/// 3. pumps both pipes into the CRI log file (rotating it);
/// 4. waits for the container's init process, reads the OOM-kill counter of its memory cgroup, writes
///    `exit.json` atomically, runs `runc delete`, and exits.
///
/// Runs once per process; its methods are called from the shim's main task only.
public enum ContainerShim {
    /// The status line the shim writes to its stdout once the container started (or failed to).
    struct StatusMessage: Codable, Sendable {
        var pid: Int32?
        var startedAt: CRITimestamp?
        var error: String?
    }

    /// The record in `started.json`.
    struct StartRecord: Codable, Sendable {
        var pid: Int32
        var startedAt: CRITimestamp
    }

    /// How long to wait for the log pumps to drain after the init process exited (processes that escaped
    /// the pid namespace's teardown could hold the pipes open forever).
    static let pumpDrainTimeout: DispatchTimeInterval = .seconds(2)

    /// Runs the container to completion; returns the shim's exit code (0 when the container ran, whatever
    /// its own exit code; 1 when it could not be started).
    public static func main(_ options: ContainerShimOptions, logger baseLogger: Logger) async -> Int32 {
        var logger = baseLogger
        logger[metadataKey: "container"] = "\(options.containerID)"
        signal(SIGPIPE, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let files = ContainerStateFiles(directory: options.stateDirectory)
        let runc = RuncCommand(runcPath: options.runcPath, root: options.runcRoot)
        try? ContainerStateFiles.writeAtomically(Array("\(getpid())\n".utf8), to: files.shimPID)

        do {
            try Subreaper.enable()
        } catch {
            report(StatusMessage(error: "cannot become the container's subreaper: \(error)"))
            return 1
        }

        let writer: CRILogWriter
        do {
            writer = try CRILogWriter(path: options.logPath, policy: options.logRotation)
        } catch {
            report(StatusMessage(error: error.description))
            return 1
        }

        // 1. runc create, with the container's stdout and stderr on our pipes.
        let stdoutPipe: HostPipe
        let stderrPipe: HostPipe
        do {
            stdoutPipe = try HostPipe()
            stderrPipe = try HostPipe()
        } catch {
            report(StatusMessage(error: error.description))
            return 1
        }
        let createArguments = runc.arguments(
            ["create", "--bundle", options.bundleDirectory, "--pid-file", files.initPID, options.containerID],
            logFile: files.runcLog)
        let createStatus: ExitStatus
        do {
            let pid = try ProcessSpawner.spawn(
                options.runcPath, createArguments,
                streams: .init(output: stdoutPipe.writeEnd, error: stderrPipe.writeEnd))
            close(stdoutPipe.writeEnd)
            close(stderrPipe.writeEnd)
            createStatus = await ChildExitMonitor.shared.exit(of: pid)
        } catch {
            for fd in [stdoutPipe.readEnd, stdoutPipe.writeEnd, stderrPipe.readEnd, stderrPipe.writeEnd] { close(fd) }
            report(StatusMessage(error: error.description))
            return 1
        }
        guard createStatus.succeeded, let initPID = ContainerStateFiles.readPID(files.initPID) else {
            close(stdoutPipe.readEnd)
            close(stderrPipe.readEnd)
            let message = RuncCommand.errorMessage(standardError: "", logFile: files.runcLog, status: createStatus)
            logger.warning("runc create failed", metadata: ["message": "\(message)"])
            report(StatusMessage(error: message))
            _ = try? await runc.run(["delete", "--force", options.containerID])
            return 1
        }

        // 2. Pump the pipes into the log, then start the container.
        let pumps = DispatchGroup()
        for (fd, stream) in [(stdoutPipe.readEnd, CRILogRecord.Stream.stdout), (stderrPipe.readEnd, .stderr)] {
            pumps.enter()
            let thread = Thread {
                pump(fd, into: writer, stream: stream)
                pumps.leave()
            }
            thread.name = "log-\(stream.rawValue)"
            thread.start()
        }
        let cgroupsPath = Self.cgroupsPath(bundle: options.bundleDirectory) ?? "/" + options.containerID
        let oomKillsBefore = OOMKillCounter.read(cgroupsPath: cgroupsPath) ?? 0

        do {
            try await runc.runChecked(["start", options.containerID], containerID: options.containerID, logFile: files.runcLog)
        } catch {
            logger.warning("runc start failed", metadata: ["message": "\(error.runtimeMessage)"])
            report(StatusMessage(error: error.runtimeMessage))
            _ = try? await runc.run(["delete", "--force", options.containerID])
            _ = await ChildExitMonitor.shared.exit(of: initPID)
            return 1
        }
        let startedAt = CRITimestamp.now()
        try? ContainerStateFiles.writeJSON(StartRecord(pid: initPID, startedAt: startedAt), to: files.started)
        report(StatusMessage(pid: initPID, startedAt: startedAt))
        logger.debug("container started", metadata: ["pid": "\(initPID)"])

        // 3. Wait for the init process, then record how it ended.
        let status = await ChildExitMonitor.shared.exit(of: initPID)
        let finishedAt = CRITimestamp.now()
        let drained = await waitForPumps(pumps)
        if !drained { logger.warning("container output still open after its init exited; closing the log") }
        let oomKillsAfter = OOMKillCounter.read(cgroupsPath: cgroupsPath) ?? oomKillsBefore
        let exit: ContainerExit
        switch status {
        case .exited(let code):
            exit = ContainerExit(
                exitCode: code, signal: nil, oomKilled: oomKillsAfter > oomKillsBefore, startedAt: startedAt,
                finishedAt: finishedAt)
        case .signaled(let signal):
            exit = ContainerExit(
                exitCode: 128 + signal, signal: signal, oomKilled: oomKillsAfter > oomKillsBefore,
                startedAt: startedAt, finishedAt: finishedAt)
        }
        do {
            try ContainerStateFiles.writeJSON(exit, to: files.exit)
        } catch {
            logger.error("cannot write the exit file", metadata: ["error": "\(error)"])
        }
        if let result = try? await runc.run(["delete", "--force", options.containerID], logFile: files.runcLog),
           !result.status.succeeded
        {
            logger.warning("runc delete failed", metadata: ["stderr": "\(result.standardErrorText)"])
        }
        logger.debug("container exited", metadata: ["exitCode": "\(exit.exitCode)", "oomKilled": "\(exit.oomKilled)"])
        return 0
    }

    /// Writes the status line to stdout and then points stdout at /dev/null, so the starter sees end of file.
    private static func report(_ message: StatusMessage) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes = (try? Array(encoder.encode(message))) ?? Array(#"{"error":"cannot encode the shim status"}"#.utf8)
        bytes.append(UInt8(ascii: "\n"))
        HostPipe.writeAll(1, bytes)
        let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        if devNull >= 0 {
            dup2(devNull, 1)
            close(devNull)
        }
    }

    /// Reads `fd` until end of file into the log writer (blocking; runs on its own thread).
    private static func pump(_ fd: Int32, into writer: CRILogWriter, stream: CRILogRecord.Stream) {
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                writer.append(buffer[0..<count], from: stream)
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        writer.finish(stream)
        close(fd)
    }

    private static func waitForPumps(_ pumps: DispatchGroup) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: pumps.wait(timeout: .now() + pumpDrainTimeout) == .success)
            }
        }
    }

    /// `linux.cgroupsPath` from the bundle's config.json.
    static func cgroupsPath(bundle: String) -> String? {
        guard let data = FileManager.default.contents(atPath: bundle + "/config.json"),
              let spec = try? JSONDecoder().decode(OCIRuntimeSpec.self, from: data)
        else { return nil }
        return spec.linux.cgroupsPath
    }
}
