public import KubeStorage
public import Logging
import KubeCore
import Synchronization

/// Serves lists and watches from memory, like the Kubernetes API server's cacher: one store watch over
/// `/registry/` feeds, per stored resource, the current objects (stored bytes plus what selection needs)
/// and a ring of recent events. Writes never go through the cache.
///
/// Concurrency contract: thread-safe. All state sits behind one `Mutex`; the feed (`run()`, one task)
/// parses values before taking the lock and holds it only to swap entries and queue events for watchers;
/// readers hold it only to copy references to matching entries (shared byte arrays, no copies of bytes, no
/// JSON work). Nothing suspends or blocks while holding the lock. Watchers have bounded queues filled
/// without blocking; a watcher that falls behind is ended. Until the first list has loaded (and again
/// while relisting after `.compacted` or `.watcherTooSlow`) the cache reports itself not ready and callers
/// use the store.
public final class WatchCache: Sendable {
    struct State {
        var resources: [String: ResourceCacheState] = [:]
        /// The last revision the feed has fully applied.
        var revision: Revision = 0
        var ready = false
        var nextID: UInt64 = 1
        var waiters: [UInt64: (revision: Revision, continuation: CheckedContinuation<Bool, Never>)] = [:]
        var cancelledWaiters: Set<UInt64> = []
    }

    let store: any KeyValueStore
    let configuration: WatchCacheConfiguration
    let logger: Logger
    /// Served resources by store key prefix (several versions of one resource share a prefix).
    private let layouts: [String: CachedResourceLayout]
    private let state = Mutex(State())
    /// Trees of objects the API server writes, taken instead of parsing the watched bytes.
    let hints = WrittenObjectHints()

    static let registryPrefix = "/registry/"

    public init(store: any KeyValueStore, catalog: ResourceCatalog, configuration: WatchCacheConfiguration = .init(),
                logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        var byPrefix: [String: CachedResourceLayout] = [:]
        for resource in catalog.resources where byPrefix[resource.keyPrefix] == nil {
            byPrefix[resource.keyPrefix] = CachedResourceLayout(resource)
        }
        layouts = byPrefix
    }

    // MARK: - Feed

    /// Lists, then applies the store's watch until the calling task is cancelled or the store closes;
    /// lists again after `.compacted`, `.watcherTooSlow` or any other feed failure.
    public func run() async {
        while !Task.isCancelled {
            do {
                let listed = try await relist()
                let stream = store.watch(.prefix(Self.registryPrefix), from: listed + 1, prevKV: false)
                for try await message in stream {
                    apply(message)
                }
                if !Task.isCancelled {
                    logger.info("Watch cache feed ended; the store closed")
                }
                break
            } catch is CancellationError {
                break
            } catch StorageError.unavailable {
                break
            } catch {
                logger.warning("Watch cache feed failed; listing again", metadata: ["error": "\(error)"])
                reset()
                try? await Task.sleep(for: configuration.retryDelay)
            }
        }
        reset()
    }

    /// Reads everything under `/registry/` at one pinned revision and replaces the state.
    private func relist() async throws -> Revision {
        var fresh: [String: ResourceCacheState] = [:]
        var range = KeyRange.prefix(Self.registryPrefix)
        var pinned: Revision?
        while true {
            let page = try await store.range(range, at: pinned, limit: configuration.listPageSize, keysOnly: false)
            let revision = pinned ?? page.revision
            pinned = revision
            for kv in page.kvs {
                guard let prefix = Self.resourcePrefix(of: kv.key), let layout = layouts[prefix] else { continue }
                if fresh[prefix] == nil {
                    fresh[prefix] = ResourceCacheState(
                        layout: layout, ringCapacity: configuration.eventRingCapacity, revision: revision)
                }
                if let entry = layout.entry(value: kv.value, modRevision: kv.modRevision) {
                    fresh[prefix]!.load(key: kv.key, entry)
                }
            }
            guard page.more, let last = page.kvs.last else { break }
            range = range.continuing(after: last.key)
        }
        let revision = pinned ?? 0
        for prefix in fresh.keys { fresh[prefix]!.sortKeys() }
        let (watchers, waiters) = state.withLock { s in
            let watchers = s.resources.values.flatMap { $0.watchers.values }
            s.resources = fresh
            s.revision = revision
            s.ready = true
            return (watchers, Self.takeFreshWaiters(&s))
        }
        for watcher in watchers { watcher.finish() }
        for waiter in waiters { waiter.resume(returning: true) }
        logger.debug("Watch cache listed", metadata: ["revision": "\(revision)", "resources": "\(fresh.count)"])
        return revision
    }

