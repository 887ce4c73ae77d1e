import Synchronization

/// Wakes the scheduling loop when work may be available (a pod queued, a binding finished, a
/// deadline passed). A signal with no waiter is remembered once.
///
/// Thread-safe; Sendable. One waiter at a time.
final class WakeupSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next signal (or at once if one is pending), or when the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
    }

    /// Like ``wait()`` but also returns at `deadline`.
    func wait(until deadline: ContinuousClock.Instant?) async {
        guard let deadline else {
            await wait()
            return
        }
        await withDiscardingTaskGroup { group in
            group.addTask { [self] in
                try? await Task.sleep(until: deadline, clock: .continuous)
                if !Task.isCancelled { signal() }
            }
            await wait()
            group.cancelAll()
        }
    }
}
