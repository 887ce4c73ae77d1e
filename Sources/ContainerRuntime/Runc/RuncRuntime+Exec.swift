#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Foundation
import HostSystem
import Synchronization

/// `runc exec`: capturing (probes, hooks) and streaming (`kubectl exec`).
extension RuncRuntime {
    /// Runs `command` in the running container and returns its exit code and combined stdout and stderr.
    /// The process (and runc) are killed after `timeout`, and `execTimedOut` is thrown. A failure of runc
    /// itself (e.g. the executable does not exist) is an exit code with runc's message in the output.
    public func execCapturing(
        id: String, command: [String], environment: [String] = [], timeout: Duration
    ) async throws(ContainerRuntimeError) -> (exitCode: Int32, output: [UInt8]) {
        let files = try runningContainerFiles(id: id)
        let pidFile = files.directory + "/exec-\(UInt32.random(in: 0...UInt32.max)).pid"
        defer { unlink(pidFile) }
        let pipe: HostPipe
        do {
            pipe = try HostPipe()
        } catch {
            throw .host(error)
        }
        let pid: Int32
        do {
            pid = try ProcessSpawner.spawn(
                runcPath, execArguments(id: id, command: command, environment: environment, pidFile: pidFile),
                streams: .init(output: pipe.writeEnd, error: pipe.writeEnd))
        } catch {
            close(pipe.readEnd)
            close(pipe.writeEnd)
            throw .host(error)
        }
        close(pipe.writeEnd)
        let reader = pipe.readEnd
        async let output: [UInt8] = withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let bytes = HostPipe.readAll(reader)
                close(reader)
                continuation.resume(returning: bytes)
            }
        }
        let timedOut = TimeoutFlag()
        let killer = Task {
            try await Task.sleep(for: timeout)
            timedOut.set()
            let execPID = ContainerStateFiles.readPID(pidFile)
            if let execPID { kill(execPID, SIGKILL) }
            kill(pid, SIGKILL)
            if let execPID { Self.reapInBackground(execPID) }
        }
        let status = await ChildExitMonitor.shared.exit(of: pid)
        killer.cancel()
        let bytes = await output
        if timedOut.isSet {
            // runc may have written the pid file after the kill: do not leave that process behind.
            if let execPID = ContainerStateFiles.readPID(pidFile) {
                kill(execPID, SIGKILL)
                Self.reapInBackground(execPID)
            }
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            throw .execTimedOut(containerID: id, command: command, seconds: seconds)
        }
        return (status.code, bytes)
    }

    /// Starts `request.command` in the running container and returns the session to stream its input and
    /// output. With `tty`, runc hands over the pseudo-terminal's master through a console socket.
    public func exec(id: String, _ request: ContainerExecRequest) async throws(ContainerRuntimeError) -> ContainerExecSession {
        let files = try runningContainerFiles(id: id)
        let token = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let pidFile = files.directory + "/exec-\(token).pid"
        if request.tty {
            return try await execWithTerminal(id: id, request, pidFile: pidFile, files: files, token: token)
        }
        var pipes: [HostPipe] = []
        do {
            for _ in 0..<3 { pipes.append(try HostPipe()) }
        } catch {
            for pipe in pipes { close(pipe.readEnd); close(pipe.writeEnd) }
            throw .host(error)
        }
        let (stdinPipe, stdoutPipe, stderrPipe) = (pipes[0], pipes[1], pipes[2])
        let pid: Int32
        do {
            pid = try ProcessSpawner.spawn(
                runcPath, execArguments(id: id, command: request.command, environment: request.environment, pidFile: pidFile),
                streams: .init(
                    input: request.stdin ? stdinPipe.readEnd : nil, output: stdoutPipe.writeEnd, error: stderrPipe.writeEnd))
        } catch {
            for pipe in pipes { close(pipe.readEnd); close(pipe.writeEnd) }
            throw .host(error)
        }
        close(stdinPipe.readEnd)
        close(stdoutPipe.writeEnd)
        close(stderrPipe.writeEnd)
        var input = stdinPipe.writeEnd
        if !request.stdin {
            close(input)
            input = -1
        }
        return ContainerExecSession(
            runcPID: pid, pidFile: pidFile, input: input, outputFD: stdoutPipe.readEnd, errorFD: stderrPipe.readEnd,
            terminal: -1, exitStatus: { await ChildExitMonitor.shared.exit(of: pid) })
    }

    private func execWithTerminal(
        id: String, _ request: ContainerExecRequest, pidFile: String, files: ContainerStateFiles, token: String
    ) async throws(ContainerRuntimeError) -> ContainerExecSession {
        var socketPath = files.directory + "/exec-\(token).sock"
        if socketPath.utf8.count >= 108 { socketPath = NSTemporaryDirectory() + "/swiftlet-exec-\(token).sock" }
        let socket: DescriptorPassingSocket
        do {
            socket = try DescriptorPassingSocket(path: socketPath)
        } catch {
            throw .host(error)
        }
        defer { socket.close() }
        var arguments = execArguments(id: id, command: request.command, environment: request.environment, pidFile: pidFile)
        let execIndex = arguments.firstIndex(of: "exec")! + 1
        // runc hands out the terminal only when it detaches; the process is then reparented to this process,
        // which must be a child subreaper to learn its exit code.
        arguments.insert(contentsOf: ["--detach", "--tty", "--console-socket", socketPath], at: execIndex)
        do {
            try Subreaper.enable()
        } catch {
            throw .host(error)
        }
        // runc's own errors go to a pipe; the process's output goes to the terminal.
        let errors: HostPipe
        do {
            errors = try HostPipe()
        } catch {
            throw .host(error)
        }
        let pid: Int32
        do {
            pid = try ProcessSpawner.spawn(runcPath, arguments, streams: .init(error: errors.writeEnd))
        } catch {
            close(errors.readEnd)
            close(errors.writeEnd)
            throw .host(error)
        }
        close(errors.writeEnd)
        let errorReader = errors.readEnd
        let runcErrors = Task {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    let bytes = HostPipe.readAll(errorReader)
                    close(errorReader)
                    continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        let master: Int32
        do {
            master = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    do {
                        let fd = try socket.receiveDescriptor(shouldStop: { !Self.processIsRunning(pid) })
                        continuation.resume(returning: fd)
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        } catch {
            let status = await ChildExitMonitor.shared.exit(of: pid)
            let message = RuncCommand.errorMessage(standardError: await runcErrors.value, logFile: nil, status: status)
            throw .runcFailed(operation: "exec", containerID: id, message: message)
        }
        let runcStatus = await ChildExitMonitor.shared.exit(of: pid)
        guard runcStatus.succeeded, let processID = ContainerStateFiles.readPID(pidFile) else {
            close(master)
            let message = RuncCommand.errorMessage(standardError: await runcErrors.value, logFile: nil, status: runcStatus)
            throw .runcFailed(operation: "exec", containerID: id, message: message)
        }
        let reader = fcntl(master, F_DUPFD_CLOEXEC, 0)
        return ContainerExecSession(
            runcPID: pid, pidFile: pidFile, input: -1, outputFD: reader, errorFD: nil, terminal: master,
            exitStatus: { await ChildExitMonitor.shared.exit(of: processID) })
    }

    /// Reaps a killed exec'd process once it is reparented to this process (when runc died before it and
    /// this process is a child subreaper). Until it is reaped, its pid namespace's init cannot finish
    /// exiting, so the container would never be reported as exited.
    static func reapInBackground(_ pid: Int32) {
        Task.detached { _ = await ChildExitMonitor.shared.exit(of: pid) }
    }

    /// Whether `pid` exists and is not a zombie.
    static func processIsRunning(_ pid: Int32) -> Bool {
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return false }
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return false }
        let state = text[text.index(after: close)...].drop(while: { $0 == " " }).first
        return state != "Z" && state != "X"
    }

    private func execArguments(id: String, command: [String], environment: [String], pidFile: String) -> [String] {
        RuncCommand(runcPath: runcPath, root: runcRoot).arguments(
            ["exec", "--pid-file", pidFile] + environment.flatMap { ["--env", $0] } + [id] + command)
    }

    /// The state files of `id`, which must be running.
    func runningContainerFiles(id: String) throws(ContainerRuntimeError) -> ContainerStateFiles {
        try Self.validate(id)
        guard let record = record(id: id) else { throw .notFound(containerID: id) }
        guard record.status == .running else { throw .notRunning(containerID: id) }
        return ContainerStateFiles(stateDirectory: stateDirectory, containerID: id)
    }
}

/// Set once by the timeout task, read after the process exited.
private final class TimeoutFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}
