import Synchronization

/// The bounded hand-over between a streaming response's producer (a watch) and the task writing to the
/// client: `push` waits while `byteLimit` bytes are queued, so a client that reads slowly slows its
/// producer down instead of making the server buffer without bound.
///
/// Thread-safe (a `Mutex`); one producer task and one consumer task. Cancelling either side, or
/// `finish()`, ends the queue: later pushes are dropped and `next()` returns what is left, then nil.
final class StreamChunkQueue: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var bytes = 0
        var finished = false
        var consumer: CheckedContinuation<Void, Never>?
        var producer: CheckedContinuation<Void, Never>?
    }

    let byteLimit: Int
    private let state = Mutex(State())

    init(byteLimit: Int) {
        self.byteLimit = byteLimit
    }

    /// Queues `chunk`, first waiting while the queue is over its limit.
    func push(_ chunk: [UInt8]) async {
        await withTaskCancellationHandler {
            while true {
                let full = state.withLock { s -> Bool in
                    s.finished ? false : s.bytes >= byteLimit
                }
                if !full { break }
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { s -> Bool in
                        if s.finished || s.bytes < byteLimit { return true }
                        s.producer = c
                        return false
                    }
                    if resumeNow { c.resume() }
                }
            }
            let consumer = state.withLock { s -> CheckedContinuation<Void, Never>? in
                guard !s.finished else { return nil }
                s.chunks.append(chunk)
                s.bytes += chunk.count
                defer { s.consumer = nil }
                return s.consumer
            }
            consumer?.resume()
        } onCancel: {
            finish()
        }
    }

    /// Bytes queued and whether a producer is waiting for room (diagnostics and tests).
    var status: (queuedBytes: Int, producerWaiting: Bool) {
        state.withLock { ($0.bytes, $0.producer != nil) }
    }

    /// Ends the queue (the producer is done, or the client is gone).
    func finish() {
        let (consumer, producer) = state.withLock { s in
            s.finished = true
            defer {
                s.consumer = nil
                s.producer = nil
            }
            return (s.consumer, s.producer)
        }
        consumer?.resume()
        producer?.resume()
    }

    /// The next chunk, or nil once the queue has ended and is empty.
    func next() async -> [UInt8]? {
        await withTaskCancellationHandler {
            while true {
                enum Step { case chunk([UInt8], CheckedContinuation<Void, Never>?), end, wait }
                let step = state.withLock { s -> Step in
                    if s.head < s.chunks.count {
                        let chunk = s.chunks[s.head]
                        s.head += 1
                        s.bytes -= chunk.count
                        if s.head == s.chunks.count {
                            s.chunks.removeAll(keepingCapacity: true)
                            s.head = 0
                        }
                        let producer = s.bytes < byteLimit ? s.producer : nil
                        if producer != nil { s.producer = nil }
                        return .chunk(chunk, producer)
                    }
                    return s.finished ? .end : .wait
                }
                switch step {
                case .chunk(let chunk, let producer):
                    producer?.resume()
                    return chunk
                case .end:
                    return nil
                case .wait:
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let resumeNow = state.withLock { s -> Bool in
                            if s.head < s.chunks.count || s.finished { return true }
                            s.consumer = c
                            return false
                        }
                        if resumeNow { c.resume() }
                    }
                }
            }
        } onCancel: {
            finish()
        }
    }
}
