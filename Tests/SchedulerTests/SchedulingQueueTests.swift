import KubeAPI
import KubeCore
import Testing
@testable import Scheduler

/// The scheduling queue as a state machine: time is passed in, nothing sleeps.
@Suite struct SchedulingQueueTests {
    let start = ContinuousClock.now

    func info(_ name: String, priority: Int32? = nil) -> PodInfo { PodInfo(Fixture.pod(name, priority: priority)) }

    @Test func popsByPriorityThenArrival() {
        var queue = SchedulingQueue()
        queue.addOrUpdate(info("low-1"), now: start)
        queue.addOrUpdate(info("high", priority: 100), now: start)
        queue.addOrUpdate(info("low-2"), now: start)
        let order = (0..<3).compactMap { _ in queue.pop(now: start)?.info.name }
        #expect(order == ["high", "low-1", "low-2"])
        let result1 = queue.pop(now: start)
        #expect(result1 == nil)
    }

    @Test func unschedulablePodsWaitForAClusterChange() {
        var queue = SchedulingQueue()
        let pod = info("p")
        queue.addOrUpdate(pod, now: start)
        _ = queue.pop(now: start)
        queue.requeueUnschedulable(pod.snapshotKey, now: start)
        #expect(queue.location(of: pod.snapshotKey) == .unschedulable)
        let result2 = queue.pop(now: start + .seconds(60))
        #expect(result2 == nil)
        // A node appears 5s later: the 1s backoff is over, so the pod is active again.
        queue.moveAllToActiveOrBackoff(now: start + .seconds(5))
        #expect(queue.location(of: pod.snapshotKey) == .active)
        let result3 = queue.pop(now: start + .seconds(5))
        #expect(result3?.attempts == 2)
    }

    @Test func moveDuringBackoffGoesToBackoffQueue() {
        var queue = SchedulingQueue()
        let pod = info("p")
        queue.addOrUpdate(pod, now: start)
        _ = queue.pop(now: start)
        queue.requeueUnschedulable(pod.snapshotKey, now: start)
        queue.moveAllToActiveOrBackoff(now: start + .milliseconds(500))
        #expect(queue.location(of: pod.snapshotKey) == .backoff)
        let result4 = queue.pop(now: start + .milliseconds(900))
        #expect(result4 == nil)
        let result5 = queue.pop(now: start + .seconds(1))
        #expect(result5?.key == pod.snapshotKey)
    }

    @Test func aClusterChangeDuringTheCycleSkipsThePool() {
        var queue = SchedulingQueue()
        let pod = info("p")
        queue.addOrUpdate(pod, now: start)
        _ = queue.pop(now: start)
        queue.moveAllToActiveOrBackoff(now: start)  // e.g. a node was added while the pod was in flight
        queue.requeueUnschedulable(pod.snapshotKey, now: start)
        #expect(queue.location(of: pod.snapshotKey) == .backoff)
    }

    @Test func unschedulablePodsRetryAfterFiveMinutesAtMost() {
        var queue = SchedulingQueue()
        let pod = info("p")
        queue.addOrUpdate(pod, now: start)
        _ = queue.pop(now: start)
        queue.requeueUnschedulable(pod.snapshotKey, now: start)
        #expect(queue.nextDeadline() == start + .seconds(300))
        let result6 = queue.pop(now: start + .seconds(299))
        #expect(result6 == nil)
        let result7 = queue.pop(now: start + .seconds(300))
        #expect(result7?.key == pod.snapshotKey)
    }

    @Test(arguments: [(1, 1), (2, 2), (3, 4), (4, 8), (5, 10), (12, 10)])
    func backoffDoublesUpToTenSeconds(attempts: Int, seconds: Int) {
        #expect(SchedulingQueue().backoffDuration(attempts: attempts) == .seconds(seconds))
    }

    @Test func errorsBackOffPerPod() {
        var queue = SchedulingQueue()
        let pod = info("p")
        queue.addOrUpdate(pod, now: start)
        for attempt in 1...3 {
            let popped = queue.pop(now: start + .seconds(100 * attempt))
            #expect(popped?.attempts == attempt)
            queue.requeueAfterError(pod.snapshotKey, now: start + .seconds(100 * attempt))
        }
        // Third failure: 4s backoff.
        #expect(queue.nextDeadline() == start + .seconds(304))
        let result8 = queue.pop(now: start + .seconds(303))
        #expect(result8 == nil)
        let result9 = queue.pop(now: start + .seconds(304))
        #expect(result9 != nil)
    }

    @Test func updatesReachInFlightAndWaitingPods() {
        var queue = SchedulingQueue()
        let pod = info("p")
        queue.addOrUpdate(pod, now: start)
        _ = queue.pop(now: start)
        queue.addOrUpdate(PodInfo(Fixture.pod("p", cpu: "1")), now: start)
        #expect(queue.location(of: pod.snapshotKey) == .inFlight)
        #expect(queue.pod(pod.snapshotKey)?.info.requests.milliCPU == 1000)
        queue.requeueUnschedulable(pod.snapshotKey, now: start)
        // An update to an unschedulable pod may make it fit.
        queue.addOrUpdate(PodInfo(Fixture.pod("p", cpu: "500m")), now: start + .seconds(2))
        #expect(queue.location(of: pod.snapshotKey) == .active)
    }

    @Test func deletedAndDonePodsAreForgotten() {
        var queue = SchedulingQueue()
        queue.addOrUpdate(info("a"), now: start)
        queue.addOrUpdate(info("b"), now: start)
        queue.delete(info("a").snapshotKey)
        let popped = queue.pop(now: start)
        #expect(popped?.info.name == "b")
        queue.done(info("b").snapshotKey)
        #expect(queue.count == 0)
        let result10 = queue.pop(now: start)
        #expect(result10 == nil)
    }
}
