public import APIServer
public import KubeClient
public import KubeSecurity

/// Carries API requests of built-in components straight to the API server's handler, without sockets or
/// TLS, as the user `identity` names (authentication, RBAC, admission and validation apply as for any
/// HTTPS client — the handler is the same).
///
/// Value type; Sendable; thread-safe (the handler is).
public struct InProcessTransport: APITransport {
    public let handler: APIHandler
    public let identity: ClientIdentity

    public init(handler: APIHandler, identity: ClientIdentity) {
        self.handler = handler
        self.identity = identity
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let response = await handler.handle(apiRequest(request))
        if case .bytes(let bytes) = response.body { return TransportResponse(status: response.status, body: bytes) }
        let collected = ChunkCollector()
        try await response.body.byteChunks { chunk in await collected.append(chunk) }
        return TransportResponse(status: response.status, body: await collected.bytes)
    }

    public func stream(_ request: TransportRequest) async throws -> TransportStream {
        let response = await handler.handle(apiRequest(request))
        if case .bytes(let bytes) = response.body {
            let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            continuation.yield(bytes)
            continuation.finish()
            return TransportStream(status: response.status, chunks: chunks)
        }
        let produce = response.body.byteChunks
        let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream(bufferingPolicy: .unbounded)
        // The producer lives as long as the consumer iterates; ending the iteration cancels it.
        let producer = Task {
            do {
                try await produce { chunk in continuation.yield(chunk) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in producer.cancel() }
        return TransportStream(status: response.status, chunks: chunks)
    }

    private func apiRequest(_ request: TransportRequest) -> APIRequest {
        var apiRequest = APIRequest(method: request.method, path: request.path, query: request.query,
                                    headers: request.headers, body: request.body)
        apiRequest.clientIdentity = identity
        return apiRequest
    }
}

/// Gathers the chunks of a streamed response that the caller wants whole.
///
/// Actor-isolated.
private actor ChunkCollector {
    var bytes: [UInt8] = []

    func append(_ chunk: [UInt8]) {
        bytes += chunk
    }
}
