import Foundation
import KubeAPI
import Kubelet
import Testing

/// How failed starts show in status and events (upstream kubelet + containerd shapes): image pulls alternate
/// ErrImagePull / ImagePullBackOff, a command that cannot start is a run that ended with StartError (128),
/// configuration errors record one `Failed` event with the error.
@Suite struct ContainerStartFailureBadInputTests {
    static let now = PodSyncPlannerTests.now
    static let label = "p_default(uid-1)"

    @Test func aFailedPullShowsErrImagePullThenImagePullBackOffWithUpstreamEvents() {
        let failure = ContainerStartFailure(reason: "ErrImagePull", message: "rpc error: code = NotFound desc = gone")
        let (failed, events) = ContainerStartFailureHandler.recordFailure(
            failure, image: "reg/x:1", record: ContainerRecord(name: "app", isInit: false), restartPolicy: "Always",
            now: Self.now)
        #expect(failed.waiting == .init(reason: "ErrImagePull", message: "rpc error: code = NotFound desc = gone"))
        #expect(failed.backoffUntil == Self.now.addingTimeInterval(10))
        #expect(events == [
            ContainerEvent(warning: true, reason: "Failed",
                           message: "Failed to pull image \"reg/x:1\": rpc error: code = NotFound desc = gone"),
            ContainerEvent(warning: true, reason: "Failed", message: "Error: ErrImagePull"),
        ])

        let (settled, backOffEvents) = ContainerStartFailureHandler.settle(failed, image: "reg/x:1", podLabel: Self.label,
                                                                           now: Self.now.addingTimeInterval(0.1))
        #expect(settled.waiting == .init(reason: "ImagePullBackOff", message: "Back-off pulling image \"reg/x:1\""))
        #expect(backOffEvents == [
            ContainerEvent(warning: false, reason: "BackOff", message: "Back-off pulling image \"reg/x:1\""),
            ContainerEvent(warning: true, reason: "Failed", message: "Error: ImagePullBackOff"),
        ])
        // Settling again changes nothing; the next failed pull waits twice as long.
        #expect(ContainerStartFailureHandler.settle(settled, image: "reg/x:1", podLabel: Self.label,
                                                    now: Self.now.addingTimeInterval(1)).events.isEmpty)
        let later = Self.now.addingTimeInterval(11)
        let (again, _) = ContainerStartFailureHandler.recordFailure(failure, image: "reg/x:1", record: settled,
                                                                    restartPolicy: "Always", now: later)
        #expect(again.waiting?.reason == "ErrImagePull")
        #expect(again.backoffUntil == later.addingTimeInterval(20))
    }

    @Test func aMissingImageWithPullPolicyNeverKeepsItsReason() {
        let message = "Container image \"x:1\" is not present with pull policy of Never"
        let failure = ContainerStartFailure(reason: "ErrImageNeverPull", message: message, eventReason: "ErrImageNeverPull")
        let (failed, events) = ContainerStartFailureHandler.recordFailure(
            failure, image: "x:1", record: ContainerRecord(name: "app", isInit: false), restartPolicy: "Always",
            now: Self.now)
        #expect(events == [ContainerEvent(warning: true, reason: "ErrImageNeverPull", message: message),
                           ContainerEvent(warning: true, reason: "Failed", message: "Error: ErrImageNeverPull")])
        #expect(failed.current == nil)
        #expect(failed.backoffUntil == Self.now.addingTimeInterval(ContainerStartFailureHandler.retryDelay))
        let settled = ContainerStartFailureHandler.settle(failed, image: "x:1", podLabel: Self.label, now: Self.now)
        #expect(settled.record.waiting == .init(reason: "ErrImageNeverPull", message: message))
        #expect(settled.events.isEmpty)
    }

    @Test func aConfigurationErrorRecordsOneFailedEventWithTheError() {
        let failure = ContainerStartFailure(reason: "CreateContainerConfigError", message: "configmap \"c\" not found")
        let (failed, events) = ContainerStartFailureHandler.recordFailure(
            failure, image: "x:1", record: ContainerRecord(name: "app", isInit: false), restartPolicy: "Never",
            now: Self.now)
        #expect(events == [ContainerEvent(warning: true, reason: "Failed", message: "Error: configmap \"c\" not found")])
        #expect(failed.waiting?.reason == "CreateContainerConfigError")
        #expect(failed.current == nil)
    }

    static let startError = ContainerStartFailure(
        reason: "RunContainerError",
        message: "runc create failed: exec: \"nope\": executable file not found in $PATH")

    @Test func aCommandThatCannotStartEndsTheRunWithStartErrorAndBacksOff() {
        let spec = PodSyncPlannerTests.spec(containers: ["app"], restartPolicy: "Always")
        let pod = PodStatusComposerTests.pod(spec)
        var (record, events) = ContainerStartFailureHandler.recordFailure(
            Self.startError, image: "busybox", record: ContainerRecord(name: "app", isInit: false),
            restartPolicy: "Always", now: Self.now)
        #expect(events == [ContainerEvent(warning: true, reason: "Failed", message: "Error: " + Self.startError.message)])
        #expect(record.current?.exit?.exitCode == 128)
        #expect(record.current?.exit?.reason == "StartError")
        #expect(record.restartCount == 0)
        #expect(record.backoffUntil == nil)  // the first restart is immediate
        var status = PodStatusComposer.compose(pod: pod, records: ["app": record], sandbox: PodStatusComposerTests.sandbox,
                                               now: Self.now)
        #expect(status.containerStatuses[0].state.waiting?.reason == "RunContainerError")
        #expect(status.containerStatuses[0].state.waiting?.message == Self.startError.message)
        #expect(status.containerStatuses[0].lastState.terminated?.reason == "StartError")
        #expect(PodSyncPlanner.plan(spec: spec, records: ["app": record], now: Self.now).actions == [.startContainer("app")])

        // The second failure counts a restart and waits 10 s: CrashLoopBackOff after the next pass.
        (record, _) = ContainerStartFailureHandler.recordFailure(Self.startError, image: "busybox", record: record,
                                                                 restartPolicy: "Always", now: Self.now)
        #expect(record.restartCount == 1)
        #expect(record.previousExit?.reason == "StartError")
        #expect(record.backoffUntil == Self.now.addingTimeInterval(10))
        #expect(PodSyncPlanner.plan(spec: spec, records: ["app": record], now: Self.now).actions.isEmpty)
        (record, events) = ContainerStartFailureHandler.settle(record, image: "busybox", podLabel: Self.label,
                                                               now: Self.now)
        #expect(events == [ContainerEvent(warning: true, reason: "BackOff",
                                          message: "Back-off restarting failed container app in pod \(Self.label)")])
        status = PodStatusComposer.compose(pod: pod, records: ["app": record], sandbox: PodStatusComposerTests.sandbox,
                                           now: Self.now)
        let app = status.containerStatuses[0]
        #expect(app.state.waiting?.reason == "CrashLoopBackOff")
        #expect(app.lastState.terminated?.exitCode == 128)
        #expect(app.lastState.terminated?.reason == "StartError")
        #expect(app.restartCount == 1)
        #expect(status.phase == "Running")  // upstream: an Always pod whose containers all stopped is Running
    }

    @Test func aCommandThatCannotStartFailsANeverPod() {
        let spec = PodSyncPlannerTests.spec(containers: ["app"], restartPolicy: "Never")
        let (record, _) = ContainerStartFailureHandler.recordFailure(
            Self.startError, image: "busybox", record: ContainerRecord(name: "app", isInit: false),
            restartPolicy: "Never", now: Self.now)
        #expect(record.waiting == nil)
        #expect(PodSyncPlanner.plan(spec: spec, records: ["app": record], now: Self.now).actions.isEmpty)
        let status = PodStatusComposer.compose(pod: PodStatusComposerTests.pod(spec), records: ["app": record],
                                               sandbox: PodStatusComposerTests.sandbox, now: Self.now)
        #expect(status.phase == "Failed")
        let terminated = status.containerStatuses[0].state.terminated
        #expect(terminated?.exitCode == 128)
        #expect(terminated?.reason == "StartError")
        #expect(terminated?.message == Self.startError.message)
    }

    @Test func pullBackOffDoublesFromTenSecondsToFiveMinutes() {
        var backoff = RestartBackoff()
        let delays = (0..<7).map { _ in backoff.delayAfterFailedPull() }
        #expect(delays == [10, 20, 40, 80, 160, 300, 300])
    }
}
