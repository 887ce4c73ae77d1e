import APIServer
import ContainerRuntime
import Foundation
import Kubelet

/// Serves the API server's pods/log, pods/exec and pods/attach from this process's kubelet: logs from the
/// container's CRI log files, exec through runc, attach through the container's shim.
///
/// Sendable.
struct KubeletPodStreamingBackend: PodStreamingBackend {
    let kubelet: KubeletService
    let runtime: RuncPodRuntime

    func logs(_ target: PodStreamTarget, options: PodLogStreamOptions) async throws
        -> AsyncThrowingStream<[UInt8], any Error>
    {
        guard let worker = kubelet.worker(podUID: target.podUID) else {
            throw PodStreamingError.containerNotRunning(reason: "waiting to start: ContainerCreating")
        }
        let records = await worker.containerRecords()
        guard let record = records[target.containerName], let current = record.current else {
            let reason = records[target.containerName]?.waiting?.reason
                ?? (records[target.containerName] == nil ? "PodInitializing" : "ContainerCreating")
            throw PodStreamingError.containerNotRunning(reason: "waiting to start: \(reason)")
        }
        var attempt = record.restartCount
        if options.previous {
            guard record.previousExit != nil || record.restartCount > 0 else { throw PodStreamingError.previousNotFound }
            attempt -= 1
        }
        let path = runtime.logPath(namespace: target.namespace, podName: target.podName, podUID: target.podUID,
                                   container: target.containerName, attempt: attempt)
        guard FileManager.default.fileExists(atPath: path) else {
            if options.previous { throw PodStreamingError.previousNotFound }
            return AsyncThrowingStream { $0.finish() }
        }
        var since = options.sinceTime.map { CRITimestamp($0) }
        if let seconds = options.sinceSeconds { since = CRITimestamp(Date().addingTimeInterval(-Double(seconds))) }
        let readOptions = CRILogReadOptions(
            tailLines: options.tailLines.map { Int($0) }, since: since, timestamps: options.timestamps,
            limitBytes: options.limitBytes.map { Int($0) }, follow: options.follow && !options.previous)
        let containerID = current.containerID
        let name = target.containerName
        return CRILogReader(path: path).read(readOptions) {
            let now = await worker.containerRecords()[name]
            return now?.current?.containerID != containerID || now?.current?.isRunning != true
        }
    }

    func exec(_ target: PodStreamTarget, command: [String], streams: ContainerStreamOptions, io: ContainerStreamIO)
        async throws -> ContainerStreamExit
    {
        let containerID = try await runningContainerID(target)
        let session: ContainerExecSession
        do {
            session = try await runtime.runc.exec(
                id: RuncPodRuntimeID.runtimeID(containerID),
                ContainerExecRequest(command: command, tty: streams.tty, stdin: streams.stdin))
        } catch {
            throw PodStreamingError.commandFailed(message: error.runtimeMessage)
        }
        return await withTaskCancellationHandler {
            let output = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { for await chunk in session.output { await io.stdout(chunk) } }
                    group.addTask { for await chunk in session.errorOutput { await io.stderr(chunk) } }
                }
            }
            let input = Task {
                guard streams.stdin else { return }
                for await chunk in io.stdin { await session.writeInput(chunk) }
                session.closeInput()
            }
            let resize = Task {
                guard streams.tty else { return }
                for await size in io.resize { session.resize(columns: size.width, rows: size.height) }
            }
            let exitCode = await session.exitCode()
            // Everything the process wrote reaches the client before the exit status does.
            await output.value
            input.cancel()
            resize.cancel()
            return ContainerStreamExit(exitCode: exitCode)
        } onCancel: {
            session.terminate()
        }
    }

    /// Attaches to the container's main process through its shim: output from now on, stdin when the
    /// container has `stdin: true` (dropped otherwise, as upstream), resize with a terminal. Ends when the
    /// container exits, when the client's stdin ends on a container without `stdinOnce`, or when the client
    /// goes away. Like upstream's CRI attach, the result carries no exit code of the container (0): kubectl
    /// reads that from the pod's status.
    func attach(_ target: PodStreamTarget, streams: ContainerStreamOptions, io: ContainerStreamIO) async throws
        -> ContainerStreamExit
    {
        let containerID = try await runningContainerID(target)
        let session: ContainerAttachSession
        do {
            session = try await runtime.runc.attach(
                id: RuncPodRuntimeID.runtimeID(containerID), ContainerAttachRequest(stdin: streams.stdin))
        } catch {
            throw PodStreamingError.badRequest(message: "unable to attach to container \(target.containerName): \(error)")
        }
        return await withTaskCancellationHandler {
            let output = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { for await chunk in session.output { await io.stdout(chunk) } }
                    group.addTask { for await chunk in session.errorOutput { await io.stderr(chunk) } }
                }
            }
            let input = Task {
                guard streams.stdin else { return }
                for await chunk in io.stdin { await session.writeInput(chunk) }
                if !Task.isCancelled && !io.clientGone() { session.closeInput() }
            }
            let resize = Task {
                for await size in io.resize { session.resize(columns: size.width, rows: size.height) }
            }
            await output.value
            input.cancel()
            resize.cancel()
            session.detach()
            return ContainerStreamExit(exitCode: 0)
        } onCancel: {
            session.detach()
        }
    }

    private func runningContainerID(_ target: PodStreamTarget) async throws -> String {
        guard let worker = kubelet.worker(podUID: target.podUID) else {
            throw PodStreamingError.containerNotRunning(reason: "waiting to start: ContainerCreating")
        }
        let records = await worker.containerRecords()
        guard let record = records[target.containerName], let current = record.current, current.isRunning else {
            if let exit = records[target.containerName]?.lastExit {
                throw PodStreamingError.badRequest(
                    message: "container \(target.containerName) is not running (\(exit.reason), exit code \(exit.exitCode))")
            }
            let reason = records[target.containerName]?.waiting?.reason ?? "ContainerCreating"
            throw PodStreamingError.containerNotRunning(reason: "waiting to start: \(reason)")
        }
        return current.containerID
    }
}

/// The runc container id inside a kubelet container ID (`runc://<id>`).
enum RuncPodRuntimeID {
    static func runtimeID(_ containerID: String) -> String {
        containerID.hasPrefix("runc://") ? String(containerID.dropFirst("runc://".count)) : containerID
    }
}
