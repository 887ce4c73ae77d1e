import Foundation
import KubeAPI
import KubeCore
import KubeSecurity
import Kubelet
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Testing
@testable import ClusterAssembly

/// HTTPS probes through the node agent's NIOSSL transport against a TLS server on 127.0.0.1 whose certificate
/// no one trusts (upstream's prober skips verification): 2xx succeeds, redirects are followed, 500 fails,
/// a refused connection and a plain-HTTP server fail with Go's wording.
@Suite("NIOSSLProbeTLSTransport")
struct NIOSSLProbeTLSTransportTests {
    static let container = Container(name: "web")
    /// The deadline of exchanges that must finish: a safety net only, long enough that a test run starving
    /// this process for a while (hundreds of tests start at once on two cores) cannot trip it.
    static let patience: Duration = .seconds(300)

    static func probe(_ runner: ProbeRunner, path: String, port: Int, headers: [HTTPHeader] = []) async -> ProbeResult {
        await runner.runHTTPGet(
            HTTPGetAction(path: path, port: .int(Int32(port)), scheme: "HTTPS", httpHeaders: headers),
            container: container, podIP: "127.0.0.1", timeout: Self.patience)
    }

    static func runner() throws -> ProbeRunner {
        ProbeRunner(executor: UnusedCommandExecutor(), tlsTransport: try NIOSSLProbeTLSTransport())
    }

    @Test func status200OverTLSIsSuccess() async throws {
        let server = try await TestHTTPSServer.start { path in
            path == "/healthz" ? (200, [], "secure ok") : (404, [], "no")
        }
        defer { server.stop() }
        let result = await Self.probe(try Self.runner(), path: "/healthz", port: server.port)
        #expect(result == .success(output: "secure ok"))
        #expect(server.requests == ["/healthz"])
    }

    @Test func redirectsAreFollowedOnTheSameHost() async throws {
        let server = try await TestHTTPSServer.start { path in
            path == "/start" ? (302, [("Location", "/ready")], "") : (200, [], "arrived")
        }
        defer { server.stop() }
        let result = await Self.probe(try Self.runner(), path: "/start", port: server.port)
        #expect(result == .success(output: "arrived"))
        #expect(server.requests == ["/start", "/ready"])
    }

    @Test func status500IsFailure() async throws {
        let server = try await TestHTTPSServer.start { _ in (500, [], "broken") }
        defer { server.stop() }
        let result = await Self.probe(try Self.runner(), path: "/healthz", port: server.port)
        #expect(result == .failure("HTTP probe failed with statuscode: 500"))
    }

    @Test func hostHeaderNameIsSentAsServerNameAndTheResponseIsReturned() async throws {
        let server = try await TestHTTPSServer.start { _ in (200, [], "named") }
        defer { server.stop() }
        let result = await Self.probe(try Self.runner(), path: "/", port: server.port,
                                      headers: [HTTPHeader(name: "Host", value: "web.example.test:8443")])
        #expect(result == .success(output: "named"))
        #expect(server.serverNames == ["web.example.test"])
    }

