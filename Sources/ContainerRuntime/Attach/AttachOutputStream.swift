import Dispatch
import Synchronization

/// An attach session's output as an async sequence whose reader is held back while more than a budget of
/// bytes is delivered but not yet consumed. The node agent therefore stops reading the shim's socket when its
/// client is slow; the shim, which never lets a client block the container, then drops that client once it
/// is too far behind — instead of the agent buffering without bound.
///
/// Sendable; iterate from one task.
public struct AttachOutputStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let base: AsyncStream<[UInt8]>
    let budget: AttachOutputBudget

    /// Gives back each chunk's bytes to the budget as it is taken.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<[UInt8]>.Iterator
        let budget: AttachOutputBudget

        public mutating func next() async -> [UInt8]? {
            let chunk = await base.next()
            if let chunk { budget.consumed(chunk.count) }
            return chunk
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), budget: budget)
    }
}

/// The bytes delivered to an attach session's consumers and not yet consumed; the one reader thread waits
/// while they exceed `limit`.
///
/// Thread-safe (Sendable): state behind a mutex; the reader waits on a semaphore the consumer (or
/// `release`) signals once.
final class AttachOutputBudget: Sendable {
    private struct State {
        var outstanding = 0
        var readerWaiting = false
        var released = false
    }

    let limit: Int
    private let state = Mutex(State())
    private let space = DispatchSemaphore(value: 0)

    init(limit: Int = 1 << 20) {
        self.limit = limit
    }

    /// The reader delivered `count` bytes; blocks while over the limit (until consumed or released).
    func delivered(_ count: Int) {
        let mustWait = state.withLock { state in
            state.outstanding += count
            guard state.outstanding > limit, !state.released else { return false }
            state.readerWaiting = true
            return true
        }
        if mustWait { space.wait() }
    }

    func consumed(_ count: Int) {
        let wake = state.withLock { state in
            state.outstanding -= count
            guard state.readerWaiting, state.outstanding <= limit else { return false }
            state.readerWaiting = false
            return true
        }
        if wake { space.signal() }
    }

    /// Nobody consumes any more (detached, or the consumer went away): the reader never waits again.
    func release() {
        let wake = state.withLock { state in
            state.released = true
            defer { state.readerWaiting = false }
            return state.readerWaiting
        }
        if wake { space.signal() }
    }
}
