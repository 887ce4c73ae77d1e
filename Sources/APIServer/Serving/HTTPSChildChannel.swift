import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// Wraps Hummingbird's HTTP/1 child channel in TLS, with one addition over `HummingbirdTLS`: a client that
/// speaks plain HTTP to the HTTPS port gets the answer Go's server gives (`400 Client sent an HTTP request to
/// an HTTPS server.`) instead of a dropped connection. Each connection's client identity is recorded at the
/// end of its handshake (`ClientIdentityRecorder`).
///
/// Sendable; one value configures every accepted connection.
struct HTTPSChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let sslContext: NIOSSLContext

    init(_ base: Base, tls: ServingTLS) throws {
        self.init(base, sslContext: try NIOSSLContext(configuration: tls.configuration()))
    }

    init(_ base: Base, sslContext: NIOSSLContext) {
        self.base = base
        self.sslContext = sslContext
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(PlainHTTPRejector())
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
            try channel.pipeline.syncOperations.addHandler(ClientIdentityRecorder())
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPSChildChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}

/// Looks at the first byte of a connection: a TLS handshake record (0x16) passes through and the handler
/// removes itself; anything else is answered with Go's plain-HTTP-to-HTTPS 400 and closed.
///
/// Not Sendable: lives on its channel's event loop.
final class PlainHTTPRejector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let response = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        if first == 0x16 {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
            return
        }
        let reply = context.channel.allocator.buffer(string: Self.response)
        context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in context.close(promise: nil) }
    }

    typealias OutboundOut = ByteBuffer
}
