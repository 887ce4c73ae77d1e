import KubeSecurity
import NIOCore
import NIOSSL
import NIOTLS
import Synchronization

/// The client identity of each open TLS connection, recorded once when its handshake completes, so a
/// request reads it without a hop to the connection's event loop.
///
/// Thread-safe (a `Mutex`). Entries are keyed by the channel's identity and removed when the channel's
/// pipeline goes away (before the channel can be freed and its identity reused).
final class ConnectionIdentities: Sendable {
    /// What was recorded for a connection: its client certificate's identity, or nil without a certificate.
    enum Entry: Sendable, Equatable {
        case recorded(ClientIdentity?)
    }

    private let entries = Mutex<[ObjectIdentifier: ClientIdentity?]>([:])

    func record(_ identity: ClientIdentity?, for channel: any Channel) {
        entries.withLock { $0[ObjectIdentifier(channel)] = .some(identity) }
    }

    func forget(_ channel: any Channel) {
        _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// The recorded entry, or nil when nothing was recorded for `channel` (yet).
    func entry(for channel: any Channel) -> Entry? {
        entries.withLock { $0[ObjectIdentifier(channel)] }.map { .recorded($0) }
    }

    /// Connections with an entry (tests).
    var count: Int { entries.withLock { $0.count } }

    /// The registry of the server's TLS connections.
    static let shared = ConnectionIdentities()
}

/// Sits after the TLS handler: when the handshake completes it records the verified client certificate's
/// identity in `ConnectionIdentities`, and forgets it when the connection's pipeline is torn down.
///
/// Not Sendable: lives on its channel's event loop.
final class ClientIdentityRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let registry: ConnectionIdentities
    let cache: ClientIdentityCache

    init(registry: ConnectionIdentities = .shared, cache: ClientIdentityCache = .shared) {
        self.registry = registry
        self.cache = cache
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
            let der = (try? handler?.peerCertificate?.toDERBytes()) ?? nil
            registry.record(der.flatMap { cache.identity(certificateDER: $0) }, for: context.channel)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        registry.forget(context.channel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        registry.forget(context.channel)
    }
}
