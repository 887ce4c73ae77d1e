import Foundation
import KubeAPI
import Testing
@testable import Kubelet

@Suite("ProbeStateMachine")
struct ProbeStateMachineTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    func machine(_ kind: ProbeKind, _ settings: ProbeSettings) -> ProbeStateMachine {
        ProbeStateMachine(kind: kind, settings: settings, containerStartedAt: start)
    }

    @Test func initialStatus_followsUpstreamPerKind() {
        #expect(machine(.liveness, ProbeSettings()).status == .success)
        #expect(machine(.readiness, ProbeSettings()).status == .failure)
        #expect(machine(.startup, ProbeSettings()).status == .unknown)
    }

    @Test func settings_defaultZeroFieldsAndForceSuccessThresholdForLivenessAndStartup() {
        let empty = ProbeSettings(Probe(), kind: .readiness)
        #expect(empty == ProbeSettings(initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1,
                                       successThreshold: 1, failureThreshold: 3))
        let probe = Probe(initialDelaySeconds: 4, timeoutSeconds: 2, periodSeconds: 5, successThreshold: 3,
                          failureThreshold: 6, terminationGracePeriodSeconds: 9)
        #expect(ProbeSettings(probe, kind: .readiness).successThreshold == 3)
        #expect(ProbeSettings(probe, kind: .readiness).terminationGracePeriodSeconds == nil)
        #expect(ProbeSettings(probe, kind: .liveness).successThreshold == 1)
        #expect(ProbeSettings(probe, kind: .startup).successThreshold == 1)
        #expect(ProbeSettings(probe, kind: .liveness).terminationGracePeriodSeconds == 9)
        #expect(ProbeSettings(probe, kind: .liveness).timeout == .seconds(2))
    }

    @Test(arguments: [
        // (initialDelay, period, decision time, expected wait-until offset or nil = probe now)
        (Int32(0), Int32(10), 0.0, Double?.none),
        (Int32(15), Int32(20), 0.0, Double?.some(15)),
        (Int32(15), Int32(20), 14.9, Double?.some(15)),
        (Int32(15), Int32(20), 15.0, Double?.none),
        (Int32(5), Int32(10), 30.0, Double?.none),
    ])
    func decide_waitsForInitialDelayFromContainerStart(delay: Int32, period: Int32, now: Double, waitUntil: Double?) {
        var probe = machine(.readiness, ProbeSettings(initialDelaySeconds: delay, periodSeconds: period))
        let decision = probe.decide(now: at(now), containerStarted: true)
        if let waitUntil {
            #expect(decision == .wait(until: at(waitUntil)))
        } else {
            #expect(decision == .probe(timeout: .seconds(1)))
        }
    }

    @Test func decide_probesEveryPeriodAfterTheLastAttempt() {
        var probe = machine(.readiness, ProbeSettings(initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 3))
        #expect(probe.decide(now: at(5), containerStarted: true) == .probe(timeout: .seconds(3)))
        // While an attempt runs nothing else starts.
        #expect(probe.decide(now: at(6), containerStarted: true) == .idle)
        _ = probe.record(.success(output: ""))
        #expect(probe.decide(now: at(6), containerStarted: true) == .wait(until: at(15)))
        #expect(probe.decide(now: at(15), containerStarted: true) == .probe(timeout: .seconds(3)))
    }

    @Test func liveness_failureThresholdReached_reportsFailureOnceAndHolds() {
        var probe = machine(.liveness, ProbeSettings(periodSeconds: 1, failureThreshold: 3,
                                                     terminationGracePeriodSeconds: 7))
        var effects: [[ProbeStateMachine.Effect]] = []
        for second in 0..<3 {
            #expect(probe.decide(now: at(Double(second)), containerStarted: true) == .probe(timeout: .seconds(1)))
            effects.append(probe.record(.failure("HTTP probe failed with statuscode: 500")))
        }
        let unhealthy = ProbeStateMachine.Effect.event(ContainerProbeEvent(
            type: "Warning", reason: "Unhealthy", message: "Liveness probe failed: HTTP probe failed with statuscode: 500"))
        #expect(effects[0] == [unhealthy])
        #expect(effects[1] == [unhealthy])
        #expect(effects[2] == [
            unhealthy, .statusChanged(.failure),
            .containerFailed(message: "HTTP probe failed with statuscode: 500", terminationGracePeriodSeconds: 7),
        ])
        #expect(probe.status == .failure)
        #expect(probe.isOnHold)
        #expect(probe.decide(now: at(100), containerStarted: true) == .idle)
    }

    @Test func liveness_successInBetweenResetsTheFailureRun() {
        var probe = machine(.liveness, ProbeSettings(periodSeconds: 1, failureThreshold: 2))
        let results: [ProbeResult] = [.failure("a"), .success(output: ""), .failure("b"), .success(output: ""), .failure("c")]
        for (second, result) in results.enumerated() {
            _ = probe.decide(now: at(Double(second)), containerStarted: true)
            _ = probe.record(result)
        }
        #expect(probe.status == .success)
        #expect(!probe.isOnHold)
    }

    @Test func unknownAttempts_areIgnoredButReported() {
        var probe = machine(.startup, ProbeSettings(periodSeconds: 1, failureThreshold: 2))
        _ = probe.decide(now: at(0), containerStarted: false)
        _ = probe.record(.failure("x"))
        _ = probe.decide(now: at(1), containerStarted: false)
        let errored = probe.record(.unknown("invalid port number: 0"))
        #expect(errored == [.event(ContainerProbeEvent(
            type: "Warning", reason: "Unhealthy",
            message: "Startup probe errored and resulted in unknown state: invalid port number: 0"))])
        #expect(probe.status == .unknown)
        _ = probe.decide(now: at(2), containerStarted: false)
        let effects = probe.record(.failure("x"))
        #expect(effects.contains(.containerFailed(message: "x", terminationGracePeriodSeconds: nil)))
    }

    @Test func readiness_needsSuccessThresholdAndNeverKills() {
        var probe = machine(.readiness, ProbeSettings(periodSeconds: 1, successThreshold: 2, failureThreshold: 1))
        _ = probe.decide(now: at(0), containerStarted: true)
        #expect(probe.record(.success(output: "ok")) == [])
        _ = probe.decide(now: at(1), containerStarted: true)
        #expect(probe.record(.success(output: "ok")) == [.statusChanged(.success)])
        _ = probe.decide(now: at(2), containerStarted: true)
        let failed = probe.record(.failure("dial tcp 10.0.0.1:80: i/o timeout"))
        #expect(failed == [
            .event(ContainerProbeEvent(type: "Warning", reason: "Unhealthy",
                                       message: "Readiness probe failed: dial tcp 10.0.0.1:80: i/o timeout")),
            .statusChanged(.failure),
        ])
        #expect(!probe.isOnHold)
        #expect(probe.decide(now: at(3), containerStarted: true) == .probe(timeout: .seconds(1)))
    }

    @Test func warning_countsAsSuccessWithAProbeWarningEvent() {
        var probe = machine(.readiness, ProbeSettings())
        _ = probe.decide(now: at(0), containerStarted: true)
        let effects = probe.record(.warning("Probe terminated redirects, Response body: moved"))
        #expect(effects == [
            .event(ContainerProbeEvent(type: "Warning", reason: "ProbeWarning",
                                       message: "Readiness probe warning: Probe terminated redirects, Response body: moved")),
            .statusChanged(.success),
        ])
    }

    @Test func startupGating_livenessAndReadinessWaitStartupStopsOnceStarted() {
        var liveness = machine(.liveness, ProbeSettings())
        var readiness = machine(.readiness, ProbeSettings())
        var startup = machine(.startup, ProbeSettings(periodSeconds: 2))
        #expect(liveness.decide(now: at(0), containerStarted: false) == .idle)
        #expect(readiness.decide(now: at(0), containerStarted: false) == .idle)
        #expect(startup.decide(now: at(0), containerStarted: false) == .probe(timeout: .seconds(1)))
        #expect(startup.record(.success(output: "")) == [.statusChanged(.success)])
        #expect(startup.decide(now: at(2), containerStarted: true) == .idle)
        #expect(liveness.decide(now: at(2), containerStarted: true) == .probe(timeout: .seconds(1)))
        #expect(readiness.decide(now: at(2), containerStarted: true) == .probe(timeout: .seconds(1)))
    }

    @Test func newContainerInstance_startsFromTheInitialState() {
        var failed = machine(.liveness, ProbeSettings(failureThreshold: 1))
        _ = failed.decide(now: at(0), containerStarted: true)
        _ = failed.record(.failure("x"))
        #expect(failed.isOnHold)
        // The restarted container gets a new machine (what ProbeManager does for a new container ID).
        var restarted = ProbeStateMachine(kind: .liveness, settings: failed.settings, containerStartedAt: at(30))
        #expect(restarted.status == .success)
        #expect(restarted.decide(now: at(30), containerStarted: true) == .probe(timeout: .seconds(1)))
    }

    @Test func podTerminating_stopsLivenessAndStartupWithSuccessButNotReadiness() {
        var liveness = machine(.liveness, ProbeSettings(failureThreshold: 1))
        _ = liveness.decide(now: at(0), containerStarted: true)
        _ = liveness.record(.failure("x"))
        #expect(liveness.podTerminating() == [.statusChanged(.success)])
        #expect(liveness.decide(now: at(50), containerStarted: true) == .idle)

        var startup = machine(.startup, ProbeSettings())
        #expect(startup.podTerminating() == [.statusChanged(.success)])
        #expect(startup.isFinished)

        var readiness = machine(.readiness, ProbeSettings())
        #expect(readiness.podTerminating() == [])
        #expect(readiness.decide(now: at(0), containerStarted: true) == .probe(timeout: .seconds(1)))
    }

    @Test func resultAfterTermination_isDropped() {
        var liveness = machine(.liveness, ProbeSettings(failureThreshold: 1))
        _ = liveness.decide(now: at(0), containerStarted: true)
        _ = liveness.podTerminating()
        #expect(liveness.record(.failure("late")) == [])
        #expect(liveness.status == .success)
    }

    @Test func killMessage_matchesUpstream() {
        #expect(ProbeKind.liveness.killMessage(containerName: "web", willRestart: true)
            == "Container web failed liveness probe, will be restarted")
        #expect(ProbeKind.startup.killMessage(containerName: "web", willRestart: false)
            == "Container web failed startup probe")
    }
}
