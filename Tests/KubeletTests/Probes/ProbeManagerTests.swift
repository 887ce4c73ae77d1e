import Foundation
import KubeAPI
import Logging
import Testing
@testable import Kubelet

@Suite("ProbeManager")
struct ProbeManagerTests {
    /// A manager running on a manual clock, its event collector and the task that runs it.
    struct Harness {
        let manager: ProbeManager
        let clock: ManualProbeClock
        let executor: ProbeTestExecutor
        let events: ProbeEventCollector<ProbeManagerEvent>
        let task: Task<Void, Never>

        init() {
            clock = ManualProbeClock()
            executor = ProbeTestExecutor()
            manager = ProbeManager(runner: ProbeRunner(executor: executor), clock: clock,
                                   logger: Logger(label: "probe-manager-test"))
            events = ProbeEventCollector(manager.events)
            let manager = self.manager
            task = Task { await manager.run() }
        }

        func stop() { task.cancel() }

        func target(_ container: Container, containerID: String = "c1") -> ProbeTarget {
            ProbeFixtures.target(container, containerID: containerID, startedAt: clock.now)
        }
    }

    @Test func containerWithoutProbes_isStartedAndReadyAtOnce() async {
        let harness = Harness()
        defer { harness.stop() }
        await harness.manager.containerStarted(harness.target(ProbeFixtures.container()))
        #expect(await harness.events.next() == .readinessChanged(podUID: "uid-1", containerName: "web", containerID: "c1", ready: true))
        #expect(await harness.manager.isStarted(podUID: "uid-1", containerName: "web"))
        #expect(await harness.manager.isReady(podUID: "uid-1", containerName: "web"))
        #expect(await !harness.manager.isReady(podUID: "uid-1", containerName: "other"))
    }

    @Test func readinessProbe_makesTheContainerReadyAfterTheInitialDelay() async {
        let harness = Harness()
        defer { harness.stop() }
        harness.executor.script("ready-check", .exit(0, ""))
        let container = ProbeFixtures.container(readiness: ProbeFixtures.execProbe("ready-check", initialDelay: 5))
        await harness.manager.containerStarted(harness.target(container))
        #expect(await harness.clock.waitForSleeper(deadline: harness.clock.now.addingTimeInterval(5)))
        #expect(harness.executor.calls.isEmpty)
        #expect(await !harness.manager.isReady(podUID: "uid-1", containerName: "web"))
        #expect(await harness.manager.isStarted(podUID: "uid-1", containerName: "web"))

        harness.clock.advance(bySeconds: 5)
        #expect(await harness.events.next() == .readinessChanged(podUID: "uid-1", containerName: "web", containerID: "c1", ready: true))
        #expect(await harness.manager.isReady(podUID: "uid-1", containerName: "web"))
        #expect(harness.executor.calls.map(\.command) == [["ready-check"]])
    }

