import Synchronization

/// A one-shot flag that tasks can wait for (an informer's "has synced").
///
/// Thread-safe; Sendable. Waiters cancelled before the flag is set return early.
public final class SyncSignal: Sendable {
    private struct State {
        var isSet = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    public var isSet: Bool { state.withLock { $0.isSet } }

    /// Sets the flag and wakes every waiter; later calls do nothing.
    public func set() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.isSet else { return [] }
            state.isSet = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the flag is set or the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.isSet || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
