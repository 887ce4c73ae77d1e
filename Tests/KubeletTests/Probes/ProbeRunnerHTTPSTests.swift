import Foundation
import KubeAPI
import KubeCore
import Testing
@testable import Kubelet

@Suite("ProbeRunner httpGet over HTTPS")
struct ProbeRunnerHTTPSTests {
    let container = ProbeFixtures.container()

    @Test func https_goesThroughTheTLSTransportAndFollowsRedirects() async throws {
        let server = try ProbeTestHTTPServer { request in
            request.target == "/start" ? .respond(status: 307, headers: [("Location", "/ok")]) : .respond(status: 200, body: "secure")
        }
        defer { server.stop() }
        let transport = PlainTextTLSTransport()
        let runner = ProbeRunner(executor: ProbeTestExecutor(), tlsTransport: transport)
        let result = await runner.runHTTPGet(
            HTTPGetAction(path: "/start", port: .int(Int32(server.port)), scheme: "HTTPS",
                          httpHeaders: [HTTPHeader(name: "Host", value: "api.example.test")]),
            container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .success(output: "secure"))
        #expect(server.requests.map(\.target) == ["/start", "/ok"])
        #expect(server.requests.first?.header("Host") == "api.example.test")
        #expect(transport.recordedCalls.first == .init(host: "127.0.0.1", port: server.port, serverName: "api.example.test"))
        #expect(transport.recordedCalls.count == 2)
    }

    @Test func tlsFailure_isAProbeFailureWithTheTransportMessage() async {
        let transport = PlainTextTLSTransport(failure: ProbeTLSTransportError(message: "remote error: tls: handshake failure"))
        let runner = ProbeRunner(executor: ProbeTestExecutor(), tlsTransport: transport)
        let result = await runner.runHTTPGet(
            HTTPGetAction(path: "/healthz", port: .int(8443), scheme: "HTTPS"), container: container,
            podIP: "127.0.0.1", timeout: .seconds(1))
        #expect(result == .failure("Get \"https://127.0.0.1:8443/healthz\": remote error: tls: handshake failure"))
    }

    @Test func tlsTimeout_readsLikeGoClientTimeout() async {
        let transport = PlainTextTLSTransport(failure: ProbeTLSTransportError(message: "net/http: TLS handshake timeout", timedOut: true))
        let runner = ProbeRunner(executor: ProbeTestExecutor(), tlsTransport: transport)
        let result = await runner.runHTTPGet(
            HTTPGetAction(path: "/", port: .int(8443), scheme: "HTTPS"), container: container,
            podIP: "127.0.0.1", timeout: .seconds(1))
        #expect(result == .failure(
            "Get \"https://127.0.0.1:8443/\": net/http: TLS handshake timeout (Client.Timeout exceeded while awaiting headers)"))
    }
}