    @Test func connectionRefusedIsFailureNamingTheAddress() async throws {
        let port = try TestHTTPSServer.unusedPort()
        let result = await Self.probe(try Self.runner(), path: "/healthz", port: port)
        #expect(result == .failure(
            "Get \"https://127.0.0.1:\(port)/healthz\": dial tcp 127.0.0.1:\(port): connect: connection refused"))
    }

    @Test func plainHTTPServerIsATLSFailure() async throws {
        let server = try await TestHTTPSServer.start(tls: false) { _ in (200, [], "plain") }
        defer { server.stop() }
        let result = await Self.probe(try Self.runner(), path: "/healthz", port: server.port)
        guard case .failure(let message) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(message.hasPrefix("Get \"https://127.0.0.1:\(server.port)/healthz\": "))
        #expect(message.hasSuffix(": tls: first record does not look like a TLS handshake"))
    }

    @Test func transportReturnsTheRawResponseUntilClose() async throws {
        let server = try await TestHTTPSServer.start { _ in (200, [], "raw") }
        defer { server.stop() }
        let transport = try NIOSSLProbeTLSTransport()
        let request = Array("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        let bytes = try await transport.exchange(host: "127.0.0.1", port: server.port, serverName: "127.0.0.1",
                                                 request: request, maximumBytes: 64 * 1024, timeout: Self.patience)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.hasSuffix("\r\n\r\nraw"))
        #expect(server.serverNames == [""])
    }

    @Test func silentServerEndsAtTheDeadlineAsATimeout() async throws {
        let server = try await TestHTTPSServer.start(silent: true) { _ in (200, [], "") }
        defer { server.stop() }
        let transport = try NIOSSLProbeTLSTransport()
        let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        await #expect(throws: ProbeTLSTransportError(message: "context deadline exceeded", timedOut: true)) {
            try await transport.exchange(host: "127.0.0.1", port: server.port, serverName: "127.0.0.1",
                                         request: request, maximumBytes: 1024, timeout: .milliseconds(500))
        }
        #expect(server.requests == ["(unanswered)"])
    }

    @Test func cancellingTheCallerEndsTheExchange() async throws {
        let server = try await TestHTTPSServer.start(silent: true) { _ in (200, [], "") }
        defer { server.stop() }
        let transport = try NIOSSLProbeTLSTransport()
        let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        let exchange = Task { () async -> ProbeTLSTransportError? in
            do throws(ProbeTLSTransportError) {
                _ = try await transport.exchange(host: "127.0.0.1", port: server.port, serverName: "127.0.0.1",
                                                 request: request, maximumBytes: 1024, timeout: .seconds(600))
                return nil
            } catch {
                return error
            }
        }
        try await server.waitForRequest()
        exchange.cancel()
        #expect(await exchange.value == ProbeTLSTransportError(message: "context canceled"))
    }

    @Test func httpsLifecycleHookRunsThroughTheTransport() async throws {
        let server = try await TestHTTPSServer.start { _ in (500, [], "hooks ignore the status") }
        defer { server.stop() }
        let hooks = LifecycleHookRunner(executor: UnusedCommandExecutor(), tlsTransport: try NIOSSLProbeTLSTransport())
        let target = ProbeTarget(podUID: "uid-1", podName: "web", podNamespace: "default", container: Self.container,
                                 containerID: "c1", startedAt: Date(), podIP: "127.0.0.1")
        var handler = LifecycleHandler()
        handler.httpGet = HTTPGetAction(path: "/started", port: .int(Int32(server.port)), scheme: "HTTPS")
        #expect(await hooks.run(handler, target: target, timeout: Self.patience) == .succeeded)
        #expect(server.requests == ["/started"])

        let closed = try TestHTTPSServer.unusedPort()
        handler.httpGet = HTTPGetAction(path: "/started", port: .int(Int32(closed)), scheme: "HTTPS")
        let refused = await hooks.run(handler, target: target, timeout: Self.patience)
        #expect(refused == .failed(message: "HTTP lifecycle hook (/started) for Container \"web\" in Pod "
            + "\"web_default(uid-1)\" failed - error: Get \"https://127.0.0.1:\(closed)/started\": dial tcp "
            + "127.0.0.1:\(closed): connect: connection refused"))
    }

    @Test func serverNameIndicationDropsPortsAndAddresses() {
        #expect(NIOSSLProbeTLSTransport.serverNameIndication("web.example.test:8443") == "web.example.test")
        #expect(NIOSSLProbeTLSTransport.serverNameIndication("web") == "web")
        #expect(NIOSSLProbeTLSTransport.serverNameIndication("10.0.0.5") == nil)
        #expect(NIOSSLProbeTLSTransport.serverNameIndication("[fd00::1]:443") == nil)
        #expect(NIOSSLProbeTLSTransport.serverNameIndication("fd00::1") == nil)
        #expect(NIOSSLProbeTLSTransport.joinHostPort("fd00::1", 443) == "[fd00::1]:443")
    }
}

/// The probe runner needs an exec backend; these tests never exec.
private struct UnusedCommandExecutor: ContainerCommandExecutor {
    func exec(containerID: String, command: [String], timeout: Duration) async throws -> ContainerCommandResult {
        throw ContainerCommandError.failed(command: command, message: "exec is not used by these tests")
    }
}

/// An HTTPS (or plain HTTP) server on 127.0.0.1 answering each request from `respond(path)` and closing the
/// connection; its certificate comes from a throwaway CA the client does not know.
///
/// Thread-safe: a `Mutex` records the request paths and SNI names; the channels live on NIO's event loops.
final class TestHTTPSServer: Sendable {
    typealias Responder = @Sendable (String) -> (Int, [(String, String)], String)

    let port: Int
    private let channel: any Channel
    private let log: TestHTTPSServerLog

