import NIOCore

/// Decides from the head of a connection's first request whether it asks for a WebSocket upgrade.
///
/// Stateless namespace; pure.
enum FirstRequestHead {
    enum Kind: Equatable, Sendable {
        /// More bytes are needed to see the end of the head.
        case incomplete
        /// `Upgrade: websocket` is among the headers.
        case webSocketUpgrade
        /// Anything else (including heads too large to inspect: the HTTP parser rejects those).
        case plain
    }

    /// Heads longer than this are not inspected.
    static let inspectionLimit = 64 * 1024

    static func classify(_ bytes: some Collection<UInt8>) -> Kind {
        let bytes = Array(bytes.prefix(inspectionLimit + 4))
        guard let end = headEnd(bytes) else {
            return bytes.count > inspectionLimit ? .plain : .incomplete
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        for line in head.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingSpaces.lowercased()
            let value = line[line.index(after: colon)...].lowercased()
            if name == "upgrade", value.contains("websocket") { return .webSocketUpgrade }
        }
        return .plain
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return text
    }
}

/// The first handler of a connection (after TLS): buffers bytes until the first request's head is complete,
/// asks `install` to build the rest of the pipeline for it (Hummingbird's HTTP/1 pipeline, or NIO's WebSocket
/// upgrade pipeline), replays the buffered bytes into it and removes itself.
///
/// Not Sendable: lives on its channel's event loop.
final class FirstRequestSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let install: (any Channel, FirstRequestHead.Kind) throws -> Void
    private let onFailure: (any Error) -> Void
    private var buffered: ByteBuffer?
    private var decided = false

    /// `install` runs once, on the event loop, before the buffered bytes are replayed; `onFailure` runs when the
    /// connection ends (or fails) before a decision.
    init(install: @escaping (any Channel, FirstRequestHead.Kind) throws -> Void,
         onFailure: @escaping (any Error) -> Void) {
        self.install = install
        self.onFailure = onFailure
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        if decided {
            context.fireChannelRead(data)
            return
        }
        if buffered == nil {
            buffered = chunk
        } else {
            buffered!.writeBuffer(&chunk)
        }
        let bytes = buffered!.readableBytesView
        let kind = FirstRequestHead.classify(bytes)
        if kind == .incomplete { return }
        decided = true
        do {
            try install(context.channel, kind)
        } catch {
            onFailure(error)
            context.close(promise: nil)
            return
        }
        if let replay = buffered {
            buffered = nil
            context.fireChannelRead(wrapInboundOut(replay))
        }
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !decided {
            decided = true
            onFailure(ChannelError.eof)
        }
        context.fireChannelInactive()
    }

    /// A server shutting down closes connections still waiting for their first request.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if !decided, event is ChannelShouldQuiesceEvent {
            decided = true
            onFailure(ChannelError.ioOnClosedChannel)
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !decided {
            decided = true
            onFailure(error)
            context.close(promise: nil)
            return
        }
        context.fireErrorCaught(error)
    }
}
