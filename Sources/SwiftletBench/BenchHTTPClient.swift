import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A minimal HTTP/1.1 keep-alive client over SwiftNIO for the API benchmark: one connection per session,
/// one request at a time, whole responses or a streamed body (watches).
///
/// Concurrency contract: `withSession` scopes one connection to the calling task; the session is a value
/// owned by that task and never shared. Connections use NIO's shared event loop group, so no blocking call
/// runs on Swift's cooperative pool.
enum BenchHTTPClient {
    /// Connects to `127.0.0.1:<endpoint.port>` over TLS, runs `body` with the session, then closes the connection.
    static func withSession<Result: Sendable>(
        endpoint: BenchEndpoint, _ body: (inout BenchHTTPSession) async throws -> Result
    ) async throws -> Result {
        let port = endpoint.port
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: endpoint.tls, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var session = BenchHTTPSession(port: port, iterator: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&session)
        }
    }
}

/// One open connection of `BenchHTTPClient`.
///
/// Concurrency contract: a value owned by one task; not Sendable.
struct BenchHTTPSession {
    /// A complete response.
    struct Response {
        var status: Int
        var body: ByteBuffer

        var text: String { String(buffer: body) }
    }

    let port: Int
    var iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

    /// Sends a request and reads its whole response.
    mutating func request(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> Response {
        let status = try await start(method, path, body: body)
        var collected = ByteBuffer()
        while var chunk = try await nextBodyChunk() { collected.writeBuffer(&chunk) }
        return Response(status: status, body: collected)
    }

    /// Sends a request and reads the response head; read the body with `nextBodyChunk()` until nil.
    mutating func start(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> Int {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
            try await outbound.write(contentsOf: [
                .head(head), .body(.byteBuffer(ByteBuffer(bytes: body))), .end(nil),
            ])
        } else {
            try await outbound.write(contentsOf: [.head(head), .end(nil)])
        }
        while let part = try await iterator.next() {
            if case .head(let response) = part { return Int(response.status.code) }
        }
        throw APIBenchmarkError.http("connection closed before the response head (\(method) \(path))")
    }

    /// The next piece of the response body, or nil at its end.
    mutating func nextBodyChunk() async throws -> ByteBuffer? {
        while let part = try await iterator.next() {
            switch part {
            case .head: continue
            case .body(let chunk): return chunk
            case .end: return nil
            }
        }
        throw APIBenchmarkError.http("connection closed in the middle of a response body")
    }
}
