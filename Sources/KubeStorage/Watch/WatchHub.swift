import Synchronization

/// Fans committed events out to open watches, and knows the last revision it published.
///
/// Thread-safe (a `Mutex`). The writer calls `publish` after each commit, in revision order; `register`
/// reads the published revision under the same lock, so a new watch replays history up to exactly that
/// revision and receives everything after it live: no seam, no duplicates.
final class WatchHub: Sendable {
    private struct State {
        var watchers: [UInt64: WatchSubscription] = [:]
        var nextID: UInt64 = 1
        var publishedRevision: Revision
        var closed = false
    }

    private let state: Mutex<State>
    let bufferCapacity: Int

    init(publishedRevision: Revision, bufferCapacity: Int) {
        self.state = Mutex(State(publishedRevision: publishedRevision))
        self.bufferCapacity = bufferCapacity
    }

    var publishedRevision: Revision { state.withLock { $0.publishedRevision } }

    /// Adds a watch. Returns the subscription and the revision published at that moment, or nil when the
    /// hub is closed.
    func register(range: KeyRange, prevKV: Bool) -> (WatchSubscription, Revision)? {
        state.withLock { s in
            if s.closed { return nil }
            let sub = WatchSubscription(id: s.nextID, range: range, prevKV: prevKV, capacity: bufferCapacity)
            s.nextID += 1
            s.watchers[sub.id] = sub
            return (sub, s.publishedRevision)
        }
    }

    func unregister(_ id: UInt64) {
        let sub = state.withLock { $0.watchers.removeValue(forKey: id) }
        sub?.finish()
    }

    /// Delivers the events of one commit (ascending revisions, the last one being `revision`).
    func publish(_ events: [StoreEvent], revision: Revision) {
        state.withLock { s in
            s.publishedRevision = max(s.publishedRevision, revision)
            guard !events.isEmpty else { return }
            var gone: [UInt64] = []
            for (id, sub) in s.watchers {
                var selected: [StoreEvent] = []
                for event in events where sub.range.contains(key: event.kv.key) {
                    var e = event
                    if !sub.prevKV { e.previous = nil }
                    selected.append(e)
                }
                if !selected.isEmpty, !sub.offer(.events(selected)) {
                    gone.append(id)
                }
            }
            for id in gone { s.watchers.removeValue(forKey: id) }
        }
    }

    /// Sends a progress notification at the published revision to every watch.
    func progress() {
        state.withLock { s in
            for sub in s.watchers.values { sub.offer(.progress(s.publishedRevision)) }
        }
    }

    /// Ends every watch with `error` (nil = a clean end) and refuses new ones.
    func close(throwing error: (any Error)?) {
        let subs = state.withLock { s -> [WatchSubscription] in
            s.closed = true
            defer { s.watchers.removeAll() }
            return Array(s.watchers.values)
        }
        for sub in subs { sub.finish(throwing: error) }
    }

    var watcherCount: Int { state.withLock { $0.watchers.count } }
}
