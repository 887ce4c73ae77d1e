import Synchronization

/// A queue of keys for reconcilers (upstream `workqueue.TypedRateLimitingInterface`): identical keys
/// collapse while waiting; a key being processed is never handed to a second worker — if it is added
/// meanwhile, it comes back once ``done(_:)`` is called; failures are retried with per-key exponential
/// backoff; delayed adds wait until their time (driven by ``runDelays()``).
///
/// Thread-safe (a mutex guards all state); Sendable.
public final class WorkQueue<Key: Hashable & Sendable>: Sendable {
    /// Per-key retry delays: `base * 2^failures`, capped at `maximum` (upstream's item exponential limiter).
    public struct Backoff: Sendable {
        public var base: Duration
        public var maximum: Duration

        public init(base: Duration = .milliseconds(5), maximum: Duration = .seconds(60)) {
            self.base = base
            self.maximum = maximum
        }

        func delay(afterFailures failures: Int) -> Duration {
            let exponent = min(failures, 30)
            let delay = base * (1 << exponent)
            return delay < maximum ? delay : maximum
        }
    }

    private struct State {
        var queue: [Key] = []
        var head = 0
        var dirty: Set<Key> = []
        var processing: Set<Key> = []
        var waiters: [CheckedContinuation<Key?, Never>] = []
        var delayed: [Key: ContinuousClock.Instant] = [:]
        var failures: [Key: Int] = [:]
        var shuttingDown = false

        var pendingCount: Int { queue.count - head }

        mutating func popFirst() -> Key? {
            guard head < queue.count else { return nil }
            let key = queue[head]
            head += 1
            if head > 1024, head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
            return key
        }
    }

    private let state = Mutex(State())
    private let backoff: Backoff

    public init(backoff: Backoff = Backoff()) {
        self.backoff = backoff
    }

    /// Queues `key` unless it is already waiting.
    public func add(_ key: Key) {
        let waiter: CheckedContinuation<Key?, Never>? = state.withLock { state in
            guard !state.shuttingDown, !state.dirty.contains(key) else { return nil }
            state.dirty.insert(key)
            if state.processing.contains(key) { return nil }
            if !state.waiters.isEmpty {
                state.dirty.remove(key)
                state.processing.insert(key)
                return state.waiters.removeFirst()
            }
            state.queue.append(key)
            return nil
        }
        waiter?.resume(returning: key)
    }

    /// Queues `key` once `delay` has passed (an earlier pending delayed add of the same key wins).
    public func add(_ key: Key, after delay: Duration) {
        guard delay > .zero else { return add(key) }
        let deadline = ContinuousClock.now + delay
        state.withLock { state in
            guard !state.shuttingDown else { return }
            if let existing = state.delayed[key], existing <= deadline { return }
            state.delayed[key] = deadline
        }
    }

    /// Queues `key` after its backoff delay and counts one more failure for it.
    public func addRateLimited(_ key: Key) {
        let failures = state.withLock { state in
            let failures = state.failures[key, default: 0]
            state.failures[key] = failures + 1
            return failures
        }
        add(key, after: backoff.delay(afterFailures: failures))
    }

    /// Clears `key`'s failure count (after a successful reconcile).
    public func forget(_ key: Key) {
        _ = state.withLock { $0.failures.removeValue(forKey: key) }
    }

    /// How often `key` failed since it was last forgotten.
    public func failures(of key: Key) -> Int {
        state.withLock { $0.failures[key, default: 0] }
    }

    /// The next key to process, waiting for one; nil once the queue shuts down.
    public func get() async -> Key? {
        await withCheckedContinuation { continuation in
            let immediate: Key?? = state.withLock { state in
                if state.shuttingDown { return .some(nil) }
                if let key = state.popFirst() {
                    state.dirty.remove(key)
                    state.processing.insert(key)
                    return .some(key)
                }
                state.waiters.append(continuation)
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Marks `key` processed; queues it again if it was added while being processed.
    public func done(_ key: Key) {
        let waiter: (CheckedContinuation<Key?, Never>, Key)? = state.withLock { state in
            state.processing.remove(key)
            guard state.dirty.contains(key), !state.shuttingDown else { return nil }
            if !state.waiters.isEmpty {
                state.dirty.remove(key)
                state.processing.insert(key)
                return (state.waiters.removeFirst(), key)
            }
            state.queue.append(key)
            return nil
        }
        waiter.map { $0.0.resume(returning: $0.1) }
    }

    /// Stops the queue: waiting and later ``get()`` calls return nil.
    public func shutDown() {
        let waiters = state.withLock { state in
            state.shuttingDown = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// Keys waiting to be handed out (not counting delayed ones).
    public var count: Int { state.withLock { $0.pendingCount } }

    /// Keys waiting for their delay to pass.
    public var delayedCount: Int { state.withLock { $0.delayed.count } }

    /// Moves delayed keys whose time has come into the queue; returns the earliest remaining deadline.
    @discardableResult
    public func promoteDueKeys(now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant? {
        let due: [Key] = state.withLock { state in
            let due = state.delayed.filter { $0.value <= now }.map(\.key)
            for key in due { state.delayed[key] = nil }
            return due
        }
        for key in due { add(key) }
        return state.withLock { $0.delayed.values.min() }
    }

    /// Promotes delayed keys when they are due, until the task is cancelled or the queue shuts down.
    /// A delayed add made during a wait is noticed within `tick`.
    public func runDelays(tick: Duration = .milliseconds(50)) async {
        while !Task.isCancelled, !state.withLock({ $0.shuttingDown }) {
            let now = ContinuousClock.now
            let next = promoteDueKeys(now: now)
            let wake = next.map { min($0, now + tick) } ?? now + tick
            do { try await Task.sleep(until: wake, clock: .continuous) } catch { return }
        }
    }
}
