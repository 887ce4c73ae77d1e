import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Logging
import Synchronization
import Testing

/// A pod worker facing bad input: a volume that cannot be set up keeps the pod ContainerCreating with a
/// FailedMount event until it can; a command that cannot start fails a restartPolicy Never pod with
/// StartError and crash-loops an Always pod; a failed pull alternates ErrImagePull and ImagePullBackOff.
@Suite struct PodWorkerBadInputTests {
    /// A runtime whose sandbox setup and container starts fail while the test says so.
    final class FailingRuntime: PodRuntime {
        struct State {
            var sandboxError: (any Error & Sendable)?
            var startFailure: ContainerStartFailure?
            var attempts = 0
            var removed: [String] = []
        }

        let state = Mutex(State())

        func prepareSandbox(for pod: Pod) async throws -> PodSandboxState {
            if let error = state.withLock({ $0.sandboxError }) { throw error }
            return PodSandboxState(ready: true, podIP: "10.244.0.9", hostIP: "192.0.2.1")
        }

        func refreshVolumes(for pod: Pod) async {}

        func startContainer(_ container: Container, in pod: Pod, sandbox: PodSandboxState, attempt: Int32,
                            events: @Sendable (ContainerStartEvent) -> Void) async throws(ContainerStartFailure)
            -> ContainerRecord.Instance
        {
            let (failure, attempt) = state.withLock { state in
                state.attempts += 1
                return (state.startFailure, state.attempts)
            }
            if let failure { throw failure }
            return .init(containerID: "c-\(attempt)", imageID: "sha256:fake", startedAt: Date())
        }

        func waitForExit(containerID: String) async -> ContainerExitRecord {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            return ContainerExitRecord(containerID: containerID, exitCode: 137, startedAt: Date(), finishedAt: Date())
        }

        func stopContainer(containerID: String, gracePeriod: Duration) async {}
        func removeContainer(containerID: String) async { state.withLock { $0.removed.append(containerID) } }
        func removeSandbox(podUID: String) async {}
        func existingContainers() async -> [RuntimeContainerSummary] { [] }
        func existingSandboxes() async -> [String] { [] }
    }

    /// Keeps every status and event (reason and message).
    final class Recorder: PodStatusWriter {
        let statuses: AsyncStream<PodStatus>
        private let continuation: AsyncStream<PodStatus>.Continuation
        let events = Mutex<[ContainerEvent]>([])

        init() { (statuses, continuation) = AsyncStream.makeStream(of: PodStatus.self) }

        func writeStatus(_ status: PodStatus, of pod: Pod) async throws { continuation.yield(status) }
        func deleteTerminatedPod(_ pod: Pod) async throws {}
        func recordEvent(about pod: Pod, fieldPath: String, warning: Bool, reason: String, message: String) {
            events.withLock { $0.append(ContainerEvent(warning: warning, reason: reason, message: message)) }
        }