    @Test func readinessFailure_flipsReadyBackAndReportsUnhealthy() async {
        let harness = Harness()
        defer { harness.stop() }
        harness.executor.script("ready-check", .exit(0, ""), .exit(1, "db down"))
        let container = ProbeFixtures.container(readiness: ProbeFixtures.execProbe("ready-check", period: 3, failureThreshold: 1))
        await harness.manager.containerStarted(harness.target(container))
        #expect(await harness.events.next() == .readinessChanged(podUID: "uid-1", containerName: "web", containerID: "c1", ready: true))
        harness.clock.advance(bySeconds: 3)
        #expect(await harness.events.next() == .probeEvent(
            podUID: "uid-1", containerName: "web", containerID: "c1",
            event: ContainerProbeEvent(type: "Warning", reason: "Unhealthy", message: "Readiness probe failed: db down")))
        #expect(await harness.events.next() == .readinessChanged(podUID: "uid-1", containerName: "web", containerID: "c1", ready: false))
    }

    @Test func livenessFailure_asksForARestartAndANewInstanceStartsFresh() async {
        let harness = Harness()
        defer { harness.stop() }
        harness.executor.script("alive-check", .exit(1, "unhealthy"))
        let container = ProbeFixtures.container(
            liveness: ProbeFixtures.execProbe("alive-check", period: 10, failureThreshold: 2, grace: 7))
        await harness.manager.containerStarted(harness.target(container))
        // No readiness probe: ready at once.
        #expect(await harness.events.next() == .readinessChanged(podUID: "uid-1", containerName: "web", containerID: "c1", ready: true))
        let unhealthy = ProbeManagerEvent.probeEvent(
            podUID: "uid-1", containerName: "web", containerID: "c1",
            event: ContainerProbeEvent(type: "Warning", reason: "Unhealthy", message: "Liveness probe failed: unhealthy"))
        #expect(await harness.events.next() == unhealthy)
        harness.clock.advance(bySeconds: 10)
        #expect(await harness.events.next() == unhealthy)
        #expect(await harness.events.next() == .livenessFailed(
            podUID: "uid-1", containerName: "web", containerID: "c1", message: "unhealthy",
            terminationGracePeriodSeconds: 7))
        #expect(await harness.manager.probeStatus(podUID: "uid-1", containerName: "web", kind: .liveness) == .failure)

        // The kubelet restarted the container: a new instance is probed from scratch.
        harness.executor.script("alive-check", .exit(0, ""))
        await harness.manager.containerStarted(harness.target(container, containerID: "c2"))
        #expect(await harness.manager.probeStatus(podUID: "uid-1", containerName: "web", kind: .liveness) == .success)
        #expect(await harness.clock.waitForSleeper(deadline: harness.clock.now.addingTimeInterval(10)))
        #expect(harness.executor.calls.map(\.containerID) == ["c1", "c1", "c2"])
    }

    @Test func startupProbe_gatesReadinessAndLiveness() async {
        let harness = Harness()
        defer { harness.stop() }
        harness.executor.script("startup-check", .exit(1, "warming up"), .exit(0, ""))
        harness.executor.script("ready-check", .exit(0, ""))
        harness.executor.script("alive-check", .exit(0, ""))
        let container = ProbeFixtures.container(
            liveness: ProbeFixtures.execProbe("alive-check"),
            readiness: ProbeFixtures.execProbe("ready-check"),
            startup: ProbeFixtures.execProbe("startup-check", period: 2, failureThreshold: 5))
        await harness.manager.containerStarted(harness.target(container))
        #expect(await harness.events.next() == .probeEvent(
            podUID: "uid-1", containerName: "web", containerID: "c1",
            event: ContainerProbeEvent(type: "Warning", reason: "Unhealthy", message: "Startup probe failed: warming up")))
        #expect(await !harness.manager.isStarted(podUID: "uid-1", containerName: "web"))
        harness.clock.advance(bySeconds: 2)
        #expect(await harness.events.next() == .startupSucceeded(podUID: "uid-1", containerName: "web", containerID: "c1"))
        #expect(await harness.events.next() == .readinessChanged(podUID: "uid-1", containerName: "web", containerID: "c1", ready: true))
        let commands = harness.executor.calls.map { $0.command[0] }
        #expect(Array(commands.prefix(2)) == ["startup-check", "startup-check"])
        #expect(Set(commands.dropFirst(2)).isSubset(of: ["ready-check", "alive-check"]))
    }

    @Test func startupFailure_asksForARestart() async {
        let harness = Harness()
        defer { harness.stop() }
        harness.executor.script("startup-check", .timeout)
        let container = ProbeFixtures.container(startup: ProbeFixtures.execProbe("startup-check", failureThreshold: 1))
        await harness.manager.containerStarted(harness.target(container))
        let failed = await harness.events.next { if case .startupFailed = $0 { return true } else { return false } }
        #expect(failed == .startupFailed(
            podUID: "uid-1", containerName: "web", containerID: "c1",
            message: "command \"startup-check\" timed out", terminationGracePeriodSeconds: nil))
    }

    @Test func containerStopped_reportsNotReady() async {
        let harness = Harness()
        defer { harness.stop() }
        await harness.manager.containerStarted(harness.target(ProbeFixtures.container()))
        #expect(await harness.events.next() == .readinessChanged(podUID: "uid-1", containerName: "web", containerID: "c1", ready: true))
        await harness.manager.containerStopped(podUID: "uid-1", containerName: "web")
        #expect(await harness.events.next() == .readinessChanged(podUID: "uid-1", containerName: "web", containerID: "c1", ready: false))
        #expect(await !harness.manager.isStarted(podUID: "uid-1", containerName: "web"))
    }

    @Test func podTerminating_stopsLivenessButNotReadinessProbing() async {
        let harness = Harness()
        defer { harness.stop() }
        let start = harness.clock.now
        harness.executor.script("alive-check", .exit(1, "bad"))
        harness.executor.script("ready-check", .exit(0, ""))
        let container = ProbeFixtures.container(
            liveness: ProbeFixtures.execProbe("alive-check", period: 5, failureThreshold: 2),
            readiness: ProbeFixtures.execProbe("ready-check", period: 100))
        await harness.manager.containerStarted(harness.target(container))
        #expect(await harness.clock.waitForSleeper(deadline: start.addingTimeInterval(5)))
        await harness.manager.podTerminating(podUID: "uid-1")
        harness.clock.advance(bySeconds: 60)
        // Only the readiness probe is left to schedule.
        #expect(await harness.clock.waitForSleeper(deadline: start.addingTimeInterval(100)))
        #expect(harness.executor.calls.map { $0.command[0] }.filter { $0 == "alive-check" }.count == 1)
        #expect(!harness.events.pending.contains { if case .livenessFailed = $0 { return true } else { return false } })
        #expect(await harness.manager.probeStatus(podUID: "uid-1", containerName: "web", kind: .liveness) == .success)
    }

    @Test func run_finishesTheEventStreamWhenCancelled() async {
        let harness = Harness()
        harness.stop()
        await harness.task.value
        #expect(await harness.events.next(timeout: .seconds(20)) == nil)
    }
}
