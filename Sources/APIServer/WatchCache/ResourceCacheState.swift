import KubeCore
import KubeStorage

/// The cached state of one stored resource (one key prefix such as `/registry/core/pods/`): the current
/// objects, their keys in byte order, the ring of recent events, and the open watchers.
///
/// Value type; not thread-safe on its own: `WatchCache` owns every instance and mutates it under its lock.
struct ResourceCacheState: Sendable {
    let layout: CachedResourceLayout

    private(set) var objects: [String: CachedObject] = [:]
    /// Keys in byte order; may still hold deleted keys until the next `sortKeys()`.
    private var sortedKeys: [String] = []
    /// Keys added since the last sort.
    private var addedKeys: [String] = []
    private var removedSinceSort = 0
    private(set) var ring: EventRing
    /// The ring holds every event of this resource with a revision above this one.
    private(set) var oldestCovered: Revision
    var watchers: [UInt64: CacheWatcher] = [:]

    init(layout: CachedResourceLayout, ringCapacity: Int, revision: Revision) {
        self.layout = layout
        ring = EventRing(capacity: ringCapacity)
        oldestCovered = revision
    }

    /// Loads one object of the initial list.
    mutating func load(key: String, _ object: CachedObject) {
        if objects.updateValue(object, forKey: key) == nil { addedKeys.append(key) }
    }

    /// Applies one change and records it in the ring; returns the event for the watchers.
    mutating func apply(key: String, revision: Revision, object: CachedObject?) -> CacheEvent {
        let previous: CachedObject?
        if let object {
            previous = objects.updateValue(object, forKey: key)
            if previous == nil { addedKeys.append(key) }
        } else {
            previous = objects.removeValue(forKey: key)
            if previous != nil { removedSinceSort += 1 }
        }
        // Without lists the pending keys would grow with churn (create/delete of the same names): merge them
        // once they outnumber the objects (amortised O(1) per change).
        if addedKeys.count > max(1024, objects.count) { sortKeys() }
        let event = CacheEvent(key: key, revision: revision, object: object, previous: previous)
        if let evicted = ring.append(event) { oldestCovered = evicted.revision }
        return event
    }

    /// Keys waiting to be merged into the sorted order (diagnostics and tests).
    var pendingKeyCount: Int { addedKeys.count }

    /// Brings `sortedKeys` up to date: merges the added keys, drops the deleted ones.
    mutating func sortKeys() {
        guard !addedKeys.isEmpty || removedSinceSort > 0 else { return }
        addedKeys.sort()
        var merged: [String] = []
        merged.reserveCapacity(objects.count)
        var i = 0
        var j = 0
        func take(_ key: String) {
            if objects[key] != nil, merged.last != key { merged.append(key) }
        }
        while i < sortedKeys.count || j < addedKeys.count {
            if j == addedKeys.count || (i < sortedKeys.count && sortedKeys[i] <= addedKeys[j]) {
                take(sortedKeys[i]); i += 1
            } else {
                take(addedKeys[j]); j += 1
            }
        }
        sortedKeys = merged
        addedKeys = []
        removedSinceSort = 0
    }

    /// Calls `body` for each object whose key starts with `prefix` and that `selection` matches, in byte
    /// order, stopping after `limit` matches (0 = no limit). Returns the key of the last object passed to
    /// `body` when it stopped early and keys with the prefix follow it, and how many keys follow it. Call
    /// `sortKeys()` first.
    @discardableResult
    func forEach(withPrefix prefix: String, matching selection: ListSelection, limit: Int = 0,
                 _ body: (CachedObject) -> Void) -> (lastKey: String, remaining: Int)? {
        var low = 0
        var high = sortedKeys.count
        while low < high {
            let middle = (low + high) / 2
            if sortedKeys[middle] < prefix { low = middle + 1 } else { high = middle }
        }
        var index = low
        var matched = 0
        while index < sortedKeys.count, sortedKeys[index].utf8.starts(with: prefix.utf8) {
            let key = sortedKeys[index]
            index += 1
            guard let object = objects[key], layout.matches(selection, key: key, object: object) else { continue }
            body(object)
            matched += 1
            if limit > 0, matched >= limit {
                var remaining = 0
                while index < sortedKeys.count, sortedKeys[index].utf8.starts(with: prefix.utf8) {
                    if objects[sortedKeys[index]] != nil { remaining += 1 }
                    index += 1
                }
                return remaining > 0 ? (key, remaining) : nil
            }
        }
        return nil
    }
}
