import Hummingbird
import HummingbirdCore
import NIOCore
import NIOSSL
import KubeSecurity

/// Hummingbird's per-request context, keeping the connection's channel so the adapter can read the
/// verified client certificate from its TLS handler.
///
/// Sendable; one per request.
struct ServerRequestContext: Hummingbird.RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    /// Who the connection's client certificate names, nil without TLS or without a certificate. The TLS
    /// handshake already verified it against the client CA. Read from what `ClientIdentityRecorder` recorded
    /// at the handshake; asked of the TLS handler on the event loop only when nothing was recorded.
    func clientIdentity() async -> ClientIdentity? {
        let channel = self.channel
        if case .recorded(let identity)? = ConnectionIdentities.shared.entry(for: channel) { return identity }
        let der = try? await channel.eventLoop.submit { () -> [UInt8]? in
            guard let handler = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) else {
                return nil
            }
            return try handler.peerCertificate?.toDERBytes()
        }.get()
        guard let der = der ?? nil else { return nil }
        return ClientIdentityCache.shared.identity(certificateDER: der)
    }
}
