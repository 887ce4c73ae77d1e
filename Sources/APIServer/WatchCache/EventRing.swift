import KubeStorage

/// The most recent events of one resource, oldest first, in a fixed-capacity circular buffer.
///
/// Value type; not thread-safe on its own (the watch cache mutates it under its lock).
struct EventRing: Sendable {
    let capacity: Int
    private var storage: [CacheEvent?]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage = []
    }

    /// Appends `event`; returns the event pushed out when the ring was full.
    mutating func append(_ event: CacheEvent) -> CacheEvent? {
        if storage.count < capacity {
            storage.append(event)
            count += 1
            return nil
        }
        let evicted = storage[head]
        storage[head] = event
        head = (head + 1) % capacity
        return evicted
    }

    /// Events with a revision above `revision`, oldest first.
    func events(after revision: Revision) -> [CacheEvent] {
        var result: [CacheEvent] = []
        // Binary search over the logical order for the first event after `revision`.
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].revision <= revision { low = middle + 1 } else { high = middle }
        }
        if low < count { result.reserveCapacity(count - low) }
        for index in low..<count { result.append(self[index]) }
        return result
    }

    private subscript(logical: Int) -> CacheEvent {
        storage[(head + logical) % storage.count]!
    }
}
