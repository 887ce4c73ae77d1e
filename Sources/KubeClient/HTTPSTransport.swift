import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// An ``APITransport`` over HTTPS/1.1 (SwiftNIO + NIOSSL): the server certificate is verified against the
/// configured CA, the client authenticates with a certificate or a bearer token, plain requests share a small
/// pool of keep-alive connections, and watches stream their body chunk by chunk as the server flushes it.
///
/// Thread-safe; Sendable. Connections run on NIO's shared event loop group (no blocking on the cooperative
/// pool). A request takes an idle connection or opens one; a reusable response returns it to the pool (at
/// most `maxIdleConnections` stay open). Cancelling or dropping a watch's chunk stream closes its connection.
public final class HTTPSTransport: APITransport {
    public let configuration: HTTPSTransportConfiguration
    private let tlsContext: NIOSSLContext
    private let idle: Mutex<[HTTPSConnection]>

    public init(configuration: HTTPSTransportConfiguration) throws {
        self.configuration = configuration
        self.tlsContext = try NIOSSLContext(configuration: Self.tlsConfiguration(configuration))
        self.idle = Mutex([])
    }

    deinit {
        for connection in idle.withLock({ $0 }) { connection.close() }
    }

    /// Closes the idle connections (connections in use close when their exchange ends).
    public func closeIdleConnections() {
        let connections = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle
        }
        for connection in connections { connection.close() }
    }

    /// The number of idle pooled connections (for tests and diagnostics).
    public var idleConnectionCount: Int { idle.withLock { $0.count } }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let exchange = try await start(request, streaming: false)
        let status = try await exchange.status()
        var body: [UInt8] = []
        for try await chunk in exchange.chunks { body += chunk }
        try Task.checkCancellation()
        return TransportResponse(status: status, body: body)
    }

    public func stream(_ request: TransportRequest) async throws -> TransportStream {
        let exchange = try await start(request, streaming: true)
        return TransportStream(status: try await exchange.status(), chunks: exchange.chunks)
    }

    // MARK: Plumbing

    /// Submits the request on a pooled or new connection and waits for its status; retries once on a fresh
    /// connection when a reused one turns out to be closed before answering an idempotent request.
    private func start(_ request: TransportRequest, streaming: Bool) async throws -> HTTPSExchange {
        let head = requestHead(request)
        var attempt = 0
        while true {
            attempt += 1
            let (connection, reused) = try await acquire()
            let exchange = HTTPSExchange(head: head, body: request.body, streaming: streaming)
            exchange.onAbandoned { connection.close() }
            connection.submit(exchange)
            do {
                _ = try await withTaskCancellationHandler {
                    try await exchange.status()
                } onCancel: {
                    connection.close()
                }
                return exchange
            } catch {
                let retryable = reused && attempt == 1 && !exchange.receivedStatus
                    && Self.idempotentMethods.contains(request.method.uppercased()) && !Task.isCancelled
                if !retryable { throw error }
            }
        }
    }

    private static let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]

    private func acquire() async throws -> (HTTPSConnection, reused: Bool) {
        while let connection = idle.withLock({ $0.popLast() }) {
            if connection.isUsable { return (connection, true) }
            connection.close()
        }
        let limit = configuration.maxIdleConnections
        let connection = try await HTTPSConnection.connect(configuration: configuration, tls: tlsContext) {
            [weak self] connection in
            guard let self else { return connection.close() }
            let kept = self.idle.withLock { idle -> Bool in
                guard idle.count < limit else { return false }
                idle.append(connection)
                return true
            }
            if !kept { connection.close() }
        }
        return (connection, false)
    }

    private func requestHead(_ request: TransportRequest) -> HTTPRequestHead {
        var uri = configuration.pathPrefix + request.path
        if let query = request.query, !query.isEmpty { uri += "?" + query }
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method.uppercased()), uri: uri)
        head.headers.add(name: "Host", value: configuration.hostHeader)
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) where name != "host" && name != "content-length" {
            head.headers.add(name: name, value: value)
        }
        if request.headers["authorization"] == nil, let token = configuration.bearerToken, !token.isEmpty {
            head.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method.uppercased()) {
            head.headers.add(name: "Content-Length", value: String(request.body.count))
        }
        return head
    }

    static func tlsConfiguration(_ configuration: HTTPSTransportConfiguration) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if configuration.insecureSkipTLSVerify {
            tls.certificateVerification = .none
        } else {
            tls.certificateVerification = .fullVerification
            if let ca = configuration.certificateAuthorityPEM {
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca))
                } catch {
                    throw HTTPSTransportError.invalidPEM(what: "certificate authority", detail: "\(error)")
                }
            }
        }
        switch (configuration.clientCertificatePEM, configuration.clientKeyPEM) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
            } catch {
                throw HTTPSTransportError.invalidPEM(what: "client certificate", detail: "\(error)")
            }
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            } catch {
                throw HTTPSTransportError.invalidPEM(what: "client key", detail: "\(error)")
            }
        default:
            throw HTTPSTransportError.incompleteClientCredentials
        }
        return tls
    }
}
