import Foundation
import KubeAPI
import KubeCore
import Testing
@testable import Kubelet

@Suite("LifecycleHookRunner")
struct LifecycleHookRunnerTests {
    let executor = ProbeTestExecutor()

    func target(podIP: String = "127.0.0.1", container: Container = ProbeFixtures.container()) -> ProbeTarget {
        ProbeFixtures.target(container, containerID: "c1", startedAt: Date(), podIP: podIP)
    }

    @Test func exec_exitZeroSucceedsWithExpandedCommandAndTimeout() async {
        executor.script("/bin/sh", .exit(0, "done"))
        let runner = LifecycleHookRunner(executor: executor)
        let container = ProbeFixtures.container(env: [EnvVar(name: "NAME", value: "nginx")])
        let outcome = await runner.run(
            LifecycleHandler(exec: ExecAction(command: ["/bin/sh", "-c", "echo $(NAME)"])),
            target: target(container: container), timeout: .seconds(30))
        #expect(outcome == .succeeded)
        #expect(executor.calls == [.init(containerID: "c1", command: ["/bin/sh", "-c", "echo nginx"], timeout: .seconds(30))])
        #expect(outcome.event(for: .postStart) == nil)
    }

    @Test func exec_nonZeroExitFailsWithUpstreamMessage() async throws {
        executor.script("/usr/sbin/nginx", .exit(1, "nginx: [error] invalid PID number"))
        let runner = LifecycleHookRunner(executor: executor)
        let outcome = await runner.run(
            LifecycleHandler(exec: ExecAction(command: ["/usr/sbin/nginx", "-s", "quit"])), target: target(),
            timeout: .seconds(30))
        let message = """
            Exec lifecycle hook ([/usr/sbin/nginx -s quit]) for Container "web" in Pod "web-0_default(uid-1)" \
            failed - error: command '/usr/sbin/nginx -s quit' exited with 1: , message: "nginx: [error] invalid PID number"
            """
        #expect(outcome == .failed(message: message))
        let postStart = try #require(outcome.event(for: .postStart))
        #expect(postStart.type == "Warning")
        #expect(postStart.reason == "FailedPostStartHook")
        #expect(postStart.message == message)
        let preStop = try #require(outcome.event(for: .preStop))
        #expect(preStop.reason == "FailedPreStopHook")
        #expect(preStop.message == "PreStopHook failed")
        #expect(LifecycleHook.postStartErrorReason == "PostStartHookError")
    }

    @Test func exec_timeoutIsReportedAsTimedOut() async {
        executor.script("sleep", .timeout)
        let outcome = await LifecycleHookRunner(executor: executor).run(
            LifecycleHandler(exec: ExecAction(command: ["sleep", "100"])), target: target(), timeout: .seconds(2))
        #expect(outcome == .timedOut)
        #expect(outcome.event(for: .preStop) == nil)
        #expect(executor.calls.first?.timeout == .seconds(2))
    }

    @Test func httpGet_reachesTheServerAndIgnoresTheStatusCode() async throws {
        let server = try ProbeTestHTTPServer { _ in .respond(status: 500) }
        defer { server.stop() }
        let outcome = await LifecycleHookRunner(executor: executor).run(
            LifecycleHandler(httpGet: HTTPGetAction(path: "/shutdown", port: .int(Int32(server.port)),
                                                    httpHeaders: [HTTPHeader(name: "X-Reason", value: "stop")])),
            target: target(), timeout: ProbeFixtures.patience)
        #expect(outcome == .succeeded)
        let request = try #require(server.requests.first)
        #expect(request.target == "/shutdown")
        #expect(request.header("User-Agent") == "kube-lifecycle/1.32")
        #expect(request.header("X-Reason") == "stop")
    }

    @Test func httpGet_refusedConnectionFailsWithUpstreamMessage() async {
        let closed = ProbeTestSockets.closedPort()
        defer { close(closed.descriptor) }
        let outcome = await LifecycleHookRunner(executor: executor).run(
            LifecycleHandler(httpGet: HTTPGetAction(path: "/hook", port: .int(Int32(closed.port)))), target: target(),
            timeout: .seconds(5))
        #expect(outcome == .failed(message: """
            HTTP lifecycle hook (/hook) for Container "web" in Pod "web-0_default(uid-1)" failed - error: \
            Get "http://127.0.0.1:\(closed.port)/hook": dial tcp 127.0.0.1:\(closed.port): connect: connection refused
            """))
    }

    @Test func httpGet_unansweredRequestTimesOut() async throws {
        let server = try ProbeTestHTTPServer { _ in .hang }
        defer { server.stop() }
        let outcome = await LifecycleHookRunner(executor: executor).run(
            LifecycleHandler(httpGet: HTTPGetAction(path: "/slow", port: .int(Int32(server.port)))), target: target(),
            timeout: .milliseconds(300))
        #expect(outcome == .timedOut)
    }

    @Test func httpGet_namedPortThatDoesNotExistFails() async {
        let outcome = await LifecycleHookRunner(executor: executor).run(
            LifecycleHandler(httpGet: HTTPGetAction(path: "/", port: .string("admin"))), target: target(),
            timeout: .seconds(1))
        #expect(outcome == .failed(message: """
            HTTP lifecycle hook (/) for Container "web" in Pod "web-0_default(uid-1)" failed - error: \
            strconv.Atoi: parsing "admin": invalid syntax
            """))
    }

    @Test func sleep_waitsOnTheClock() async {
        let clock = ManualProbeClock()
        let runner = LifecycleHookRunner(executor: executor, clock: clock)
        let handler = LifecycleHandler(sleep: SleepAction(seconds: 5))
        let target = target()
        let running = Task { await runner.run(handler, target: target, timeout: .seconds(30)) }
        #expect(await clock.waitForSleeper(deadline: clock.now.addingTimeInterval(5)))
        clock.advance(bySeconds: 5)
        #expect(await running.value == .succeeded)
    }

    @Test func sleep_longerThanTheTimeoutTimesOut() async {
        let clock = ManualProbeClock()
        let runner = LifecycleHookRunner(executor: executor, clock: clock)
        let handler = LifecycleHandler(sleep: SleepAction(seconds: 60))
        let target = target()
        let running = Task { await runner.run(handler, target: target, timeout: .seconds(2)) }
        #expect(await clock.waitForSleeper(deadline: clock.now.addingTimeInterval(2)))
        clock.advance(bySeconds: 2)
        #expect(await running.value == .timedOut)
    }

    @Test func sleep_cancelledFailsWithUpstreamMessage() async {
        let clock = ManualProbeClock()
        let runner = LifecycleHookRunner(executor: executor, clock: clock)
        let handler = LifecycleHandler(sleep: SleepAction(seconds: 10))
        let target = target()
        let running = Task { await runner.run(handler, target: target, timeout: .seconds(30)) }
        #expect(await clock.waitForSleeper())
        running.cancel()
        #expect(await running.value == .failed(message: """
            Sleep lifecycle hook (10) for Container "web" in Pod "web-0_default(uid-1)" failed - error: \
            container terminated before sleep hook finished
            """))
    }

    @Test func tcpSocketHandler_isRejected() async {
        let outcome = await LifecycleHookRunner(executor: executor).run(
            LifecycleHandler(tcpSocket: TCPSocketAction(port: .int(80))), target: target(), timeout: .seconds(1))
        #expect(outcome == .failed(message: "Cannot run handler: invalid handler: tcpSocket is not supported as a lifecycle handler"))
    }
}
