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
/// 3. pumps both pipes (or, with `tty`, the terminal's master) into the CRI log file (rotating it) and to
///    attach clients on `attach.sock` (`ContainerStdioHub`, protocol in `AttachFrame`), which also feed the
///    container's stdin pipe or terminal when the container was created with `stdin`;
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

        // 1. runc create, with the container's stdout and stderr on our pipes, and its stdin on our pipe
        //    (`stdin`) or a terminal whose master runc hands us through a console socket (`tty`).
        let stdio = (try? ContainerStateFiles.readJSON(RuncRuntime.Metadata.self, from: files.metadata))??.stdio
            ?? ContainerStdio()
        let stdoutPipe: HostPipe
        let stderrPipe: HostPipe
        var stdinPipe: HostPipe?
        var consoleSocket: DescriptorPassingSocket?
        do {
            stdoutPipe = try HostPipe()
            stderrPipe = try HostPipe()
            if stdio.stdin && !stdio.tty { stdinPipe = try HostPipe() }
            if stdio.tty { consoleSocket = try DescriptorPassingSocket(path: Self.consoleSocketPath(files)) }
        } catch {
            report(StatusMessage(error: error.description))
            return 1
        }
        defer { consoleSocket?.close() }
        var createCommand = ["create", "--bundle", options.bundleDirectory, "--pid-file", files.initPID]
        if let consoleSocket { createCommand += ["--console-socket", consoleSocket.path] }
        let createArguments = runc.arguments(createCommand + [options.containerID], logFile: files.runcLog)
        let createStatus: ExitStatus
        var terminal: Int32 = -1
        do {
            let pid = try ProcessSpawner.spawn(
                options.runcPath, createArguments,
                streams: .init(input: stdinPipe?.readEnd, output: stdoutPipe.writeEnd, error: stderrPipe.writeEnd))
            close(stdoutPipe.writeEnd)
            close(stderrPipe.writeEnd)
            if let stdinPipe { close(stdinPipe.readEnd) }
            if let consoleSocket {
                terminal = await Self.receiveTerminal(from: consoleSocket, senderPID: pid)
            }
            createStatus = await ChildExitMonitor.shared.exit(of: pid)
            consoleSocket?.close()
            consoleSocket = nil
        } catch {
            for fd in [stdoutPipe.readEnd, stdoutPipe.writeEnd, stderrPipe.readEnd, stderrPipe.writeEnd] { close(fd) }
            if let stdinPipe { close(stdinPipe.readEnd); close(stdinPipe.writeEnd) }
            report(StatusMessage(error: error.description))
            return 1
        }
        guard createStatus.succeeded, let initPID = ContainerStateFiles.readPID(files.initPID),
              !stdio.tty || terminal >= 0
        else {
            close(stdoutPipe.readEnd)
            close(stderrPipe.readEnd)
            if let stdinPipe { close(stdinPipe.writeEnd) }
            if terminal >= 0 { close(terminal) }
            var message = RuncCommand.errorMessage(standardError: "", logFile: files.runcLog, status: createStatus)
            if createStatus.succeeded && stdio.tty && terminal < 0 {
                message = "runc did not hand over the container's terminal"
            }
            logger.warning("runc create failed", metadata: ["message": "\(message)"])
            report(StatusMessage(error: message))
            _ = try? await runc.run(["delete", "--force", options.containerID])
            return 1
        }

        // 2. Pump the output into the log and to attach clients, then start the container.
        // A terminal without `stdin` takes no input from attach clients (as upstream), but can be resized.
        let hub = ContainerStdioHub(
            stdio: stdio, input: stdio.stdin ? (stdinPipe?.writeEnd ?? terminal) : -1, terminal: terminal,
            logger: logger)
        do {
            try hub.startListening(at: files.attachSocket)
        } catch {
            logger.warning("cannot serve attach clients", metadata: ["error": "\(error)"])
        }
        let pumps = DispatchGroup()
        // With a terminal, the container's output (stdout and stderr alike) comes from its master; the stdout
        // pipe only served runc create.
        var sources = [(stdoutPipe.readEnd, CRILogRecord.Stream.stdout), (stderrPipe.readEnd, .stderr)]
        if terminal >= 0 {
            close(stdoutPipe.readEnd)
            sources[0] = (fcntl(terminal, F_DUPFD_CLOEXEC, 0), .stdout)
        }
        for (fd, stream) in sources {
            pumps.enter()
            let name = "log-\(stream.rawValue)"
            let thread = Thread {
                Thread.current.name = name  // from inside: Linux ignores a name set before start()
                pump(fd, into: writer, stream: stream, hub: hub)
                pumps.leave()
            }
            thread.start()
        }
        let cgroupsPath = Self.cgroupsPath(bundle: options.bundleDirectory) ?? "/" + options.containerID
        let oomKillsBefore = OOMKillCounter.read(cgroupsPath: cgroupsPath) ?? 0

        do {
            try await runc.runChecked(["start", options.containerID], containerID: options.containerID, logFile: files.runcLog)
        } catch {
            logger.warning("runc start failed", metadata: ["message": "\(error.runtimeMessage)"])
            report(StatusMessage(error: error.runtimeMessage))
            hub.stopListening(path: files.attachSocket)
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
        hub.stopListening(path: files.attachSocket)
        hub.outputEnded()
        hub.closeInput()
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
        // Attached clients get the last output before this process (and its queued writes) goes away.
        _ = await Self.waitForClients(hub)
        if terminal >= 0 { close(terminal) }
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

    /// Reads `fd` until end of file into the log writer and to attach clients (blocking; runs on its own
    /// thread). A terminal master reports EIO once the container's last process closed its side.
    private static func pump(_ fd: Int32, into writer: CRILogWriter, stream: CRILogRecord.Stream, hub: ContainerStdioHub) {
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                writer.append(buffer[0..<count], from: stream)
                hub.publish(buffer[0..<count], from: stream)
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

    private static func waitForClients(_ hub: ContainerStdioHub) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: hub.waitForClients(timeout: pumpDrainTimeout))
            }
        }
    }

    /// Where runc sends the terminal master: `console.sock` in the state directory, or a temporary file when
    /// that path is too long for a socket address.
    private static func consoleSocketPath(_ files: ContainerStateFiles) -> String {
        let path = files.directory + "/console.sock"
        if path.utf8.count < 108 { return path }
        return NSTemporaryDirectory() + "/swiftlet-console-\(getpid()).sock"
    }

    /// Receives the terminal master runc create sends (blocking on a Dispatch thread); -1 if none came before
    /// runc exited.
    private static func receiveTerminal(from socket: DescriptorPassingSocket, senderPID: Int32) async -> Int32 {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let fd = try? socket.receiveDescriptor(shouldStop: { !RuncRuntime.processIsRunning(senderPID) })
                continuation.resume(returning: fd ?? -1)
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
