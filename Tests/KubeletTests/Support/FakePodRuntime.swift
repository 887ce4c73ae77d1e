import KubeCore
import Foundation
import KubeAPI
import Kubelet
import Synchronization

/// A PodRuntime for unit tests: containers "run" until the test ends them with `exit(_:code:)`.
final class FakePodRuntime: PodRuntime {
    struct State {
        var started: [String] = []
        var stopped: [String] = []
        var removedSandboxes: [String] = []
        var exits: [String: ContainerExitRecord] = [:]
        var waiters: [String: [CheckedContinuation<ContainerExitRecord, Never>]] = [:]
        var failures: [String: ContainerStartFailure] = [:]
        var counter = 0
    }

    let state = Mutex(State())

    func prepareSandbox(for pod: Pod) async throws -> PodSandboxState {
        PodSandboxState(ready: true, podIP: "10.244.0.9", hostIP: "192.0.2.1")
    }

    func refreshVolumes(for pod: Pod) async {}

    func startContainer(_ container: Container, in pod: Pod, sandbox: PodSandboxState, attempt: Int32,
                        events: @Sendable (ContainerStartEvent) -> Void) async throws(ContainerStartFailure)
        -> ContainerRecord.Instance
    {
        if let failure = state.withLock({ $0.failures[container.name] }) { throw failure }
        let id = state.withLock { state -> String in
            state.counter += 1
            let id = "\(container.name)-\(state.counter)"
            state.started.append(id)
            return id
        }
        events(.created)
        return .init(containerID: id, imageID: "sha256:fake", startedAt: Date())
    }

    func waitForExit(containerID: String) async -> ContainerExitRecord {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> ContainerExitRecord? in
                if let exit = state.exits[containerID] { return exit }
                state.waiters[containerID, default: []].append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Ends container `id` with `code`.
    func exit(_ id: String, code: Int32) {
        let record = ContainerExitRecord(containerID: id, exitCode: code, startedAt: Date(), finishedAt: Date())
        let waiters = state.withLock { state -> [CheckedContinuation<ContainerExitRecord, Never>] in
            state.exits[id] = record
            return state.waiters.removeValue(forKey: id) ?? []
        }
        for waiter in waiters { waiter.resume(returning: record) }
    }

    func stopContainer(containerID: String, gracePeriod: Duration) async {
        state.withLock { $0.stopped.append(containerID) }
        exit(containerID, code: 137)
    }

    func removeContainer(containerID: String) async {}

    func removeSandbox(podUID: String) async {
        state.withLock { $0.removedSandboxes.append(podUID) }
    }

    func existingContainers() async -> [RuntimeContainerSummary] { [] }
    func existingSandboxes() async -> [String] { [] }

    var started: [String] { state.withLock { $0.started } }
}

/// A PodStatusWriter that publishes every status it is given.
final class RecordingStatusWriter: PodStatusWriter {
    let statuses: AsyncStream<PodStatus>
    private let continuation: AsyncStream<PodStatus>.Continuation
    let deleted = Mutex<[String]>([])
    let events = Mutex<[String]>([])

    init() {
        (statuses, continuation) = AsyncStream.makeStream(of: PodStatus.self)
    }

    func writeStatus(_ status: PodStatus, of pod: Pod) async throws { continuation.yield(status) }

    func deleteTerminatedPod(_ pod: Pod) async throws {
        deleted.withLock { $0.append(pod.metadata.uid) }
        continuation.finish()
    }

    func recordEvent(about pod: Pod, fieldPath: String, warning: Bool, reason: String, message: String) {
        events.withLock { $0.append(reason) }
    }

    /// The first status (within `seconds`) that satisfies `predicate`.
    func waitFor(seconds: Double = 60, _ predicate: @escaping @Sendable (PodStatus) -> Bool) async -> PodStatus? {
        let stream = statuses
        return await withTaskGroup(of: PodStatus?.self) { group in
            group.addTask {
                for await status in stream where predicate(status) { return status }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let result = await group.next() ?? nil
            group.cancelAll()
            return result
        }
    }
}