    var requests: [String] { log.state.withLock { $0.paths } }
    /// The SNI name of each TLS connection ("" when the client sent none).
    var serverNames: [String] { log.state.withLock { $0.names } }

    private init(port: Int, channel: any Channel, log: TestHTTPSServerLog) {
        self.port = port
        self.channel = channel
        self.log = log
    }

    /// `silent`: read requests but never answer (for deadlines and cancellation).
    static func start(tls: Bool = true, silent: Bool = false, respond: @escaping Responder) async throws
        -> TestHTTPSServer
    {
        let recorder = TestHTTPSServerLog()
        var context: NIOSSLContext?
        if tls {
            let authority = try CertificateAuthority.create(commonName: "probe-test-ca")
            let issued = try authority.issueKeyPair(
                commonName: "probe-test", usage: .serving(dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]]),
                validity: 3600)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(issued.certificatePEM.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(issued.privateKeyPEM.utf8), format: .pem)))
            configuration.sslContextCallback = { values, promise in
                recorder.record(path: nil, serverName: values.serverHostname ?? "")
                promise.succeed(.noChanges)
            }
            context = try NIOSSLContext(configuration: configuration)
        }
        let sslContext = context
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try child.pipeline.syncOperations.addHandler(
                        TestHTTPSRequestHandler(respond: respond, recorder: recorder, silent: silent))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        return TestHTTPSServer(port: port, channel: channel, log: recorder)
    }

    func stop() {
        channel.close(promise: nil)
    }

    /// Returns once a request arrived; throws after 30 seconds without one.
    func waitForRequest() async throws {
        guard await log.waitForRequest(timeout: .seconds(30)) else {
            throw TestHTTPSServerError("no request reached the test server within 30 seconds")
        }
    }

    /// A TCP port on 127.0.0.1 with nothing listening (bound a moment ago, then closed).
    static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestHTTPSServerError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw TestHTTPSServerError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct TestHTTPSServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a test server saw: request paths and SNI names. Thread-safe (`Mutex`).
private final class TestHTTPSServerLog: Sendable {
    let state = Mutex<(paths: [String], names: [String])>((paths: [], names: []))
    private let waiters = Mutex<[CheckedContinuation<Bool, Never>]>([])

    func record(path: String?, serverName: String?) {
        state.withLock { log in
            if let path { log.paths.append(path) }
            if let serverName { log.names.append(serverName) }
        }
        if path != nil {
            for waiter in waiters.withLock({ waiters in defer { waiters = [] }; return waiters }) {
                waiter.resume(returning: true)
            }
        }
    }

    /// True once a request arrived, false when `timeout` passed first.
    func waitForRequest(timeout: Duration) async -> Bool {
        let timer = Task {
            try await Task.sleep(for: timeout)
            for waiter in waiters.withLock({ waiters in defer { waiters = [] }; return waiters }) {
                waiter.resume(returning: false)
            }
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let arrived = waiters.withLock { waiters -> Bool in
                if !state.withLock({ $0.paths.isEmpty }) { return true }
                waiters.append(continuation)
                return false
            }
            if arrived { continuation.resume(returning: true) }
        }
    }
}

/// Reads one request head, answers it and closes. Confined to its channel's event loop.
private final class TestHTTPSRequestHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let respond: TestHTTPSServer.Responder
    private let recorder: TestHTTPSServerLog
    private var buffer: [UInt8] = []
    private var answered = false

    private let silent: Bool

    init(respond: @escaping TestHTTPSServer.Responder, recorder: TestHTTPSServerLog, silent: Bool) {
        self.respond = respond
        self.recorder = recorder
        self.silent = silent
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        buffer.append(contentsOf: unwrapInboundIn(data).readableBytesView)
        if buffer.first == 0x16 {
            // A TLS ClientHello sent to the plain server: answer like an HTTP server does.
            answered = true
            let reply = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: reply))).whenComplete { _ in
                context.close(promise: nil)
            }
            return
        }
        let text = String(decoding: buffer, as: UTF8.self)
        guard text.contains("\r\n\r\n") else { return }
        answered = true
        if silent {
            recorder.record(path: "(unanswered)", serverName: nil)
            return
        }
        let path = text.split(separator: " ", maxSplits: 2).dropFirst().first.map(String.init) ?? "/"
        recorder.record(path: path, serverName: nil)
        let (status, headers, body) = respond(path)
        let reason = [200: "OK", 302: "Found", 404: "Not Found", 500: "Internal Server Error"][status] ?? "Status"
        var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let response = head + "\r\n" + body
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: response))).whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
