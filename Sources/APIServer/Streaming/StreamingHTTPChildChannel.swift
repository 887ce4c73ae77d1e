import HummingbirdCore
import KubeSecurity
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOWebSocket
import Synchronization

/// Hummingbird's HTTP/1 child channel plus WebSocket upgrades for `pods/exec` and `pods/attach`.
///
/// A connection whose first request carries `Upgrade: websocket` gets NIO's upgradable HTTP pipeline: the
/// API handler checks the request (authentication, RBAC, pod, container, subprotocol) before the `101`, and a
/// refused upgrade is answered as plain HTTP with the handler's Status (kubectl then falls back to SPDY, which is
/// refused with a clear message). Every other connection is `base`'s, unchanged. (client-go dials a new
/// connection for every WebSocket, so an upgrade is always its connection's first request.)
///
/// Sendable; one value configures every accepted connection.
struct StreamingHTTPChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = StreamingConnection<Base.Value>

    let base: Base
    let handler: APIHandler

    /// The largest WebSocket message accepted from a client (stdin chunks, resize events).
    static var maxMessageBytes: Int { 1 << 20 }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let promise = channel.eventLoop.makePromise(of: StreamingRoute<Base.Value>.self)
            let sniffer = FirstRequestSniffer(
                install: { channel, kind in
                    switch kind {
                    case .webSocketUpgrade:
                        promise.completeWith(try installUpgradePipeline(channel).map { .upgrade($0) })
                    case .plain, .incomplete:
                        promise.completeWith(base.setup(channel: channel, logger: logger).map { .http($0) })
                    }
                },
                onFailure: { promise.fail($0) })
            try channel.pipeline.syncOperations.addHandler(sniffer)
            return StreamingConnection(channel: channel, route: promise.futureResult)
        }
    }

    func handle(value: Value, logger: Logger) async {
        let route: StreamingRoute<Base.Value>
        do {
            route = try await value.route.get()
        } catch {
            try? await value.channel.close()
            return
        }
        switch route {
        case .http(let baseValue):
            await base.handle(value: baseValue, logger: logger)
        case .upgrade(.upgraded(let webSocket, let prepared)):
            await ContainerStreamSession(prepared: prepared, logger: handler.logger).run(webSocket)
        case .upgrade(.refused(let http, let head)):
            await RefusedUpgradeResponder(handler: handler).answer(http, head: head)
        }
    }

    /// NIO's upgradable HTTP pipeline with one WebSocket upgrader whose decision is the API handler's.
    private func installUpgradePipeline(_ channel: any Channel) throws -> EventLoopFuture<UpgradeOutcome> {
        let handler = self.handler
        let accepted = PreparedStreamSlot()
        let captured = FirstRequestHeadCapture()
        let capturedOnLoop = NIOLoopBound(captured, eventLoop: channel.eventLoop)
        let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeOutcome>(
            maxFrameSize: Self.maxMessageBytes,
            shouldUpgrade: { channel, head in
                let request = RefusedUpgradeResponder.apiRequest(
                    head, body: [], clientIdentity: ConnectionIdentity.clientIdentity(onLoopOf: channel))
                let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
                promise.completeWithTask {
                    guard let prepared = await handler.prepareContainerStream(request) else { return nil }
                    accepted.store(prepared)
                    return HTTPHeaders([("Sec-WebSocket-Protocol", prepared.subprotocol.rawValue)])
                }
                return promise.futureResult
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    guard let prepared = accepted.take() else { throw ChannelError.inappropriateOperationForState }
                    try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1024,
                        maxAccumulatedFrameSize: Self.maxMessageBytes))
                    let webSocket = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                        wrappingChannelSynchronously: channel)
                    return UpgradeOutcome.upgraded(webSocket, prepared)
                }
            })
        let upgrades = NIOTypedHTTPServerUpgradeConfiguration<UpgradeOutcome>(
            upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in
                channel.eventLoop.makeCompletedFuture {
                    UpgradeOutcome.refused(
                        try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                            wrappingChannelSynchronously: channel),
                        head: capturedOnLoop.value.head)
                }
            })
        var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrades)
        configuration.enablePipelining = false
        let outcome = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
            configuration: configuration)
        let upgradeHandler = try channel.pipeline.syncOperations.handler(
            type: NIOTypedHTTPServerUpgradeHandler<UpgradeOutcome>.self)
        try channel.pipeline.syncOperations.addHandler(captured, position: .before(upgradeHandler))
        return outcome
    }
}

/// An accepted connection: its channel and, once the first request head has arrived, how it is served.
///
/// Sendable.
struct StreamingConnection<BaseValue: ServerChildChannelValue>: ServerChildChannelValue {
    let channel: any Channel
    let route: EventLoopFuture<StreamingRoute<BaseValue>>
}

/// How a connection is served.
///
/// Sendable.
enum StreamingRoute<BaseValue: ServerChildChannelValue>: Sendable {
    /// Ordinary HTTP/1 through Hummingbird.
    case http(BaseValue)
    /// A WebSocket upgrade request, upgraded or refused.
    case upgrade(UpgradeOutcome)
}

/// The result of a WebSocket upgrade request.
///
/// Sendable.
enum UpgradeOutcome: Sendable {
    case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, PreparedContainerStream)
    /// Not upgraded: answered as plain HTTP. `head` is the request's head (NIO's upgrade handler does not pass
    /// on the head of an upgrade request it refuses).
    case refused(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, head: HTTPRequestHead?)
}

/// Hands the accepted session from the upgrade decision to the pipeline set-up that follows it.
///
/// Thread-safe (a `Mutex`): written from the deciding task, read on the event loop.
final class PreparedStreamSlot: Sendable {
    private let slot = Mutex<PreparedContainerStream?>(nil)

    func store(_ prepared: PreparedContainerStream) {
        slot.withLock { $0 = prepared }
    }

    func take() -> PreparedContainerStream? {
        slot.withLock { value in
            defer { value = nil }
            return value
        }
    }
}

/// Notes the head of the first request on its way to NIO's upgrade handler, then leaves the pipeline.
///
/// Not Sendable: lives on its channel's event loop.
final class FirstRequestHeadCapture: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private(set) var head: HTTPRequestHead?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let requestHead) = unwrapInboundIn(data) {
            head = requestHead
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireChannelRead(data)
    }
}

/// Who the verified TLS client certificate of a connection names.
///
/// Stateless namespace.
enum ConnectionIdentity {
    /// Must run on the channel's event loop; nil without TLS or without a client certificate.
    static func clientIdentity(onLoopOf channel: any Channel) -> ClientIdentity? {
        guard let handler = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
              let der = try? handler.peerCertificate?.toDERBytes()
        else { return nil }
        return ClientIdentity(certificateDER: der)
    }

    /// From any task.
    static func clientIdentity(of channel: any Channel) async -> ClientIdentity? {
        let identity = try? await channel.eventLoop.submit { clientIdentity(onLoopOf: channel) }.get()
        return identity ?? nil
    }
}
