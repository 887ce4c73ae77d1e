import ControllerRuntime
import Testing

@Suite struct WorkQueueTests {
    @Test func identicalKeysCollapseWhileWaiting() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.count == 2)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
        #expect(queue.count == 0)
    }

    @Test func keyAddedWhileProcessingComesBackAfterDone() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        let first = await queue.get()
        #expect(first == "a")
        queue.add("a")
        // Not handed out a second time while the first worker holds it.
        #expect(queue.count == 0)
        queue.done("a")
        #expect(queue.count == 1)
        #expect(await queue.get() == "a")
        queue.done("a")
        #expect(queue.count == 0)
    }

    @Test func waitingWorkerReceivesTheNextAdd() async {
        let queue = WorkQueue<Int>()
        async let received = queue.get()
        // The getter may or may not be waiting yet; either way it gets the key exactly once.
        queue.add(7)
        #expect(await received == 7)
        #expect(queue.count == 0)
    }

    @Test func delayedKeysWaitForTheirTime() {
        let queue = WorkQueue<String>()
        let start = ContinuousClock.now
        queue.add("later", after: .seconds(60))
        queue.add("sooner", after: .seconds(1))
        #expect(queue.count == 0)
        #expect(queue.delayedCount == 2)
        let next = queue.promoteDueKeys(now: start)
        #expect(queue.count == 0)
        #expect(next != nil)
        queue.promoteDueKeys(now: start + .seconds(2))
        #expect(queue.count == 1)
        #expect(queue.delayedCount == 1)
        queue.promoteDueKeys(now: start + .seconds(61))
        #expect(queue.count == 2)
        #expect(queue.delayedCount == 0)
    }

    @Test func earlierDelayedAddOfTheSameKeyWins() {
        let queue = WorkQueue<String>()
        let start = ContinuousClock.now
        queue.add("a", after: .seconds(30))
        queue.add("a", after: .seconds(1))
        queue.add("a", after: .seconds(50))
        queue.promoteDueKeys(now: start + .seconds(2))
        #expect(queue.count == 1)
        #expect(queue.delayedCount == 0)
    }

    @Test func failuresBackOffExponentiallyAndForgetResets() {
        let backoff = WorkQueue<String>.Backoff(base: .seconds(1), maximum: .seconds(5))
        let queue = WorkQueue<String>(backoff: backoff)
        let start = ContinuousClock.now
        queue.addRateLimited("a")  // 1 s
        #expect(queue.failures(of: "a") == 1)
        queue.promoteDueKeys(now: start + .milliseconds(500))
        #expect(queue.count == 0)
        queue.promoteDueKeys(now: start + .milliseconds(1500))
        #expect(queue.count == 1)
        queue.addRateLimited("b")
        queue.addRateLimited("b")
        queue.addRateLimited("b")
        queue.addRateLimited("b")  // 8 s capped to 5 s; the earliest (1 s) is pending anyway
        #expect(queue.failures(of: "b") == 4)
        queue.forget("b")
        #expect(queue.failures(of: "b") == 0)
    }

    @Test func shutDownReleasesWaitingWorkers() async {
        let queue = WorkQueue<String>()
        async let waiting = queue.get()
        queue.shutDown()
        #expect(await waiting == nil)
        queue.add("ignored")
        #expect(await queue.get() == nil)
    }
}
