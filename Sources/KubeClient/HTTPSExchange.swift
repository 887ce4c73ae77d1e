import NIOCore
import NIOHTTP1
import Synchronization

/// One request and its response on an ``HTTPSConnection``: the caller waits for the status, then reads the body
/// from ``chunks``; the connection's worker delivers both.
///
/// Thread-safe (a `Mutex` guards the one-shot status continuation and the error-body buffer); the worker is
/// the only producer, the caller the only consumer.
final class HTTPSExchange: Sendable {
    /// Whether the body is streamed as it arrives (a watch) or only collected (a plain request).
    let streaming: Bool
    let requestHead: HTTPRequestHead
    let requestBody: [UInt8]
    let chunks: AsyncThrowingStream<[UInt8], any Error>
    private let chunkSink: AsyncThrowingStream<[UInt8], any Error>.Continuation
    private let state: Mutex<State>

    private struct State {
        var statusWaiter: CheckedContinuation<Int, any Error>?
        var status: Int?
        var failure: (any Error)?
        /// The body of a non-2xx streamed response, yielded as one chunk at its end.
        var errorBody: [UInt8] = []
        var done = false
    }

    init(head: HTTPRequestHead, body: [UInt8], streaming: Bool) {
        requestHead = head
        requestBody = body
        self.streaming = streaming
        (chunks, chunkSink) = AsyncThrowingStream<[UInt8], any Error>.makeStream(bufferingPolicy: .unbounded)
        state = Mutex(State())
    }

    /// Installs the handler called when the consumer stops reading before the end (cancel or drop).
    func onAbandoned(_ action: @escaping @Sendable () -> Void) {
        chunkSink.onTermination = { termination in
            if case .cancelled = termination { action() }
        }
    }

    /// Waits for the response status (or the failure that came first).
    func status() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<Int, any Error>? = state.withLock { state in
                if let status = state.status { return .success(status) }
                if let failure = state.failure { return .failure(failure) }
                state.statusWaiter = continuation
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    // MARK: Worker side

    func receivedHead(status: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard state.status == nil, state.failure == nil else { return nil }
            state.status = status
            defer { state.statusWaiter = nil }
            return state.statusWaiter
        }
        waiter?.resume(returning: status)
    }

    func receivedBody(_ buffer: ByteBuffer) {
        let bytes = Array(buffer.readableBytesView)
        let holdBack = state.withLock { state -> Bool in
            guard streaming, let status = state.status, !(200..<300).contains(status) else { return false }
            state.errorBody += bytes
            return true
        }
        if !holdBack { chunkSink.yield(bytes) }
    }

    func finished() {
        let pending = state.withLock { state -> [UInt8]? in
            guard !state.done else { return nil }
            state.done = true
            return state.errorBody
        }
        guard let pending else { return }
        if !pending.isEmpty { chunkSink.yield(pending) }
        chunkSink.finish()
    }

    func failed(_ error: any Error) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>?? in
            guard !state.done else { return nil }
            state.done = true
            if state.status == nil { state.failure = error }
            defer { state.statusWaiter = nil }
            return .some(state.statusWaiter)
        }
        guard let waiter else { return }
        waiter?.resume(throwing: error)
        chunkSink.finish(throwing: error)
    }

    /// Whether a status arrived before the exchange failed (then a retry could repeat a processed request).
    var receivedStatus: Bool { state.withLock { $0.status != nil } }
}
