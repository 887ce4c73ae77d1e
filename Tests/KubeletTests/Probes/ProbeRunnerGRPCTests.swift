import Foundation
import KubeAPI
import Testing
@testable import Kubelet

@Suite("ProbeRunner grpc")
struct ProbeRunnerGRPCTests {
    let runner = ProbeRunner(executor: ProbeTestExecutor())

    @Test func serving_isSuccessAndTheCallIsWellFormed() async throws {
        let server = try ProbeTestGRPCServer(reply: .status(1))
        defer { server.stop() }
        let result = await runner.runGRPC(GRPCAction(port: Int32(server.port)), podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .success(output: "service healthy"))
        let call = try #require(server.calls.first)
        #expect(call.message == [0, 0, 0, 0, 0])
        let headers = String(decoding: call.headerBlock, as: UTF8.self)
        #expect(call.headerBlock.starts(with: [0x83, 0x86]))  // :method POST, :scheme http
        #expect(headers.contains("/grpc.health.v1.Health/Check"))
        #expect(headers.contains("application/grpc"))
        #expect(headers.contains("kube-probe/1.32"))
        #expect(headers.contains("127.0.0.1:\(server.port)"))
    }

    @Test func notServing_isFailureWithUpstreamMessageAndSendsTheService() async throws {
        let server = try ProbeTestGRPCServer(reply: .status(2))
        defer { server.stop() }
        let result = await runner.runGRPC(
            GRPCAction(port: Int32(server.port), service: "db"), podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .failure("service unhealthy (responded with \"NOT_SERVING\")"))
        #expect(server.calls.first?.message == [0, 0, 0, 0, 4, 0x0a, 2, UInt8(ascii: "d"), UInt8(ascii: "b")])
    }

    @Test func callWithoutResponse_isFailure() async throws {
        let server = try ProbeTestGRPCServer(reply: .trailersOnly)
        defer { server.stop() }
        let result = await runner.runGRPC(GRPCAction(port: Int32(server.port)), podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        guard case .failure(let message) = result else {
            Issue.record("expected failure, got \(result)")
            return
        }
        #expect(message.hasPrefix("error: health rpc probe failed: the call ended without a response"))
    }

    @Test func unansweredCall_timesOut() async throws {
        let server = try ProbeTestGRPCServer(reply: .hang)
        defer { server.stop() }
        let result = await runner.runGRPC(
            GRPCAction(port: Int32(server.port)), podIP: "127.0.0.1", timeout: .milliseconds(300))
        #expect(result == .failure("timeout: health rpc did not complete within 300ms"))
    }

    @Test func refusedConnection_isFailure() async {
        let closed = ProbeTestSockets.closedPort()
        defer { close(closed.descriptor) }
        let result = await runner.runGRPC(GRPCAction(port: Int32(closed.port)), podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .failure(
            "error: failed to connect service at \"127.0.0.1:\(closed.port)\": dial tcp 127.0.0.1:\(closed.port): connect: connection refused"))
    }

    @Test(arguments: [
        (Duration.seconds(1), "1s"), (.milliseconds(300), "300ms"), (.seconds(90), "1m30s"), (.seconds(60), "1m0s"),
        (.milliseconds(1500), "1.5s"),
    ])
    func goDuration_formatsLikeGo(duration: Duration, text: String) {
        #expect(GRPCHealthCheck.goDuration(duration) == text)
    }
}
