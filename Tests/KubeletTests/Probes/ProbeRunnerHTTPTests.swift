import Foundation
import KubeAPI
import KubeCore
import Testing
@testable import Kubelet

@Suite("ProbeRunner httpGet")
struct ProbeRunnerHTTPTests {
    let runner = ProbeRunner(executor: ProbeTestExecutor())
    let container = ProbeFixtures.container()

    func action(_ path: String, port: Int, headers: [HTTPHeader] = [], scheme: String = "") -> HTTPGetAction {
        HTTPGetAction(path: path, port: .int(Int32(port)), scheme: scheme, httpHeaders: headers)
    }

    @Test func status200_isSuccessAndSendsUpstreamHeaders() async throws {
        let server = try ProbeTestHTTPServer { _ in .respond(status: 200, body: "ok") }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            action("/healthz?full=1", port: server.port, headers: [HTTPHeader(name: "X-Custom", value: "a")]),
            container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .success(output: "ok"))
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.target == "/healthz?full=1")
        #expect(request.header("User-Agent") == "kube-probe/1.32")
        #expect(request.header("Accept") == "*/*")
        #expect(request.header("X-Custom") == "a")
        #expect(request.header("Host") == "127.0.0.1:\(server.port)")
        #expect(request.header("Connection") == "close")
    }

    @Test func probeHeaders_overrideUserAgentHostAndAccept() async throws {
        let server = try ProbeTestHTTPServer { _ in .respond(status: 204) }
        defer { server.stop() }
        let headers = [
            HTTPHeader(name: "User-Agent", value: "custom/1"), HTTPHeader(name: "Host", value: "example.test"),
            HTTPHeader(name: "Accept", value: ""),
        ]
        let result = await runner.runHTTPGet(
            action("", port: server.port, headers: headers), container: container, podIP: "127.0.0.1",
            timeout: ProbeFixtures.patience)
        #expect(result == .success(output: ""))
        let request = try #require(server.requests.first)
        #expect(request.target == "/")
        #expect(request.header("User-Agent") == "custom/1")
        #expect(request.headerCount("User-Agent") == 1)
        #expect(request.header("Host") == "example.test")
        #expect(request.headerCount("Host") == 1)
        #expect(request.header("Accept") == nil)
    }

    @Test(arguments: [400, 404, 500, 503])
    func errorStatus_isFailureWithUpstreamMessage(status: Int) async throws {
        let server = try ProbeTestHTTPServer { _ in .respond(status: status, body: "secret body") }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            action("/healthz", port: server.port), container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .failure("HTTP probe failed with statuscode: \(status)"))
    }

    @Test func namedPort_resolvesToTheContainerPort() async throws {
        let server = try ProbeTestHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        let named = ProbeFixtures.container(ports: [ContainerPort(name: "http", containerPort: Int32(server.port))])
        let result = await runner.runHTTPGet(
            HTTPGetAction(path: "/", port: .string("http")), container: named, podIP: "127.0.0.1",
            timeout: ProbeFixtures.patience)
        #expect(result.isSuccess)
        #expect(server.requests.count == 1)
    }

    @Test func unknownPortName_isUnknownWithUpstreamMessage() async {
        let result = await runner.runHTTPGet(
            HTTPGetAction(path: "/", port: .string("metrics")), container: container, podIP: "127.0.0.1",
            timeout: .seconds(1))
        #expect(result == .unknown("strconv.Atoi: parsing \"metrics\": invalid syntax"))
        let zero = await runner.runHTTPGet(
            HTTPGetAction(path: "/", port: .int(0)), container: container, podIP: "127.0.0.1", timeout: .seconds(1))
        #expect(zero == .unknown("invalid port number: 0"))
    }

    @Test func redirectToTheSameHost_isFollowed() async throws {
        let server = try ProbeTestHTTPServer { request in
            request.target == "/old" ? .respond(status: 302, headers: [("Location", "/new")]) : .respond(status: 200, body: "new")
        }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            action("/old", port: server.port, headers: [HTTPHeader(name: "X-Token", value: "t")]),
            container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .success(output: "new"))
        #expect(server.requests.map(\.target) == ["/old", "/new"])
        #expect(server.requests.last?.header("X-Token") == "t")
    }

    @Test func redirectToAnotherHost_isNotFollowedAndWarns() async throws {
        let server = try ProbeTestHTTPServer { _ in
            .respond(status: 301, headers: [("Location", "http://localhost:1/elsewhere")], body: "moved")
        }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            action("/", port: server.port), container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .warning("Probe terminated redirects, Response body: moved"))
        #expect(server.requests.count == 1)
    }

    @Test func redirectLoop_stopsAfterTenRedirects() async throws {
        let server = try ProbeTestHTTPServer { _ in .respond(status: 302, headers: [("Location", "/loop")]) }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            action("/loop", port: server.port), container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .failure("Get \"http://127.0.0.1:\(server.port)/loop\": stopped after 10 redirects"))
        #expect(server.requests.count == 11)
    }

    @Test func refusedConnection_isFailureWithGoMessage() async {
        let closed = ProbeTestSockets.closedPort()
        defer { close(closed.descriptor) }
        let result = await runner.runHTTPGet(
            action("/healthz", port: closed.port), container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .failure(
            "Get \"http://127.0.0.1:\(closed.port)/healthz\": dial tcp 127.0.0.1:\(closed.port): connect: connection refused"))
    }

    @Test func serverThatNeverAnswers_timesOut() async throws {
        let server = try ProbeTestHTTPServer { _ in .hang }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            action("/slow", port: server.port), container: container, podIP: "127.0.0.1",
            timeout: .milliseconds(300))
        #expect(result == .failure(
            "Get \"http://127.0.0.1:\(server.port)/slow\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"))
    }

    @Test func largeBody_isCutAt10KiB() async throws {
        let body = String(repeating: "x", count: 50_000)
        let server = try ProbeTestHTTPServer { _ in .respond(status: 200, body: body) }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            action("/", port: server.port), container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        guard case .success(let output) = result else {
            Issue.record("expected success, got \(result)")
            return
        }
        #expect(output.utf8.count == 10 * 1024)
    }

    @Test func chunkedBodyAndInterimResponse_areParsed() async throws {
        let server = try ProbeTestHTTPServer { _ in
            .raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            action("/", port: server.port), container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .success(output: "abcde"))
    }

    @Test func malformedResponse_isFailure() async throws {
        let server = try ProbeTestHTTPServer { _ in .raw("SSH-2.0-OpenSSH\r\n") }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            action("/", port: server.port), container: container, podIP: "127.0.0.1", timeout: ProbeFixtures.patience)
        #expect(result == .failure(
            "Get \"http://127.0.0.1:\(server.port)/\": net/http: HTTP/1.x transport connection broken: malformed HTTP response \"SSH-2.0-OpenSSH\""))
    }

    @Test func https_isReportedAsUnsupported() async {
        let result = await runner.runHTTPGet(
            action("/", port: 443, scheme: "HTTPS"), container: container, podIP: "127.0.0.1", timeout: .seconds(1))
        guard case .unknown(let message) = result else {
            Issue.record("expected unknown, got \(result)")
            return
        }
        #expect(message.hasPrefix("Get \"https://127.0.0.1:443/\": HTTPS is not supported"))
    }

    @Test func explicitHost_overridesThePodIP() async throws {
        let server = try ProbeTestHTTPServer { _ in .respond(status: 200) }
        defer { server.stop() }
        let result = await runner.runHTTPGet(
            HTTPGetAction(path: "/", port: .int(Int32(server.port)), host: "localhost"), container: container,
            podIP: "10.255.255.1", timeout: ProbeFixtures.patience)
        #expect(result.isSuccess)
    }
}
