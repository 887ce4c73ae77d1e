import APIServer
import ContainerRuntime
import Foundation
import Kubelet

/// Serves the API server's pods/log, pods/exec and pods/attach from this process's kubelet: logs from the
/// container's CRI log files, exec through runc.
///
/// Sendable.
struct KubeletPodStreamingBackend: PodStreamingBackend {
    let kubelet: KubeletService
    let runtime: RuncPodRuntime

    func logs(_ target: PodStreamTarget, options: PodLogStreamOptions) async throws
        -> AsyncThrowingStream<[UInt8], any Error>
    {
        guard let worker = kubelet.worker(podUID: target.podUID) else {
            throw PodStreamingError.containerNotRunning(reason: "ContainerCreating")
        }
        let records = await worker.containerRecords()
        guard let record = records[target.containerName], let current = record.current else {
            throw PodStreamingError.containerNotRunning(reason: records[target.containerName]?.waiting?.reason
                ?? (records[target.containerName] == nil ? "PodInitializing" : "ContainerCreating"))
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
        let result = try await runtime.execCapturing(containerID: containerID, command: command, timeout: .seconds(3600))
        await io.stdout(result.output)
        return ContainerStreamExit(exitCode: result.exitCode)
    }

    func attach(_ target: PodStreamTarget, streams: ContainerStreamOptions, io: ContainerStreamIO) async throws
        -> ContainerStreamExit
    {
        throw PodStreamingError.badRequest(message: "attach is not supported by this node yet; use kubectl exec")
    }

    private func runningContainerID(_ target: PodStreamTarget) async throws -> String {
        guard let worker = kubelet.worker(podUID: target.podUID) else {
            throw PodStreamingError.containerNotRunning(reason: "ContainerCreating")
        }
        let records = await worker.containerRecords()
        guard let record = records[target.containerName], let current = record.current, current.isRunning else {
            throw PodStreamingError.containerNotRunning(reason: records[target.containerName]?.waiting?.reason
                ?? "ContainerCreating")
        }
        return current.containerID
    }
}
