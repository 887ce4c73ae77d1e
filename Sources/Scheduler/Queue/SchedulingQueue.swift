/// The scheduler's queue of pending pods (upstream `PriorityQueue`), as a pure state machine with
/// time passed in:
/// - **activeQ**: pods ready to be tried, highest priority first, then earliest arrival;
/// - **backoffQ**: pods that failed, waiting out a per-pod exponential backoff (1s, 2s, ... 10s);
/// - **unschedulable pool**: pods that fit nowhere, waiting for a cluster change that may help
///   (``moveAllToActiveOrBackoff(now:)``) or at most ``Configuration/maxUnschedulableDuration``.
///
/// A popped pod is "in flight" until ``done(_:)``, ``requeueUnschedulable(_:now:)`` or
/// ``requeueAfterError(_:now:)``. Updates to an in-flight pod are kept and used when it is requeued.
/// Value type; Sendable; not synchronised (its owner serialises access).
public struct SchedulingQueue: Sendable {
    /// Timing of the queue. Value type; Sendable.
    public struct Configuration: Sendable, Equatable {
        public var initialBackoff: Duration = .seconds(1)
        public var maxBackoff: Duration = .seconds(10)
        public var maxUnschedulableDuration: Duration = .seconds(300)

        public init() {}
    }

    /// Where a pod is.
    public enum Location: Sendable, Equatable {
        case active, backoff, unschedulable, inFlight
    }

    /// A pod as the queue holds it. Value type; Sendable.
    public struct QueuedPod: Sendable {
        public let key: String
        public var info: PodInfo
        /// Scheduling attempts so far (incremented on every pop).
        public var attempts: Int
        /// When the pod was first queued (upstream `InitialAttemptTimestamp`).
        public let firstQueued: ContinuousClock.Instant
        /// When the pod last entered a queue or was last popped.
        var timestamp: ContinuousClock.Instant
        /// Arrival order, for FIFO among equal priorities.
        var sequence: UInt64
        /// The scheduling cycle in which the pod was last popped.
        var cycle: UInt64
    }

    private struct HeapEntry {
        let key: String
        let generation: UInt64
        let priority: Int32
        let sequence: UInt64
        let readyAt: ContinuousClock.Instant
    }

    public let configuration: Configuration
    private var pods: [String: QueuedPod] = [:]
    private var locations: [String: (location: Location, generation: UInt64)] = [:]
    private var active = BinaryHeap<HeapEntry> { lhs, rhs in
        lhs.priority != rhs.priority ? lhs.priority > rhs.priority : lhs.sequence < rhs.sequence
    }
    private var backoff = BinaryHeap<HeapEntry> { $0.readyAt < $1.readyAt }
    private var unschedulable: Set<String> = []
    private var nextSequence: UInt64 = 0
    private var nextGeneration: UInt64 = 0
    private var schedulingCycle: UInt64 = 0
    private var moveRequestCycle: UInt64 = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: Inspection

    public func location(of key: String) -> Location? { locations[key]?.location }
    public func pod(_ key: String) -> QueuedPod? { pods[key] }
    public var count: Int { pods.count }
    public var activeCount: Int { locations.values.count { $0.location == .active } }
    public var backoffCount: Int { locations.values.count { $0.location == .backoff } }
    public var unschedulableCount: Int { unschedulable.count }

    // MARK: Pod events

    /// A pending pod was added or changed. New pods go to activeQ; an update of a pod waiting in the
    /// unschedulable pool moves it (to backoffQ if still backing off), as an update may make it fit.
    public mutating func addOrUpdate(_ info: PodInfo, now: ContinuousClock.Instant) {
        let key = info.snapshotKey
        guard var existing = pods[key] else {
            let queued = QueuedPod(
                key: key, info: info, attempts: 0, firstQueued: now, timestamp: now, sequence: takeSequence(), cycle: 0
            )
            pods[key] = queued
            pushActive(queued)
            return
        }
        existing.info = info
        pods[key] = existing
        switch locations[key]?.location {
        case .unschedulable?:
            unschedulable.remove(key)
            moveOut(existing, now: now)
        case .active?:
            pushActive(existing)  // priority may have changed; the older heap entry goes stale
        default:
            break
        }
    }

    /// The pod was deleted, bound elsewhere or is no longer this scheduler's.
    public mutating func delete(_ key: String) {
        pods[key] = nil
        locations[key] = nil
        unschedulable.remove(key)
    }

    // MARK: Scheduling loop

    /// Moves due backoffQ pods and overdue unschedulable pods, then pops the next active pod.
    public mutating func pop(now: ContinuousClock.Instant) -> QueuedPod? {
        flush(now: now)
        while let entry = active.pop() {
            guard let location = locations[entry.key], location.location == .active,
                location.generation == entry.generation, var pod = pods[entry.key]
            else { continue }
            schedulingCycle += 1
            pod.attempts += 1
            pod.cycle = schedulingCycle
            pod.timestamp = now
            pods[entry.key] = pod
            locations[entry.key] = (.inFlight, takeGeneration())
            return pod
        }
        return nil
    }

    /// The pod was scheduled and bound: forget it.
    public mutating func done(_ key: String) {
        if locations[key]?.location == .inFlight { delete(key) }
    }

