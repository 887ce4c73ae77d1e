import KubeSecurity
import NIOCore
import NIOEmbedded
import NIOSSL
import NIOTLS
import Testing
@testable import APIServer

/// `ClientIdentityRecorder` records a connection's identity when its TLS handshake completes and forgets it
/// when the connection closes.
@Suite struct ClientIdentityRecorderTests {
    @Test func recordsAtTheHandshakeAndForgetsOnClose() throws {
        let registry = ConnectionIdentities()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ClientIdentityRecorder(registry: registry, cache: ClientIdentityCache()))
        #expect(registry.entry(for: channel) == nil)

        // No TLS handler in this pipeline, so no certificate: recorded as "no identity".
        channel.pipeline.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(negotiatedProtocol: nil))
        #expect(registry.entry(for: channel) == .recorded(nil))
        #expect(registry.count == 1)

        _ = try channel.finish()
        #expect(registry.entry(for: channel) == nil)
        #expect(registry.count == 0)
    }

    @Test func otherEventsRecordNothing() throws {
        let registry = ConnectionIdentities()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ClientIdentityRecorder(registry: registry, cache: ClientIdentityCache()))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(registry.entry(for: channel) == nil)
        _ = try channel.finish()
    }
}
