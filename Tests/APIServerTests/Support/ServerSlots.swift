import Synchronization

/// Bounds how many `swiftlet server` children the test process runs at once. Swift Testing runs the
/// end-to-end suites in parallel; every server also runs its controllers and scheduler, and on two cores
/// twenty of them at once starve each other past kubectl's timeouts. A test waits for a slot before its
/// server starts and frees it when the server stops.
///
/// Thread-safe (a mutex guards the count and the waiters); Sendable.
final class ServerSlots: Sendable {
    static let shared = ServerSlots(limit: 4)

    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(limit: Int) {
        state = Mutex(State(available: limit))
    }

    /// Waits until a slot is free and takes it.
    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    /// Frees a slot, handing it to the longest waiter if there is one.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
