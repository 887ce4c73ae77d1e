import Synchronization
import Foundation
import KubeAPI
import KubeCore
import Kubelet
import Logging
import Testing

@Suite struct PodWorkerTests {
    static func pod(initContainers: [String] = [], containers: [String], restartPolicy: String = "Always") -> Pod {
        var pod = PodStatusComposerTests.pod(
            PodSyncPlannerTests.spec(initContainers: initContainers, containers: containers, restartPolicy: restartPolicy))
        pod.spec.nodeName = "node-1"
        return pod
    }

    @Test func runsInitContainersInOrderThenTheApp() async throws {
        let runtime = FakePodRuntime()
        let writer = RecordingStatusWriter()
        let worker = PodWorker(pod: Self.pod(initContainers: ["one", "two"], containers: ["app"]), runtime: runtime,
                               writer: writer, logger: Logger(label: "test"))
        let task = Task { await worker.run() }
        defer { task.cancel() }
        let first = await writer.waitFor { $0.initContainerStatuses.first?.state.running != nil }
        #expect(first?.phase == "Pending")
        #expect(runtime.started == ["one-1"])
        runtime.exit("one-1", code: 0)
        _ = await writer.waitFor { $0.initContainerStatuses.last?.state.running != nil }
        #expect(runtime.started == ["one-1", "two-2"])
        runtime.exit("two-2", code: 0)
        let running = await writer.waitFor { $0.phase == "Running" }
        #expect(running?.containerStatuses.first?.state.running != nil)
        #expect(running?.conditions.first { $0.type == "Initialized" }?.status == "True")
        #expect(runtime.started == ["one-1", "two-2", "app-3"])
    }

    @Test func aCrashedContainerRestartsAndCountsIt() async throws {
        let runtime = FakePodRuntime()
        let writer = RecordingStatusWriter()
        let worker = PodWorker(pod: Self.pod(containers: ["app"]), runtime: runtime, writer: writer,
                               logger: Logger(label: "test"))
        let task = Task { await worker.run() }
        defer { task.cancel() }
        _ = await writer.waitFor { $0.phase == "Running" }
        runtime.exit("app-1", code: 1)
        let restarted = await writer.waitFor { $0.containerStatuses.first?.restartCount == 1 }
        #expect(restarted?.containerStatuses.first?.state.running != nil)
        #expect(restarted?.containerStatuses.first?.lastState.terminated?.exitCode == 1)
        // The second crash waits in back-off.
        runtime.exit("app-2", code: 1)
        let backingOff = await writer.waitFor { $0.containerStatuses.first?.state.waiting?.reason == "CrashLoopBackOff" }
        #expect(backingOff != nil)
    }

    @Test func deletionStopsContainersRemovesTheSandboxAndDeletesThePod() async throws {
        let runtime = FakePodRuntime()
        let writer = RecordingStatusWriter()
        var pod = Self.pod(containers: ["app"])
        let worker = PodWorker(pod: pod, runtime: runtime, writer: writer, logger: Logger(label: "test"))
        let task = Task { await worker.run() }
        _ = await writer.waitFor { $0.phase == "Running" }
        pod.metadata.deletionTimestamp = RFC3339Time(Date())
        pod.metadata.deletionGracePeriodSeconds = 30
        await worker.update(pod)
        await task.value
        #expect(runtime.state.withLock { $0.stopped } == ["app-1"])
        #expect(runtime.state.withLock { $0.removedSandboxes } == ["uid-1"])
        #expect(writer.deleted.withLock { $0 } == ["uid-1"])
    }

    @Test func anImagePullFailureBacksOff() async throws {
        let runtime = FakePodRuntime()
        runtime.state.withLock {
            $0.failures["app"] = ContainerStartFailure(reason: "ErrImagePull", message: "not found")
        }
        let writer = RecordingStatusWriter()
        let worker = PodWorker(pod: Self.pod(containers: ["app"]), runtime: runtime, writer: writer,
                               logger: Logger(label: "test"))
        let task = Task { await worker.run() }
        defer { task.cancel() }
        let pulling = await writer.waitFor { $0.containerStatuses.first?.state.waiting?.reason == "ImagePullBackOff" }
        #expect(pulling?.containerStatuses.first?.state.waiting?.message == "Back-off pulling image \"busybox\"")
        #expect(writer.events.withLock { $0 }.contains("BackOff"))
    }
}