    /// The pod fit nowhere. It waits in the unschedulable pool — unless the cluster changed while it
    /// was being scheduled, in which case it retries after its backoff.
    public mutating func requeueUnschedulable(_ key: String, now: ContinuousClock.Instant) {
        guard var pod = pods[key], locations[key]?.location == .inFlight else { return }
        pod.timestamp = now
        pods[key] = pod
        if moveRequestCycle >= pod.cycle {
            pushBackoff(pod)
        } else {
            unschedulable.insert(key)
            locations[key] = (.unschedulable, takeGeneration())
        }
    }

    /// Scheduling or binding failed for another reason: retry after the backoff.
    public mutating func requeueAfterError(_ key: String, now: ContinuousClock.Instant) {
        guard var pod = pods[key], locations[key]?.location == .inFlight else { return }
        pod.timestamp = now
        pods[key] = pod
        pushBackoff(pod)
    }

    /// A cluster change that may make unschedulable pods fit (node added or changed, pod deleted):
    /// every unschedulable pod moves to activeQ, or to backoffQ while its backoff lasts.
    public mutating func moveAllToActiveOrBackoff(now: ContinuousClock.Instant) {
        moveRequestCycle = schedulingCycle
        let keys = unschedulable
        unschedulable.removeAll()
        for key in keys {
            if let pod = pods[key] { moveOut(pod, now: now) }
        }
    }

    /// Moves backoffQ pods whose backoff ended to activeQ, and pods unschedulable for longer than
    /// ``Configuration/maxUnschedulableDuration`` out of the pool.
    public mutating func flush(now: ContinuousClock.Instant) {
        while let entry = backoff.peek, entry.readyAt <= now {
            _ = backoff.pop()
            guard let location = locations[entry.key], location.location == .backoff,
                location.generation == entry.generation, let pod = pods[entry.key]
            else { continue }
            pushActive(pod)
        }
        if !unschedulable.isEmpty {
            let overdue = unschedulable.filter { key in
                guard let pod = pods[key] else { return true }
                return now - pod.timestamp >= configuration.maxUnschedulableDuration
            }
            for key in overdue {
                unschedulable.remove(key)
                if let pod = pods[key] { moveOut(pod, now: now) }
            }
        }
    }

    /// When ``flush(now:)`` next has something to do: the earliest backoff end or unschedulable timeout.
    public func nextDeadline() -> ContinuousClock.Instant? {
        var deadline = backoff.peek?.readyAt
        for key in unschedulable {
            guard let pod = pods[key] else { continue }
            let due = pod.timestamp + configuration.maxUnschedulableDuration
            if deadline.map({ due < $0 }) ?? true { deadline = due }
        }
        return deadline
    }

    /// Upstream `calculateBackoffDuration`: initial × 2^(attempts−1), capped at the maximum.
    public func backoffDuration(attempts: Int) -> Duration {
        var duration = configuration.initialBackoff
        var remaining = attempts - 1
        while remaining > 0 && duration < configuration.maxBackoff {
            duration = duration * 2
            remaining -= 1
        }
        return min(duration, configuration.maxBackoff)
    }

    // MARK: Internals

    private mutating func moveOut(_ pod: QueuedPod, now: ContinuousClock.Instant) {
        if pod.attempts > 0 && pod.timestamp + backoffDuration(attempts: pod.attempts) > now {
            pushBackoff(pod)
        } else {
            pushActive(pod)
        }
    }

    private mutating func pushActive(_ pod: QueuedPod) {
        let generation = takeGeneration()
        locations[pod.key] = (.active, generation)
        active.push(HeapEntry(
            key: pod.key, generation: generation, priority: pod.info.priority, sequence: pod.sequence, readyAt: pod.timestamp
        ))
    }

    private mutating func pushBackoff(_ pod: QueuedPod) {
        let generation = takeGeneration()
        locations[pod.key] = (.backoff, generation)
        let readyAt = pod.timestamp + backoffDuration(attempts: max(pod.attempts, 1))
        backoff.push(HeapEntry(key: pod.key, generation: generation, priority: pod.info.priority, sequence: pod.sequence, readyAt: readyAt))
    }

    private mutating func takeSequence() -> UInt64 {
        nextSequence += 1
        return nextSequence
    }

    private mutating func takeGeneration() -> UInt64 {
        nextGeneration += 1
        return nextGeneration
    }
}

/// A binary min-heap under `areInIncreasingOrder` (the "smallest" element is on top). Value type.
struct BinaryHeap<Element>: @unchecked Sendable {
    // SAFETY: only instantiated with Sendable elements and a pure, capture-free ordering closure.
    private var storage: [Element] = []
    private let areInIncreasingOrder: (Element, Element) -> Bool

    init(_ areInIncreasingOrder: @escaping (Element, Element) -> Bool) {
        self.areInIncreasingOrder = areInIncreasingOrder
    }

    var isEmpty: Bool { storage.isEmpty }
    var count: Int { storage.count }
    var peek: Element? { storage.first }

    mutating func push(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard areInIncreasingOrder(storage[child], storage[parent]) else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Element? {
        guard !storage.isEmpty else { return nil }
        storage.swapAt(0, storage.count - 1)
        let top = storage.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < storage.count && areInIncreasingOrder(storage[left], storage[smallest]) { smallest = left }
            if right < storage.count && areInIncreasingOrder(storage[right], storage[smallest]) { smallest = right }
            if smallest == parent { break }
            storage.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