    /// Marks the cache not ready and ends every watcher (they may have missed events).
    private func reset() {
        let watchers = state.withLock { s in
            s.ready = false
            return s.resources.values.flatMap { $0.watchers.values }
        }
        for watcher in watchers { watcher.finish() }
    }

    /// Applies one message of the feed.
    func apply(_ message: StoreWatchMessage) {
        switch message {
        case .events(let events):
            // Parse outside the lock.
            var parsed: [(prefix: String, key: String, revision: Revision, object: CachedObject?)] = []
            parsed.reserveCapacity(events.count)
            for event in events {
                guard let prefix = Self.resourcePrefix(of: event.kv.key), let layout = layouts[prefix] else { continue }
                var object: CachedObject?
                if event.kind == .put {
                    object = layout.entry(value: event.kv.value, modRevision: event.kv.modRevision,
                                          parsed: hints.take(key: event.kv.key, bytes: event.kv.value))
                    if object == nil {
                        logger.warning("Stored value is not a JSON object; cached as deleted",
                                       metadata: ["key": "\(event.kv.key)"])
                    }
                }
                parsed.append((prefix, event.kv.key, event.revision, object))
            }
            let last = events.last?.revision
            let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
                for change in parsed {
                    if s.resources[change.prefix] == nil {
                        s.resources[change.prefix] = ResourceCacheState(
                            layout: layouts[change.prefix]!,
                            ringCapacity: configuration.eventRingCapacity, revision: s.revision)
                    }
                    let event = s.resources[change.prefix]!.apply(
                        key: change.key, revision: change.revision, object: change.object)
                    Self.offer(.event(event), key: change.key, to: &s.resources[change.prefix]!)
                }
                if let last { s.revision = max(s.revision, last) }
                return Self.takeFreshWaiters(&s)
            }
            for waiter in waiters { waiter.resume(returning: true) }
        case .progress(let revision):
            let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
                s.revision = max(s.revision, revision)
                for prefix in Array(s.resources.keys) {
                    Self.offer(.progress(s.revision), key: nil, to: &s.resources[prefix]!)
                }
                return Self.takeFreshWaiters(&s)
            }
            for waiter in waiters { waiter.resume(returning: true) }
        }
    }

    private static func offer(_ message: CacheWatchMessage, key: String?, to resource: inout ResourceCacheState) {
        var gone: [UInt64] = []
        for (id, watcher) in resource.watchers where key.map(watcher.wants) ?? true {
            if !watcher.offer(message) { gone.append(id) }
        }
        for id in gone { resource.watchers.removeValue(forKey: id) }
    }

    private static func takeFreshWaiters(_ s: inout State) -> [CheckedContinuation<Bool, Never>] {
        guard s.ready, !s.waiters.isEmpty else { return [] }
        var ready: [CheckedContinuation<Bool, Never>] = []
        for (id, waiter) in s.waiters where waiter.revision <= s.revision {
            ready.append(waiter.continuation)
            s.waiters.removeValue(forKey: id)
        }
        return ready
    }

    /// `/registry/<group>/<plural>/` of a key, or nil for keys outside that layout.
    static func resourcePrefix(of key: String) -> String? {
        guard key.hasPrefix(registryPrefix) else { return nil }
        var slashes = 0
        var index = key.utf8.startIndex
        for position in key.utf8.indices where key.utf8[position] == UInt8(ascii: "/") {
            slashes += 1
            if slashes == 4 {
                index = position
                return String(key[...index])
            }
        }
        return nil
    }

    // MARK: - Freshness

    /// The revision the cache has applied, or nil while it is not ready.
    var readyRevision: Revision? {
        state.withLock { $0.ready ? $0.revision : nil }
    }

    /// Waits until the cache is ready and has applied `revision`, asking the store for a progress
    /// notification when it is behind (upstream's consistent reads from cache). False on timeout or
    /// cancellation.
    func waitUntilFresh(_ revision: Revision) async -> Bool {
        if let current = readyRevision, current >= revision { return true }
        try? await store.requestProgress()
        let timeout = configuration.freshnessTimeout
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForRevision(revision) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func waitForRevision(_ revision: Revision) async -> Bool {
        let id = state.withLock { s -> UInt64 in
            defer { s.nextID += 1 }
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate = state.withLock { s -> Bool? in
                    if s.cancelledWaiters.remove(id) != nil { return false }
                    if s.ready, s.revision >= revision { return true }
                    s.waiters[id] = (revision, continuation)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<Bool, Never>? in
                if let waiter = s.waiters.removeValue(forKey: id) { return waiter.continuation }
                s.cancelledWaiters.insert(id)
                return nil
            }
            waiter?.resume(returning: false)
        }
    }

    // MARK: - Reads

    /// Matching objects of one list, in key order, with the cache revision they are consistent with.
    struct ListSnapshot: Sendable {
        var items: [CachedObject]
        var revision: Revision
        /// With a limit: the key of the last item when more keys follow, and how many follow.
        var more: (lastKey: String, remaining: Int)?
    }

    /// The cached entry of one object, when the cache is ready and holds it. Like an informer's, it may trail
    /// the store: callers that write use its revision for compare-and-swap.
    func object(_ resource: ServedResource, namespace: String?, name: String) -> CachedObject? {
        let key = resource.key(namespace: namespace, name: name)
        return state.withLock { s in
            guard s.ready else { return nil }
            return s.resources[resource.keyPrefix]?.objects[key]
        }
    }

    /// The objects of `resource` (in `namespace`) that `selection` matches, at most `limit` of them (0 = all),
    /// or nil when the cache is not ready or has not reached `minimumRevision`.
    func list(_ resource: ServedResource, namespace: String?, selection: ListSelection,
              minimumRevision: Revision = 0, limit: Int = 0) -> ListSnapshot? {
        let prefix = resource.keyPrefix(namespace: namespace)
        return state.withLock { s -> ListSnapshot? in
            guard s.ready, s.revision >= minimumRevision else { return nil }
            guard s.resources[resource.keyPrefix] != nil else { return ListSnapshot(items: [], revision: s.revision) }
            s.resources[resource.keyPrefix]!.sortKeys()
            var items: [CachedObject] = []
            let more = s.resources[resource.keyPrefix]!.forEach(withPrefix: prefix, matching: selection, limit: limit) {
                items.append($0)
            }
            return ListSnapshot(items: items, revision: s.revision, more: more)
        }
    }

    /// A watch registered with the cache: the objects to send as ADDED first (when started without a
    /// resourceVersion), the revision after which events are delivered, and the watcher to drain.
    struct WatchStart: Sendable {
        var initial: [CachedObject]
        var after: Revision
        var watcher: CacheWatcher
        /// Evaluates the selection on cached entries of this resource.
        var layout: CachedResourceLayout
    }

    /// Registers a watch of `resource` in `namespace`: from the current state (`after` nil: ADDED for every
    /// matching object, then changes), or for the events after revision `after`. Nil when the cache cannot
    /// serve it (not ready, or `after` older than the events it still holds); the caller then watches the
    /// store, which answers 410 when the revision is compacted.
    func watch(_ resource: ServedResource, namespace: String?, selection: ListSelection, after: Revision?)
        -> WatchStart?
    {
        let prefix = resource.keyPrefix(namespace: namespace)
        let resourcePrefix = resource.keyPrefix
        guard let layout = layouts[resourcePrefix] else { return nil }
        let capacity = configuration.watcherQueueCapacity
        let ringCapacity = configuration.eventRingCapacity
        return state.withLock { s -> WatchStart? in
            guard s.ready else { return nil }
            if s.resources[resourcePrefix] == nil {
                s.resources[resourcePrefix] = ResourceCacheState(
                    layout: layout, ringCapacity: ringCapacity, revision: s.revision)
            }
            let id = s.nextID
            s.nextID += 1
            var initial: [CachedObject] = []
            var replay: [CacheWatchMessage] = []
            let start: Revision
            if let after {
                guard after >= s.resources[resourcePrefix]!.oldestCovered else { return nil }
                start = after
                for event in s.resources[resourcePrefix]!.ring.events(after: after) where event.key.hasPrefix(prefix) {
                    replay.append(.event(event))
                }
            } else {
                start = s.revision
                s.resources[resourcePrefix]!.sortKeys()
                s.resources[resourcePrefix]!.forEach(withPrefix: prefix, matching: selection) { initial.append($0) }
            }
            let watcher = CacheWatcher(
                id: id, resourcePrefix: resourcePrefix, keyPrefix: prefix, capacity: capacity, replay: replay)
            s.resources[resourcePrefix]!.watchers[id] = watcher
            return WatchStart(initial: initial, after: start, watcher: watcher, layout: layout)
        }
    }

    /// Removes a watcher (its stream ended).
    func unregister(_ watcher: CacheWatcher) {
        watcher.finish()
        state.withLock { s in
            _ = s.resources[watcher.resourcePrefix]?.watchers.removeValue(forKey: watcher.id)
        }
    }

    /// Watchers currently registered (tests and diagnostics).
    var watcherCount: Int {
        state.withLock { s in s.resources.values.reduce(0) { $0 + $1.watchers.count } }
    }
}
