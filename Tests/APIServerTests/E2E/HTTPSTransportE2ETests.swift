import Foundation
import KubeAPI
import KubeClient
import KubeCLI
import KubeCore
import Testing

/// KubeClient's HTTPSTransport against a real `swiftlet server`: the admin kubeconfig's CA and client
/// certificate, keep-alive reuse, a streamed watch, a wrong CA and an unknown bearer token.
@Suite struct HTTPSTransportE2ETests {
    @Test func requestsWatchesAndRefusals() async throws {
        let server = try SwiftletServerProcess()
        try await server.start()
        do {
            let configuration = try KubeconfigLoader(explicitPath: server.kubeconfig).load()
            let transport = try HTTPSTransport(configuration: configuration.transport)
            let client = APIClient(transport: transport, userAgent: "https-transport-test")

            let namespaces = try await client.list(Namespace.self)
            #expect(namespaces.items.contains { $0.metadata.name == "default" })
            _ = try await client.list(Namespace.self)
            // Two sequential requests shared one keep-alive connection.
            #expect(transport.idleConnectionCount == 1)

            // A watch streams each event as the server flushes it.
            let events = try await client.watch(ConfigMap.self, namespace: "default",
                                                options: ListOptions(resourceVersion: namespaces.metadata.resourceVersion))
            var map = ConfigMap()
            map.metadata.name = "streamed"
            map.metadata.namespace = "default"
            _ = try await client.create(map)
            var seen: String?
            for try await event in events {
                if case .added(let object) = event, object.metadata.name == "streamed" {
                    seen = object.metadata.name
                    break
                }
            }
            #expect(seen == "streamed")

            // The server's certificate does not verify against an unrelated CA (the client certificate here).
            var wrongCA = configuration.transport
            wrongCA.certificateAuthorityPEM = configuration.transport.clientCertificatePEM
            let refused = APIClient(transport: try HTTPSTransport(configuration: wrongCA), userAgent: "test")
            await #expect(throws: HTTPSTransportError.self) { _ = try await refused.list(Namespace.self) }

            // An unknown bearer token (and no certificate) is a 401.
            var tokenOnly = configuration.transport
            tokenOnly.clientCertificatePEM = nil
            tokenOnly.clientKeyPEM = nil
            tokenOnly.bearerToken = "not-a-token"
            let anonymous = APIClient(transport: try HTTPSTransport(configuration: tokenOnly), userAgent: "test")
            do {
                _ = try await anonymous.list(Namespace.self)
                Issue.record("an unknown token was accepted")
            } catch let error as APIError {
                #expect(error.httpStatusCode == 401)
            }
        } catch {
            await server.stopped()
            throw error
        }
        await server.stopped()
    }
}
