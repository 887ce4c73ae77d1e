import Synchronization

/// One client watch served by the watch cache: a bounded queue the cache's feed fills without ever
/// blocking, drained by the task that streams the watch to the client.
///
/// Thread-safe (a `Mutex` guards all state). `offer` never blocks: when the queue is full the watcher ends
/// (`overflowed`), so a client that cannot keep up never makes the server hold unbounded memory; the client
/// watches again from the last resourceVersion it saw. One task reads with `next()`.
final class CacheWatcher: Sendable {
    private struct State {
        var queue: [CacheWatchMessage] = []
        var waiter: CheckedContinuation<Void, Never>?
        var finished = false
        var overflowed = false
    }

    let id: UInt64
    /// The resource's key prefix (registration key in the cache).
    let resourcePrefix: String
    /// Only keys with this prefix are queued (a namespace, or the whole resource).
    let keyPrefix: String
    /// Live messages beyond the replayed ones that may wait in the queue.
    let capacity: Int
    private let state: Mutex<State>

    init(id: UInt64, resourcePrefix: String, keyPrefix: String, capacity: Int, replay: [CacheWatchMessage]) {
        self.id = id
        self.resourcePrefix = resourcePrefix
        self.keyPrefix = keyPrefix
        self.capacity = capacity + replay.count
        var initial = State()
        initial.queue = replay
        self.state = Mutex(initial)
    }

    /// Whether an event for `key` belongs to this watcher.
    func wants(key: String) -> Bool { key.hasPrefix(keyPrefix) }

    /// Queues `message`; false when the watcher has ended (now, because its queue was full, or before).
    @discardableResult
    func offer(_ message: CacheWatchMessage) -> Bool {
        let (waiter, open) = state.withLock { s -> (CheckedContinuation<Void, Never>?, Bool) in
            if s.finished { return (nil, false) }
            if s.queue.count >= capacity {
                s.finished = true
                s.overflowed = true
            } else {
                s.queue.append(message)
            }
            let w = s.waiter
            s.waiter = nil
            return (w, !s.finished)
        }
        waiter?.resume()
        return open
    }

    /// Ends the watcher; the reader still gets what is queued, then nil.
    func finish() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.finished = true
            let w = s.waiter
            s.waiter = nil
            return w
        }
        waiter?.resume()
    }

    /// Whether the watcher ended because its queue overflowed.
    var overflowed: Bool { state.withLock { $0.overflowed } }

    /// Every queued message (at least one), or nil once the watcher has ended and its queue is empty.
    /// Cancelling the calling task ends the watcher.
    func next() async -> [CacheWatchMessage]? {
        while true {
            enum Step { case messages([CacheWatchMessage]), end, wait }
            let step = state.withLock { s -> Step in
                if !s.queue.isEmpty {
                    // An overflowed watcher drops what is queued: the client re-watches from its last RV.
                    if s.overflowed { return .end }
                    defer { s.queue = [] }
                    return .messages(s.queue)
                }
                return s.finished ? .end : .wait
            }
            switch step {
            case .messages(let messages): return messages
            case .end: return nil
            case .wait:
                if Task.isCancelled {
                    finish()
                    continue
                }
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let resumeNow = state.withLock { s -> Bool in
                            if !s.queue.isEmpty || s.finished { return true }
                            s.waiter = c
                            return false
                        }
                        if resumeNow { c.resume() }
                    }
                } onCancel: {
                    self.finish()
                }
            }
        }
    }
}
