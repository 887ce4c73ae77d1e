#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Kubelet
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// HTTPS for the kubelet's httpGet probes and lifecycle hooks, over NIOSSL: one TLS connection per exchange,
/// the server's certificate *not* verified (upstream's prober sets `InsecureSkipVerify`), SNI from the
/// request's host name when it is a name, TLS 1.2 or newer (Go's client default). Redirects and the status
/// verdict are the HTTP client's business (`HTTPProbeClient`); this type moves bytes.
///
/// Errors read like Go's: `dial tcp 10.0.0.5:443: connect: connection refused`, `dial tcp 10.0.0.5:443: i/o
/// timeout`, `context deadline exceeded`, `tls: first record does not look like a TLS handshake`.
///
/// Thread-safe (Sendable final class): the TLS context is immutable and shared; each exchange runs on its own
/// channel of the event loop group and its caller only awaits a future, so the cooperative pool never blocks;
/// cancelling the caller ends the exchange (`context canceled`) and closes its connection.
final class NIOSSLProbeTLSTransport: ProbeTLSTransport {
    private let context: NIOSSLContext
    private let group: any EventLoopGroup

    init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        configuration.minimumTLSVersion = .tlsv12
        context = try NIOSSLContext(configuration: configuration)
        self.group = group
    }

    func exchange(
        host: String, port: Int, serverName: String, request: [UInt8], maximumBytes: Int, timeout: Duration
    ) async throws(ProbeTLSTransportError) -> [UInt8] {
        let address = Self.joinHostPort(host, port)
        let eventLoop = group.next()
        let exchange = ProbeTLSExchange(promise: eventLoop.makePromise(), address: address)
        let timeAmount = TimeAmount.nanoseconds(max(1, Self.nanoseconds(timeout)))
        let deadlineTask = eventLoop.scheduleTask(in: timeAmount) { exchange.expire() }
        exchange.futureResult.whenComplete { _ in deadlineTask.cancel() }

        let context = self.context
        let sni = Self.serverNameIndication(serverName)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeAmount)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: context, serverHostname: sni))
                    try channel.pipeline.syncOperations.addHandler(
                        ProbeTLSResponseCollector(exchange: exchange, request: request, maximumBytes: maximumBytes))
                }
            }
        let connected: EventLoopFuture<any Channel>
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let literal = try? SocketAddress(ipAddress: bareHost, port: port) {
            connected = bootstrap.connect(to: literal)
        } else {
            connected = bootstrap.connect(host: bareHost, port: port)
        }
        connected.whenComplete { result in
            switch result {
            case .success(let channel): exchange.attach(channel)
            case .failure(let error): exchange.finish(.failure(Self.connectError(error, host: bareHost, address: address)))
            }
        }

        let result: Result<[UInt8], ProbeTLSTransportError>
        do {
            result = try await withTaskCancellationHandler {
                try await exchange.futureResult.get()
            } onCancel: {
                exchange.finish(.failure(ProbeTLSTransportError(message: "context canceled")))
            }
        } catch {
            result = .failure(ProbeTLSTransportError(message: "\(error)"))
        }
        return try result.get()
    }

    // MARK: Helpers

    /// Go's `net.JoinHostPort`.
    static func joinHostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The SNI name for `serverName` (a Host header value may carry a port): nil for IP addresses, as Go's
    /// TLS client sends none for them.
    static func serverNameIndication(_ serverName: String) -> String? {
        var name = serverName
        if name.hasPrefix("[") {
            return nil
        }
        if let colon = name.lastIndex(of: ":"), name.filter({ $0 == ":" }).count == 1 {
            name = String(name[..<colon])
        }
        if name.isEmpty || (try? SocketAddress(ipAddress: name, port: 0)) != nil { return nil }
        return name
    }

    private static func connectError(_ error: any Error, host: String, address: String) -> ProbeTLSTransportError {
        if case ChannelError.connectTimeout = error {
            return ProbeTLSTransportError(message: "dial tcp \(address): i/o timeout", timedOut: true)
        }
        var underlying: any Error = error
        if let connection = error as? NIOConnectionError {
            if connection.dnsAError != nil || connection.dnsAAAAError != nil {
                return ProbeTLSTransportError(message: "dial tcp: lookup \(host): no such host")
            }
            if let first = connection.connectionErrors.first { underlying = first.error }
        }
        if let io = underlying as? IOError {
            return ProbeTLSTransportError(message: "dial tcp \(address): connect: \(goErrnoText(io.errnoCode))")
        }
        if case ChannelError.connectTimeout = underlying {
            return ProbeTLSTransportError(message: "dial tcp \(address): i/o timeout", timedOut: true)
        }
        return ProbeTLSTransportError(message: "dial tcp \(address): \(underlying)")
    }

    /// Go's syscall error text: strerror with a lower-case first letter ("connection refused").
    static func goErrnoText(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return "errno \(code)" }
        return first.lowercased() + text.dropFirst()
    }

    /// Go's wording for a TLS failure where it has one.
    static func tlsErrorText(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") || text.contains("UNKNOWN_PROTOCOL") {
            return "tls: first record does not look like a TLS handshake"
        }
        if text.contains("ALERT_HANDSHAKE_FAILURE") { return "remote error: tls: handshake failure" }
        if text.contains("ALERT_PROTOCOL_VERSION") { return "remote error: tls: protocol version not supported" }
        return "tls: \(text)"
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// The state of one TLS exchange, shared by the deadline, the connect callback and the pipeline handler:
/// completes its promise once (the first outcome wins) and closes the channel then.
///
/// Thread-safe: a `Mutex` guards the state; the promise is Sendable.
private final class ProbeTLSExchange: Sendable {
    private struct State {
        var finished = false
        var channel: (any Channel)?
    }

