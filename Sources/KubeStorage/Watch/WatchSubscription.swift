import Foundation
import Synchronization

/// The live half of one watch: a bounded buffer that the writer fills without ever blocking, and one reader
/// that awaits it.
///
/// Thread-safe (a `Mutex` guards all state). `offer` never blocks; when the buffer is full the subscription
/// ends with `.watcherTooSlow` so a slow reader cannot stall the writer or lose events silently.
final class WatchSubscription: Sendable {
    private struct State {
        var buffer: [StoreWatchMessage] = []
        var head = 0
        var waiter: CheckedContinuation<Void, Never>?
        var terminal: (any Error)?
        var finished = false

        var count: Int { buffer.count - head }
    }

    let id: UInt64
    let range: KeyRange
    let prevKV: Bool
    let capacity: Int
    private let state = Mutex(State())

    init(id: UInt64, range: KeyRange, prevKV: Bool, capacity: Int) {
        self.id = id
        self.range = range
        self.prevKV = prevKV
        self.capacity = capacity
    }

    /// Queues `message` for the reader. Returns false when the subscription has ended (now or before).
    @discardableResult
    func offer(_ message: StoreWatchMessage) -> Bool {
        let waiter: CheckedContinuation<Void, Never>?
        let accepted: Bool
        (waiter, accepted) = state.withLock { s in
            if s.finished { return (nil, false) }
            if s.count >= capacity {
                s.finished = true
                s.terminal = StorageError.watcherTooSlow(bufferLimit: capacity)
            } else {
                s.buffer.append(message)
            }
            let w = s.waiter
            s.waiter = nil
            return (w, !s.finished)
        }
        waiter?.resume()
        return accepted
    }

    /// Ends the subscription; the reader gets the buffered messages, then `error` (or the end).
    func finish(throwing error: (any Error)? = nil) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if !s.finished {
                s.finished = true
                s.terminal = error
            }
            let w = s.waiter
            s.waiter = nil
            return w
        }
        waiter?.resume()
    }

    /// The next live message; nil at the end. Only one task may call this at a time.
    func next() async throws -> StoreWatchMessage? {
        while true {
            enum Step { case message(StoreWatchMessage), end((any Error)?), wait }
            let step = state.withLock { s -> Step in
                if s.count > 0 {
                    let m = s.buffer[s.head]
                    s.head += 1
                    if s.head > 1024 && s.head * 2 > s.buffer.count {
                        s.buffer.removeFirst(s.head)
                        s.head = 0
                    }
                    return .message(m)
                }
                if s.finished { return .end(s.terminal) }
                return .wait
            }
            switch step {
            case .message(let m):
                return m
            case .end(let error):
                if let error { throw error }
                return nil
            case .wait:
                if Task.isCancelled {
                    finish()
                    continue
                }
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let resumeNow = state.withLock { s -> Bool in
                            if s.count > 0 || s.finished { return true }
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
