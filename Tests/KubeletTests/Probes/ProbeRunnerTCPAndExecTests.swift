import Foundation
import KubeAPI
import KubeCore
import Testing
@testable import Kubelet

@Suite("ProbeRunner tcpSocket and exec")
struct ProbeRunnerTCPAndExecTests {
    @Test func tcpSocket_openPortIsSuccess() async throws {
        let server = try ProbeTestHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        let runner = ProbeRunner(executor: ProbeTestExecutor())
        let result = await runner.runTCPSocket(
            TCPSocketAction(port: .int(Int32(server.port))), container: ProbeFixtures.container(),
            podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .success(output: ""))
    }

    @Test func tcpSocket_closedPortIsRefused() async {
        let closed = ProbeTestSockets.closedPort()
        defer { close(closed.descriptor) }
        let runner = ProbeRunner(executor: ProbeTestExecutor())
        let result = await runner.runTCPSocket(
            TCPSocketAction(port: .int(Int32(closed.port))), container: ProbeFixtures.container(),
            podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .failure("dial tcp 127.0.0.1:\(closed.port): connect: connection refused"))
    }

    @Test func tcpSocket_connectThatHangsTimesOut() async {
        let listener = ProbeTestSockets.saturatedListener()
        defer { for fd in listener.descriptors { close(fd) } }
        let runner = ProbeRunner(executor: ProbeTestExecutor())
        let result = await runner.runTCPSocket(
            TCPSocketAction(port: .int(Int32(listener.port)), host: "127.0.0.1"), container: ProbeFixtures.container(),
            podIP: "", timeout: .milliseconds(300))
        #expect(result == .failure("dial tcp 127.0.0.1:\(listener.port): i/o timeout"))
    }

    @Test func tcpSocket_unknownHostIsALookupFailure() async {
        let runner = ProbeRunner(executor: ProbeTestExecutor())
        let result = await runner.runTCPSocket(
            TCPSocketAction(port: .int(80), host: "no-such-host.invalid"), container: ProbeFixtures.container(),
            podIP: "", timeout: .seconds(2))
        guard case .failure(let message) = result else {
            Issue.record("expected failure, got \(result)")
            return
        }
        #expect(message.hasPrefix("dial tcp: lookup no-such-host.invalid: "))
    }

    @Test(arguments: [
        (ProbeTestExecutor.Answer.exit(0, "fine\n"), ProbeResult.success(output: "fine\n")),
        (.exit(1, "not ready\n"), .failure("not ready\n")),
        (.exit(137, ""), .failure("")),
        (.timeout, .failure("command \"cat /tmp/healthy\" timed out")),
        (.error(.containerNotRunning(containerID: "c1")), .unknown("container c1 is not running")),
    ])
    func exec_mapsExitCodesAndTimeouts(answer: ProbeTestExecutor.Answer, expected: ProbeResult) async {
        let executor = ProbeTestExecutor()
        executor.script("cat", answer)
        let runner = ProbeRunner(executor: executor)
        let result = await runner.runExec(
            ExecAction(command: ["cat", "/tmp/healthy"]), container: ProbeFixtures.container(), containerID: "c1",
            timeout: .seconds(3))
        #expect(result == expected)
        #expect(executor.calls == [.init(containerID: "c1", command: ["cat", "/tmp/healthy"], timeout: .seconds(3))])
    }

    @Test func exec_outputIsCutAt10KiB() async {
        let executor = ProbeTestExecutor()
        executor.script("noisy", .exit(1, String(repeating: "y", count: 20_000)))
        let result = await ProbeRunner(executor: executor).runExec(
            ExecAction(command: ["noisy"]), container: ProbeFixtures.container(), containerID: "c1", timeout: .seconds(1))
        guard case .failure(let output) = result else {
            Issue.record("expected failure, got \(result)")
            return
        }
        #expect(output.utf8.count == 10 * 1024)
    }

    @Test func exec_expandsLiteralEnvReferences() async {
        let executor = ProbeTestExecutor()
        executor.script("check", .exit(0, ""))
        let container = ProbeFixtures.container(env: [
            EnvVar(name: "PORT", value: "8080"),
            EnvVar(name: "URL", value: "http://localhost:$(PORT)"),
            EnvVar(name: "SECRET", valueFrom: EnvVarSource(secretKeyRef: SecretKeySelector(name: "s", key: "k"))),
        ])
        _ = await ProbeRunner(executor: executor).runExec(
            ExecAction(command: ["check", "$(URL)/healthz", "$$(PORT)", "$(SECRET)", "$(MISSING)"]),
            container: container, containerID: "c1", timeout: .seconds(1))
        #expect(executor.calls.first?.command == ["check", "http://localhost:8080/healthz", "$(PORT)", "$(SECRET)", "$(MISSING)"])
    }

    @Test func run_dispatchesOnTheProbeKindAndUsesItsTimeout() async {
        let executor = ProbeTestExecutor()
        executor.script("true", .exit(0, ""))
        let probe = Probe(exec: ExecAction(command: ["true"]), timeoutSeconds: 4)
        let target = ProbeFixtures.target(ProbeFixtures.container(liveness: probe), startedAt: Date())
        let result = await ProbeRunner(executor: executor).run(probe, target: target)
        #expect(result.isSuccess)
        #expect(executor.calls.first?.timeout == .seconds(4))

        let grpc = await ProbeRunner(executor: executor).run(Probe(grpc: GRPCAction(port: 0)), target: target)
        #expect(grpc == .unknown("invalid port number: 0"))
        let empty = await ProbeRunner(executor: executor).run(Probe(), target: target)
        #expect(empty == .unknown("missing probe handler for web-0_default(uid-1):web"))
    }
}