        /// The statuses written until one satisfies `predicate` (that one last), or nil after `seconds`.
        func statuses(until predicate: @escaping @Sendable (PodStatus) -> Bool, seconds: Double = 60) async
            -> [PodStatus]?
        {
            let stream = statuses
            return await withTaskGroup(of: [PodStatus]?.self) { group in
                group.addTask {
                    var seen: [PodStatus] = []
                    for await status in stream {
                        seen.append(status)
                        if predicate(status) { return seen }
                    }
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

    static func run(_ pod: Pod, _ runtime: FailingRuntime, _ writer: Recorder) -> Task<Void, Never> {
        let worker = PodWorker(pod: pod, runtime: runtime, writer: writer, logger: Logger(label: "test"))
        return Task { await worker.run() }
    }

    @Test func aVolumeThatCannotBeSetUpKeepsThePodCreatingWithFailedMountUntilItCan() async throws {
        let runtime = FailingRuntime()
        var volumeError = VolumeError(volumeName: "config", problem: .configMapNotFound(name: "settings"))
        volumeError.otherFailures = [VolumeError(volumeName: "creds", problem: .secretNotFound(name: "creds"))]
        runtime.state.withLock { $0.sandboxError = volumeError }
        let writer = Recorder()
        let task = Self.run(PodWorkerTests.pod(containers: ["app"]), runtime, writer)
        defer { task.cancel() }
        let first = await writer.statuses { _ in true }?.last
        #expect(first?.phase == "Pending")
        #expect(first?.containerStatuses.first?.state.waiting?.reason == "ContainerCreating")
        #expect(writer.events.withLock { $0 } == [
            ContainerEvent(warning: true, reason: "FailedMount",
                           message: "MountVolume.SetUp failed for volume \"config\" : configmap \"settings\" not found"),
            ContainerEvent(warning: true, reason: "FailedMount",
                           message: "MountVolume.SetUp failed for volume \"creds\" : secret \"creds\" not found"),
        ])

        runtime.state.withLock { $0.sandboxError = nil }
        let running = await writer.statuses { $0.phase == "Running" }?.last
        #expect(running?.containerStatuses.first?.state.running != nil)
    }

    @Test func aCommandThatCannotStartFailsANeverPodWithStartError() async throws {
        let runtime = FailingRuntime()
        runtime.state.withLock { $0.startFailure = ContainerStartFailureBadInputTests.startError }
        let writer = Recorder()
        let task = Self.run(PodWorkerTests.pod(containers: ["app"], restartPolicy: "Never"), runtime, writer)
        defer { task.cancel() }
        let failed = await writer.statuses { $0.phase == "Failed" }?.last
        let terminated = failed?.containerStatuses.first?.state.terminated
        #expect(terminated?.reason == "StartError")
        #expect(terminated?.exitCode == 128)
        #expect(runtime.state.withLock { $0.attempts } == 1)
        #expect(writer.events.withLock { $0 }.contains(ContainerEvent(
            warning: true, reason: "Failed", message: "Error: " + ContainerStartFailureBadInputTests.startError.message)))
        // Records of starts that created nothing are never handed to the runtime for removal.
        #expect(runtime.state.withLock { $0.removed }.isEmpty)
    }

    @Test func aCommandThatCannotStartCrashLoopsAnAlwaysPod() async throws {
        let runtime = FailingRuntime()
        runtime.state.withLock { $0.startFailure = ContainerStartFailureBadInputTests.startError }
        let writer = Recorder()
        let task = Self.run(PodWorkerTests.pod(containers: ["app"]), runtime, writer)
        defer { task.cancel() }
        let seen = await writer.statuses { $0.containerStatuses.first?.state.waiting?.reason == "CrashLoopBackOff" }
        let reasons = (seen ?? []).compactMap { $0.containerStatuses.first?.state.waiting?.reason }
        #expect(reasons.contains("RunContainerError"))
        let last = seen?.last?.containerStatuses.first
        #expect(last?.restartCount == 1)
        #expect(last?.lastState.terminated?.reason == "StartError")
        // Two starts by the time CrashLoopBackOff shows (restartCount 1 above); the runtime's counter may
        // already include a later retry when this test runs slowly.
        #expect(runtime.state.withLock { $0.attempts } >= 2)
        #expect(writer.events.withLock { $0 }.contains { $0.reason == "BackOff" })
        #expect(runtime.state.withLock { $0.removed }.isEmpty)
    }

    @Test func aFailedPullShowsErrImagePullThenImagePullBackOff() async throws {
        let runtime = FailingRuntime()
        runtime.state.withLock {
            $0.startFailure = ContainerStartFailure(reason: "ErrImagePull", message: "rpc error: code = Unknown desc = refused")
        }
        let writer = Recorder()
        let started = ContinuousClock.now
        let task = Self.run(PodWorkerTests.pod(containers: ["app"]), runtime, writer)
        defer { task.cancel() }
        let seen = await writer.statuses { $0.containerStatuses.first?.state.waiting?.reason == "ImagePullBackOff" }
        let elapsed = ContinuousClock.now - started
        let reasons = (seen ?? []).compactMap { $0.containerStatuses.first?.state.waiting?.reason }
        #expect(reasons.suffix(2) == ["ErrImagePull", "ImagePullBackOff"])
        let events = writer.events.withLock { $0 }
        #expect(events.contains(ContainerEvent(warning: true, reason: "Failed",
                                               message: "Failed to pull image \"busybox\": rpc error: code = Unknown desc = refused")))
        #expect(events.contains(ContainerEvent(warning: false, reason: "BackOff", message: "Back-off pulling image \"busybox\"")))
        // One pull, then back-off: judged from the statuses up to the first ImagePullBackOff (in the order the
        // worker wrote them), not from the runtime's counter, which a later retry may have moved on by now. A
        // test process starved past the first 10 s back-off may legitimately see one more pull per 10 s.
        let allowedPulls = 1 + Int(elapsed / .seconds(10))
        #expect(reasons.filter { $0 == "ErrImagePull" }.count <= allowedPulls,
                "the pull was retried before backing off: \(reasons) in \(elapsed)")
        #expect(reasons.first == "ErrImagePull")
        #expect(runtime.state.withLock { $0.attempts } >= 1)
    }
}
