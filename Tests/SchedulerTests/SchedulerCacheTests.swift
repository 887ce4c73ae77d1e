import KubeAPI
import KubeCore
import Testing
@testable import Scheduler

/// The scheduler's state machine between informer events, scheduling cycles and binding results.
@Suite struct SchedulerCacheTests {
    let now = ContinuousClock.now

    func cache(nodes: [Node]) -> SchedulerCache {
        var cache = SchedulerCache(configuration: SchedulerConfiguration())
        for node in nodes { cache.nodeUpserted(old: nil, new: node, now: now) }
        return cache
    }

    @Test func schedulesAndAssumesBeforeBinding() {
        var cache = cache(nodes: [Fixture.node("a", cpu: "1")])
        var random = SeededRandom(seed: 1)
        cache.podUpserted(Fixture.pod("p1", cpu: "600m"), now: now)
        cache.podUpserted(Fixture.pod("p2", cpu: "600m"), now: now)
        guard case .bind(let pod, let key, let node)? = cache.scheduleNext(now: now, using: &random) else {
            Issue.record("expected a binding")
            return
        }
        #expect(pod.metadata.name == "p1")
        #expect(node == "a")
        #expect(cache.assumed[key] == "a")
        // The assumption already counts: the second pod no longer fits.
        guard case .unschedulable(_, _, let failure)? = cache.scheduleNext(now: now, using: &random) else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.message.hasPrefix("0/1 nodes are available: 1 Insufficient cpu."))
        let result1 = cache.scheduleNext(now: now, using: &random)
        #expect(result1 == nil)
    }

    @Test func failedBindingForgetsTheAssumptionAndBacksOff() {
        var cache = cache(nodes: [Fixture.node("a")])
        var random = SeededRandom(seed: 1)
        let pod = Fixture.pod("p", cpu: "1")
        cache.podUpserted(pod, now: now)
        guard case .bind(_, let key, _)? = cache.scheduleNext(now: now, using: &random) else {
            Issue.record("expected a binding")
            return
        }
        cache.bindingFailed(key: key, now: now)
        #expect(cache.snapshot.nodeInfo(named: "a")?.requested.milliCPU == 0)
        #expect(cache.queue.location(of: key) == .backoff)
        let result2 = cache.scheduleNext(now: now + .milliseconds(999), using: &random)
        #expect(result2 == nil)
        let result3 = cache.scheduleNext(now: now + .seconds(1), using: &random)
        #expect(result3 != nil)
    }

    @Test func informerConfirmationReplacesTheAssumption() {
        var cache = cache(nodes: [Fixture.node("a")])
        var random = SeededRandom(seed: 1)
        cache.podUpserted(Fixture.pod("p", cpu: "1"), now: now)
        guard case .bind(_, let key, _)? = cache.scheduleNext(now: now, using: &random) else {
            Issue.record("expected a binding")
            return
        }
        // A status update of the still-pending object arrives while binding: ignored.
        let result4 = cache.podUpserted(Fixture.pod("p", cpu: "1"), now: now)
        #expect(!result4)
        cache.bindingSucceeded(key: key)
        cache.podUpserted(Fixture.pod("p", cpu: "1", nodeName: "a"), now: now)
        #expect(cache.assumed[key] == nil)
        #expect(cache.snapshot.nodeInfo(named: "a")?.pods.count == 1)
        #expect(cache.queue.count == 0)
    }

    @Test func onlyThisSchedulersUngatedPodsAreQueued() {
        var cache = cache(nodes: [Fixture.node("a")])
        let result5 = cache.podUpserted(Fixture.pod("mine"), now: now)
        #expect(result5)
        let result6 = cache.podUpserted(Fixture.pod("named") { $0.spec.schedulerName = "default-scheduler" }, now: now)
        #expect(result6)
        let result7 = cache.podUpserted(Fixture.pod("other") { $0.spec.schedulerName = "custom" }, now: now)
        #expect(!result7)
        let result8 = cache.podUpserted(Fixture.pod("gated") { $0.spec.schedulingGates = [PodSchedulingGate(name: "wait")] }, now: now)
        #expect(!result8)
        #expect(cache.queue.count == 2)
    }

    @Test func clusterChangesRequeueUnschedulablePods() {
        var cache = cache(nodes: [Fixture.node("a", cpu: "1")])
        var random = SeededRandom(seed: 1)
        cache.podUpserted(Fixture.pod("big", cpu: "2"), now: now)
        _ = cache.scheduleNext(now: now, using: &random)
        let key = PodInfo(Fixture.pod("big")).snapshotKey
        #expect(cache.queue.location(of: key) == .unschedulable)
        // A label-only heartbeat-like update that changes nothing relevant does not move it.
        let result9 = cache.nodeUpserted(old: Fixture.node("a", cpu: "1"), new: Fixture.node("a", cpu: "1"), now: now + .seconds(5))
        #expect(!result9)
        #expect(cache.queue.location(of: key) == .unschedulable)
        let result10 = cache.nodeUpserted(old: nil, new: Fixture.node("b", cpu: "4"), now: now + .seconds(5))
        #expect(result10)
        #expect(cache.queue.location(of: key) == .active)
        guard case .bind(_, _, let node)? = cache.scheduleNext(now: now + .seconds(5), using: &random) else {
            Issue.record("expected a binding")
            return
        }
        #expect(node == "b")
    }

    @Test func deletingAnAssignedPodRequeuesUnschedulablePods() {
        let running = Fixture.pod("running", cpu: "1", nodeName: "a")
        var cache = cache(nodes: [Fixture.node("a", cpu: "1")])
        var random = SeededRandom(seed: 1)
        cache.podUpserted(running, now: now)
        cache.podUpserted(Fixture.pod("p", cpu: "1"), now: now)
        _ = cache.scheduleNext(now: now, using: &random)
        let result11 = cache.podDeleted(running, now: now + .seconds(2))
        #expect(result11)
        let result12 = cache.scheduleNext(now: now + .seconds(2), using: &random)
        #expect(result12?.isBinding == true)
    }

    @Test func terminalPodsLeaveTheSnapshot() {
        var cache = cache(nodes: [Fixture.node("a")])
        var done = Fixture.pod("job", cpu: "1", nodeName: "a")
        cache.podUpserted(done, now: now)
        done.status.phase = "Succeeded"
        cache.podUpserted(done, now: now)
        #expect(cache.snapshot.nodeInfo(named: "a")?.pods.isEmpty == true)
    }

    @Test func bindingBody() throws {
        let body = try BindingBody.encode(pod: Fixture.pod("p"), nodeName: "n1")
        let json = try JSONValueParser.parse(body)
        #expect(json["kind"] == .string("Binding"))
        #expect(json["target"]?["name"] == .string("n1"))
        #expect(json["metadata"]?["uid"] == .string("uid-default-p"))
    }
}

extension SchedulerCache.Step {
    var isBinding: Bool {
        if case .bind = self { return true }
        return false
    }
}
