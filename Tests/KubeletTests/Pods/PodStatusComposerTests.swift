import KubeCore
import Foundation
import KubeAPI
import Kubelet
import Testing

@Suite struct PodStatusComposerTests {
    static let now = PodSyncPlannerTests.now

    static func pod(_ spec: PodSpec) -> Pod {
        var pod = Pod()
        pod.metadata.name = "p"
        pod.metadata.namespace = "default"
        pod.metadata.uid = "uid-1"
        pod.spec = spec
        pod.status.conditions = [PodCondition(type: "PodScheduled", status: "True")]
        return pod
    }

    static let sandbox = PodSandboxState(ready: true, podIP: "10.244.0.5", hostIP: "192.0.2.1")

    @Test func initContainersRunningShowPendingAndInitializing() {
        let spec = PodSyncPlannerTests.spec(initContainers: ["a", "b"], containers: ["app"])
        let status = PodStatusComposer.compose(pod: Self.pod(spec), records: ["a": PodSyncPlannerTests.running("a", isInit: true)],
                                               sandbox: Self.sandbox, now: Self.now)
        #expect(status.phase == "Pending")
        #expect(status.initContainerStatuses[0].state.running != nil)
        #expect(status.initContainerStatuses[1].state.waiting?.reason == "PodInitializing")
        #expect(status.containerStatuses[0].state.waiting?.reason == "PodInitializing")
        let initialized = status.conditions.first { $0.type == "Initialized" }
        #expect(initialized?.status == "False")
        #expect(initialized?.message == "containers with incomplete status: [a b]")
        #expect(status.podIP == "10.244.0.5")
        #expect(status.conditions.map(\.type) == ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"])
    }

    @Test func runningReadyContainersMakeThePodReady() {
        var record = PodSyncPlannerTests.running("app")
        record.ready = true
        record.started = true
        let status = PodStatusComposer.compose(pod: Self.pod(PodSyncPlannerTests.spec(containers: ["app"])),
                                               records: ["app": record], sandbox: Self.sandbox, now: Self.now)
        #expect(status.phase == "Running")
        #expect(status.conditions.first { $0.type == "Ready" }?.status == "True")
        #expect(status.containerStatuses[0].ready)
        #expect(status.qosClass == "BestEffort")
    }

    @Test func crashLoopShowsBackOffWithLastState() {
        let record = PodSyncPlannerTests.exited("app", code: 1, backoffUntil: Self.now.addingTimeInterval(9))
        let status = PodStatusComposer.compose(pod: Self.pod(PodSyncPlannerTests.spec(containers: ["app"])),
                                               records: ["app": record], sandbox: Self.sandbox, now: Self.now)
        #expect(status.phase == "Running")
        #expect(status.containerStatuses[0].state.waiting?.reason == "CrashLoopBackOff")
        #expect(status.containerStatuses[0].state.waiting?.message
            == "back-off 10s restarting failed container=app pod=p_default(uid-1)")
        #expect(status.containerStatuses[0].lastState.terminated?.exitCode == 1)
        #expect(status.containerStatuses[0].lastState.terminated?.reason == "Error")
    }

    @Test func completedPodsSucceedOrFail() {
        let never = PodSyncPlannerTests.spec(containers: ["a", "b"], restartPolicy: "Never")
        let ok = PodStatusComposer.compose(
            pod: Self.pod(never), records: ["a": PodSyncPlannerTests.exited("a", code: 0), "b": PodSyncPlannerTests.exited("b", code: 0)],
            sandbox: Self.sandbox, now: Self.now)
        #expect(ok.phase == "Succeeded")
        #expect(ok.conditions.first { $0.type == "Ready" }?.reason == "PodCompleted")
        let failed = PodStatusComposer.compose(
            pod: Self.pod(never), records: ["a": PodSyncPlannerTests.exited("a", code: 0), "b": PodSyncPlannerTests.exited("b", code: 3)],
            sandbox: Self.sandbox, now: Self.now)
        #expect(failed.phase == "Failed")
        #expect(failed.containerStatuses[1].state.terminated?.exitCode == 3)
    }

    @Test func failedInitContainerUnderNeverFailsThePod() {
        let spec = PodSyncPlannerTests.spec(initContainers: ["a"], containers: ["app"], restartPolicy: "Never")
        let status = PodStatusComposer.compose(pod: Self.pod(spec), records: ["a": PodSyncPlannerTests.exited("a", code: 1, isInit: true)],
                                               sandbox: Self.sandbox, now: Self.now)
        #expect(status.phase == "Failed")
        #expect(status.initContainerStatuses[0].state.terminated?.reason == "Error")
    }

    @Test func startFailureShowsItsWaitingReason() {
        var record = ContainerRecord(name: "app", isInit: false)
        record.waiting = .init(reason: "ImagePullBackOff", message: "Back-off pulling image \"nope\"")
        let status = PodStatusComposer.compose(pod: Self.pod(PodSyncPlannerTests.spec(containers: ["app"])),
                                               records: ["app": record], sandbox: Self.sandbox, now: Self.now)
        #expect(status.phase == "Pending")
        #expect(status.containerStatuses[0].state.waiting?.reason == "ImagePullBackOff")
    }

    @Test func oomKilledIsTheTerminationReason() {
        var record = PodSyncPlannerTests.exited("app", code: 137)
        record.current?.exit?.oomKilled = true
        record.current?.exit?.reason = "OOMKilled"
        let status = PodStatusComposer.compose(
            pod: Self.pod(PodSyncPlannerTests.spec(containers: ["app"], restartPolicy: "Never")),
            records: ["app": record], sandbox: Self.sandbox, now: Self.now)
        #expect(status.containerStatuses[0].state.terminated?.reason == "OOMKilled")
        #expect(status.phase == "Failed")
    }
}
