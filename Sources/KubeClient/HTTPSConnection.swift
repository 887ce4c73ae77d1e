import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// One TLS connection to the API server carrying one ``HTTPSExchange`` at a time (HTTP/1.1 keep-alive).
///
/// Thread-safe. A worker task owns the channel (through `NIOAsyncChannel.executeThenClose`) and serves the
/// exchanges submitted to it in order; after a keep-alive response ends it hands the connection back through
/// `onIdle`. ``close()`` closes the channel from any thread; the worker then fails the current exchange and
/// exits. The worker lives exactly as long as the channel.
final class HTTPSConnection: Sendable {
    private let channel: any Channel
    private let exchanges: AsyncStream<HTTPSExchange>.Continuation
    private let closed: Mutex<Bool>

    private init(channel: any Channel, exchanges: AsyncStream<HTTPSExchange>.Continuation) {
        self.channel = channel
        self.exchanges = exchanges
        self.closed = Mutex(false)
    }

    /// Connects and starts the worker. `onIdle` is called (from the worker) after each reusable response.
    static func connect(
        configuration: HTTPSTransportConfiguration, tls: NIOSSLContext,
        onIdle: @escaping @Sendable (HTTPSConnection) -> Void
    ) async throws -> HTTPSConnection {
        let sniName = configuration.serverName ?? configuration.host
        // NIOSSL refuses IP addresses as SNI names; without one it verifies the peer's IP address instead.
        let serverHostname: String? = Self.isIPAddress(sniName) ? nil : sniName
        let asyncChannel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            asyncChannel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.nanoseconds(Int64(configuration.connectTimeout.components.seconds) * 1_000_000_000
                    + configuration.connectTimeout.components.attoseconds / 1_000_000_000))
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let tlsHandler = try NIOSSLClientHandler(context: tls, serverHostname: serverHostname)
                        try channel.pipeline.syncOperations.addHandler(tlsHandler)
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw HTTPSTransportError.connectionFailed(
                host: configuration.host, port: configuration.port, detail: "\(error)")
        }
        let (stream, continuation) = AsyncStream<HTTPSExchange>.makeStream()
        let connection = HTTPSConnection(channel: asyncChannel.channel, exchanges: continuation)
        let host = configuration.host, port = configuration.port
        let failure: @Sendable (String) -> HTTPSTransportError = { detail in
            .connectionFailed(host: host, port: port, detail: detail)
        }
        Task {
            await connection.serve(asyncChannel, exchanges: stream, onIdle: onIdle, failure: failure)
        }
        return connection
    }

    /// Whether the connection can take another exchange.
    var isUsable: Bool { !closed.withLock { $0 } && channel.isActive }

    /// Queues an exchange; fails it at once when the connection is already closed.
    func submit(_ exchange: HTTPSExchange) {
        let accepted = closed.withLock { closed -> Bool in
            guard !closed else { return false }
            exchanges.yield(exchange)
            return true
        }
        if !accepted { exchange.failed(HTTPSTransportError.connectionClosedBeforeResponse) }
    }

    /// Closes the connection; the exchange in flight fails.
    func close() {
        channel.close(promise: nil)
    }

    // MARK: Worker

    private func serve(
        _ asyncChannel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>,
        exchanges stream: AsyncStream<HTTPSExchange>,
        onIdle: @escaping @Sendable (HTTPSConnection) -> Void, failure: @escaping @Sendable (String) -> HTTPSTransportError
    ) async {
        var pending = stream.makeAsyncIterator()
        do {
            try await asyncChannel.executeThenClose { inbound, outbound in
                var responses = inbound.makeAsyncIterator()
                while let exchange = await pending.next() {
                    let reusable = try await Self.run(exchange, outbound: outbound, responses: &responses,
                                                      failure: failure)
                    guard reusable else { return }
                    onIdle(self)
                }
            }
        } catch {
            // The exchange in flight was failed by `run`; nothing else to report.
        }
        // No further exchanges: fail any queued after the channel went away.
        closed.withLock { closed in
            closed = true
            exchanges.finish()
        }
        while let exchange = await pending.next() {
            exchange.failed(failure("connection closed"))
        }
    }

    /// Writes the request and delivers the response; returns whether the connection may be reused.
    private static func run(
        _ exchange: HTTPSExchange, outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>,
        responses: inout NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
        failure: @Sendable (String) -> HTTPSTransportError
    ) async throws -> Bool {
        var keepAlive = false
        var sawHead = false
        do {
            var parts: [HTTPClientRequestPart] = [.head(exchange.requestHead)]
            if !exchange.requestBody.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(bytes: exchange.requestBody)))) }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)
            while let part = try await responses.next() {
                switch part {
                case .head(let head):
                    // Informational responses (100 Continue) precede the real one.
                    if head.status.code < 200 { continue }
                    sawHead = true
                    keepAlive = head.isKeepAlive
                    exchange.receivedHead(status: Int(head.status.code))
                case .body(let buffer):
                    if sawHead { exchange.receivedBody(buffer) }
                case .end:
                    guard sawHead else { continue }
                    exchange.finished()
                    return keepAlive
                }
            }
            exchange.failed(sawHead ? failure("connection closed in the middle of the response")
                                    : HTTPSTransportError.connectionClosedBeforeResponse)
            return false
        } catch {
            exchange.failed(failure("\(error)"))
            throw error
        }
    }

    private static func isIPAddress(_ name: String) -> Bool {
        (try? SocketAddress(ipAddress: name, port: 0)) != nil
    }
}