    private let promise: EventLoopPromise<Result<[UInt8], ProbeTLSTransportError>>
    private let state = Mutex(State())
    let address: String

    init(promise: EventLoopPromise<Result<[UInt8], ProbeTLSTransportError>>, address: String) {
        self.promise = promise
        self.address = address
    }

    var futureResult: EventLoopFuture<Result<[UInt8], ProbeTLSTransportError>> { promise.futureResult }

    func attach(_ channel: any Channel) {
        let finished = state.withLock { state -> Bool in
            state.channel = channel
            return state.finished
        }
        if finished { channel.close(promise: nil) }
    }

    /// The deadline passed: `dial tcp …: i/o timeout` while connecting, Go's `context deadline exceeded`
    /// afterwards (the HTTP client adds `(Client.Timeout exceeded while awaiting headers)`).
    func expire() {
        let connected = state.withLock { $0.channel != nil }
        let message = connected ? "context deadline exceeded" : "dial tcp \(address): i/o timeout"
        finish(.failure(ProbeTLSTransportError(message: message, timedOut: true)))
    }

    func finish(_ result: Result<[UInt8], ProbeTLSTransportError>) {
        let (first, channel) = state.withLock { state -> (Bool, (any Channel)?) in
            defer { state.finished = true }
            return (!state.finished, state.channel)
        }
        guard first else { return }
        channel?.close(promise: nil)
        promise.succeed(result)
    }
}

/// Writes the request once the channel is active (NIOSSL holds it until the handshake is done) and collects
/// the response until the server closes the connection or `maximumBytes` arrived. An unclean TLS shutdown
/// (TCP closed without close_notify, common among HTTP servers) ends the response like a clean one.
///
/// Confined to its channel's event loop (a NIO channel handler).
private final class ProbeTLSResponseCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let exchange: ProbeTLSExchange
    private let request: [UInt8]
    private let maximumBytes: Int
    private var received: [UInt8] = []

    init(exchange: ProbeTLSExchange, request: [UInt8], maximumBytes: Int) {
        self.exchange = exchange
        self.request = request
        self.maximumBytes = maximumBytes
    }

    func channelActive(context: ChannelHandlerContext) {
        let buffer = context.channel.allocator.buffer(bytes: request)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        received.append(contentsOf: buffer.readableBytesView.prefix(maximumBytes - received.count))
        if received.count >= maximumBytes { exchange.finish(.success(received)) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        exchange.finish(.success(received))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let sslError = error as? NIOSSLError, case .uncleanShutdown = sslError {
            exchange.finish(.success(received))
        } else if error is NIOSSLError || error is BoringSSLError {
            exchange.finish(.failure(ProbeTLSTransportError(message: NIOSSLProbeTLSTransport.tlsErrorText(error))))
        } else if let io = error as? IOError, io.errnoCode == ECONNRESET {
            exchange.finish(received.isEmpty
                ? .failure(ProbeTLSTransportError(message: "read tcp \(exchange.address): read: connection reset by peer"))
                : .success(received))
        } else {
            exchange.finish(.failure(ProbeTLSTransportError(message: "\(error)")))
        }
        context.close(promise: nil)
    }
}
