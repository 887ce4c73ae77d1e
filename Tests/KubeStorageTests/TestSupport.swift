import Foundation
import KubeStorage
import Synchronization
import Testing

// MARK: - Timeouts

/// Thrown by `withTimeout` when the body did not finish in time.
struct TimeoutError: Error, CustomStringConvertible {
    var seconds: Double
    var what: String

    var description: String { "timed out after \(seconds) s waiting for \(what)" }
}

/// The default wait for something a store should do promptly (a watch event, a close). Generous, because
/// the suite runs on loaded two-core machines; it bounds failures, it is never a latency assertion.
let defaultTimeout: Double = 20

/// Runs `body`, failing with `TimeoutError` if it has not finished after `seconds`. The body is cancelled
/// on timeout (watch reads end their watch when cancelled).
func withTimeout<T: Sendable>(
    _ seconds: Double, _ what: String = "the operation",
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimeoutError(seconds: seconds, what: what)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimeoutError(seconds: seconds, what: what) }
        return first
    }
}

// MARK: - Values and errors

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The `StorageError` that `body` throws, or nil when it succeeds (any other error fails the test).
func storageError<T>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T,
    sourceLocation: SourceLocation = #_sourceLocation
) async -> StorageError? {
    do {
        _ = try await body()
        return nil
    } catch let error as StorageError {
        return error
    } catch {
        Issue.record("expected a StorageError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension StorageError {
    var isInvalidArgument: Bool {
        if case .invalidArgument = self { return true }
        return false
    }

    var isUnavailable: Bool {
        if case .unavailable = self { return true }
        return false
    }
}

/// The revision of a committed outcome; fails the test (and throws) on a conflict.
func committed(_ outcome: WriteOutcome, sourceLocation: SourceLocation = #_sourceLocation) throws -> Revision {
    try #require(outcome.committedRevision, "expected a commit, got \(outcome)", sourceLocation: sourceLocation)
}

/// Wall-clock seconds since 1970 (TTL deadlines are wall-clock).
func wallClock() -> Double { Date().timeIntervalSince1970 }

// MARK: - Watch reading

/// Reads one `WatchStream` from the test, one call at a time, every wait bounded by a timeout.
///
/// Keeps the stream (and so the watch) alive for as long as the reader exists.
final class WatchReader: @unchecked Sendable {
    // SAFETY: `iterator` is used by one read at a time: every method awaits its read before returning and
    // tests never call two methods of one reader concurrently.
    let stream: WatchStream
    private var iterator: WatchStream.Iterator

    init(_ stream: WatchStream) {
        self.stream = stream
        self.iterator = stream.makeAsyncIterator()
    }

    private func rawNext() async throws -> StoreWatchMessage? {
        try await iterator.next()
    }

    /// The next message (events or progress); nil when the stream ended cleanly.
    func next(timeout: Double = defaultTimeout) async throws -> StoreWatchMessage? {
        try await withTimeout(timeout, "the next watch message") { try await self.rawNext() }
    }

    /// The events of the next `.events` message, skipping progress messages.
    func nextEvents(timeout: Double = defaultTimeout) async throws -> [StoreEvent] {
        try await withTimeout(timeout, "the next watch events") {
            while true {
                guard let message = try await self.rawNext() else { throw WatchEnded() }
                if case .events(let events) = message { return events }
            }
        }
    }

    /// Events (skipping progress messages) until one satisfies `done`; returns all of them, that one last.
    func events(
        timeout: Double = defaultTimeout, _ what: String = "a matching watch event",
        until done: @escaping @Sendable (StoreEvent) -> Bool
    ) async throws -> [StoreEvent] {
        try await withTimeout(timeout, what) {
            var collected: [StoreEvent] = []
            while true {
                guard let message = try await self.rawNext() else { throw WatchEnded() }
                guard case .events(let events) = message else { continue }
                for event in events {
                    collected.append(event)
                    if done(event) { return collected }
                }
            }
        }
    }

    /// Events until (and including) the first one at or above `revision`.
    func events(through revision: Revision, timeout: Double = defaultTimeout) async throws -> [StoreEvent] {
        try await events(timeout: timeout, "watch events through revision \(revision)") {
            $0.revision >= revision
        }
    }

    /// Messages until the first `.progress`; returns the events before it and its revision.
    func eventsUntilProgress(timeout: Double = defaultTimeout) async throws -> (events: [StoreEvent], progress: Revision) {
        try await withTimeout(timeout, "a progress notification") {
            var collected: [StoreEvent] = []
            while true {
                guard let message = try await self.rawNext() else { throw WatchEnded() }
                switch message {
                case .events(let events): collected += events
                case .progress(let revision): return (collected, revision)
                }
            }
        }
    }

    /// Reads until the stream ends; returns the messages delivered and the error it ended with (nil for a
    /// clean end).
    func drain(timeout: Double = defaultTimeout) async throws -> (messages: [StoreWatchMessage], error: StorageError?) {
        try await withTimeout(timeout, "the end of the watch") {
            var messages: [StoreWatchMessage] = []
            do {
                while let message = try await self.rawNext() { messages.append(message) }
                return (messages, nil)
            } catch let error as StorageError {
                return (messages, error)
            }
        }
    }
}

/// A watch ended while the test still expected messages.
struct WatchEnded: Error, CustomStringConvertible {
    var description: String { "the watch ended before the expected message arrived" }
}

// MARK: - Concurrency helpers

/// A thread-safe record of committed writes: revision → (key, value).
final class WriteLog: Sendable {
    struct Entry: Sendable, Equatable {
        var key: String
        var value: [UInt8]
    }

    private let entries = Mutex<[Revision: Entry]>([:])

    /// Records one commit and returns how many commits are recorded now.
    @discardableResult
    func record(_ revision: Revision, key: String, value: [UInt8]) -> Int {
        entries.withLock {
            $0[revision] = Entry(key: key, value: value)
            return $0.count
        }
    }

    var snapshot: [Revision: Entry] { entries.withLock { $0 } }
    var count: Int { entries.withLock { $0.count } }
}

/// A one-shot signal a task can wait for (no polling, no sleeping).
///
/// Thread-safe (a `Mutex`).
final class Signal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func fire() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            if s.fired { return [] }
            s.fired = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the signal fired. Cancelling the waiting task fires it (a timed-out wait must not hang
    /// `withTimeout`, which waits for its body to end).
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let fired = state.withLock { s -> Bool in
                    if s.fired { return true }
                    s.waiters.append(continuation)
                    return false
                }
                if fired { continuation.resume() }
            }
        } onCancel: {
            fire()
        }
    }
}

/// A flag one task sets and others check.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// Revisions of `events`, in order.
func revisions(_ events: [StoreEvent]) -> [Revision] { events.map(\.revision) }

/// Whether `values` strictly increase.
func strictlyIncreasing(_ values: [Revision]) -> Bool {
    zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
}
