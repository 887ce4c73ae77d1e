import Foundation
import KubeAPI
import Kubelet
import Testing

@Suite struct PodSyncPlannerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func spec(initContainers: [String] = [], containers: [String], restartPolicy: String = "Always") -> PodSpec {
        var spec = PodSpec()
        spec.initContainers = initContainers.map { var c = Container(); c.name = $0; c.image = "busybox"; return c }
        spec.containers = containers.map { var c = Container(); c.name = $0; c.image = "busybox"; return c }
        spec.restartPolicy = restartPolicy
        return spec
    }

    static func exited(_ name: String, code: Int32, isInit: Bool = false, backoffUntil: Date? = nil) -> ContainerRecord {
        var record = ContainerRecord(name: name, isInit: isInit)
        record.current = .init(containerID: "id-\(name)", imageID: "sha256:x", startedAt: now.addingTimeInterval(-5),
                               exit: ContainerExitRecord(containerID: "id-\(name)", exitCode: code,
                                                         startedAt: now.addingTimeInterval(-5),
                                                         finishedAt: now.addingTimeInterval(-1)))
        record.backoffUntil = backoffUntil
        return record
    }

    static func running(_ name: String, isInit: Bool = false) -> ContainerRecord {
        var record = ContainerRecord(name: name, isInit: isInit)
        record.current = .init(containerID: "id-\(name)", imageID: "sha256:x", startedAt: now)
        return record
    }

    @Test func startsTheFirstInitContainerOnly() {
        let plan = PodSyncPlanner.plan(spec: Self.spec(initContainers: ["a", "b"], containers: ["app"]), records: [:],
                                       now: Self.now)
        #expect(plan.actions == [.startContainer("a")])
    }

    @Test func startsTheNextInitContainerAfterSuccess() {
        let plan = PodSyncPlanner.plan(spec: Self.spec(initContainers: ["a", "b"], containers: ["app"]),
                                       records: ["a": Self.exited("a", code: 0, isInit: true)], now: Self.now)
        #expect(plan.actions == [.startContainer("b")])
    }

    @Test func waitsForARunningInitContainer() {
        let plan = PodSyncPlanner.plan(spec: Self.spec(initContainers: ["a"], containers: ["app"]),
                                       records: ["a": Self.running("a", isInit: true)], now: Self.now)
        #expect(plan.actions.isEmpty)
    }

    @Test func startsAppContainersOnceInitialized() {
        let plan = PodSyncPlanner.plan(spec: Self.spec(initContainers: ["a"], containers: ["x", "y"]),
                                       records: ["a": Self.exited("a", code: 0, isInit: true)], now: Self.now)
        #expect(plan.actions == [.startContainer("x"), .startContainer("y")])
    }

    @Test func failedInitContainerUnderNeverStopsThePod() {
        let plan = PodSyncPlanner.plan(spec: Self.spec(initContainers: ["a"], containers: ["x"], restartPolicy: "Never"),
                                       records: ["a": Self.exited("a", code: 1, isInit: true)], now: Self.now)
        #expect(plan.actions.isEmpty)
    }

    @Test func restartPolicyDecidesRestarts() {
        let failed = ["x": Self.exited("x", code: 2)]
        let succeeded = ["x": Self.exited("x", code: 0)]
        #expect(PodSyncPlanner.plan(spec: Self.spec(containers: ["x"]), records: succeeded, now: Self.now).actions
            == [.startContainer("x")])
        #expect(PodSyncPlanner.plan(spec: Self.spec(containers: ["x"], restartPolicy: "OnFailure"), records: succeeded,
                                    now: Self.now).actions.isEmpty)
        #expect(PodSyncPlanner.plan(spec: Self.spec(containers: ["x"], restartPolicy: "OnFailure"), records: failed,
                                    now: Self.now).actions == [.startContainer("x")])
        #expect(PodSyncPlanner.plan(spec: Self.spec(containers: ["x"], restartPolicy: "Never"), records: failed,
                                    now: Self.now).actions.isEmpty)
    }

    @Test func backoffDelaysTheRestartAndNamesTheWakeTime() {
        let until = Self.now.addingTimeInterval(10)
        let plan = PodSyncPlanner.plan(spec: Self.spec(containers: ["x"]),
                                       records: ["x": Self.exited("x", code: 1, backoffUntil: until)], now: Self.now)
        #expect(plan.actions.isEmpty)
        #expect(plan.wakeAt == until)
    }

    @Test func livenessRestartKillsTheRunningInstance() {
        var record = Self.running("x")
        record.restartRequested = true
        let plan = PodSyncPlanner.plan(spec: Self.spec(containers: ["x"]), records: ["x": record], now: Self.now)
        #expect(plan.actions == [.killContainer("x")])
    }

    @Test func restartBackoffDoublesToFiveMinutes() {
        var backoff = RestartBackoff()
        var delays: [TimeInterval] = []
        for _ in 0..<8 { delays.append(backoff.delay(afterRunOf: 1)) }
        #expect(delays == [0, 10, 20, 40, 80, 160, 300, 300])
        #expect(backoff.delay(afterRunOf: 601) == 0)
        #expect(RestartBackoff.goDuration(160) == "2m40s")
        #expect(RestartBackoff.goDuration(10) == "10s")
    }
}
