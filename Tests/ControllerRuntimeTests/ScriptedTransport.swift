import KubeClient
import Synchronization

/// A test transport: lists answer from a script, each watch hands its stream's continuation to the test.
///
/// Thread-safe.
final class ScriptedTransport: APITransport {
    struct OpenedWatch: Sendable {
        var query: String
        var continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    }

    private let listBodies: Mutex<[String]>
    let watches: AsyncStream<OpenedWatch>
    private let watchContinuation: AsyncStream<OpenedWatch>.Continuation

    init(lists: [String]) {
        listBodies = Mutex(lists)
        (watches, watchContinuation) = AsyncStream.makeStream()
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        let body = listBodies.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        guard let body else { return TransportResponse(status: 500, body: Array("no more lists".utf8)) }
        return TransportResponse(status: 200, body: Array(body.utf8))
    }

    func stream(_ request: TransportRequest) async throws -> TransportStream {
        let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        watchContinuation.yield(OpenedWatch(query: request.query ?? "", continuation: continuation))
        return TransportStream(status: 200, chunks: chunks)
    }
}
