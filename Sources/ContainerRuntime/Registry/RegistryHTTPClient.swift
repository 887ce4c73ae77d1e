import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A small HTTP/1.1 client for registry traffic: one connection per request, TLS (NIOSSL, system trust roots)
/// for `https`, plain HTTP only where ``InsecureRegistryPolicy`` allows it, redirects followed without leaking
/// `Authorization` to other hosts, a connect timeout and an idle timeout (no bytes for that long).
///
/// Thread-safe: the configuration is immutable and the TLS context is created once under a lock. Each request
/// runs in the caller's task on its own connection, which is closed when the request ends.
final class RegistryHTTPClient: Sendable {
    struct Configuration: Sendable {
        var connectTimeout: Duration = .seconds(30)
        /// The longest pause between bytes of a response before the request fails.
        var idleTimeout: Duration = .seconds(60)
        var maximumRedirects = 10
        var userAgent = "swiftlet"
        /// TLS settings for https; the default trusts the system's certificate authorities.
        var tls: TLSConfiguration = .makeClientConfiguration()
        /// PEM files of further certificate authorities to trust besides the system's (a private registry's CA).
        var additionalCertificateAuthorityFiles: [String] = []

        init() {}
    }

    let configuration: Configuration
    private let tlsContext: Mutex<NIOSSLContext?>

    init(configuration: Configuration) {
        self.configuration = configuration
        tlsContext = Mutex(nil)
    }

    /// Sends `request`, following redirects, and collects the body in memory (at most `bodyLimit` bytes).
    func send(
        _ request: RegistryHTTPRequest, policy: InsecureRegistryPolicy, bodyLimit: Int = 4 << 20
    ) async throws -> RegistryHTTPResponse {
        try await send(request, policy: policy, bodyLimit: bodyLimit, successBody: nil)
    }

    /// Sends `request`, following redirects; a successful (2xx) body is handed to `successBody` chunk by chunk
    /// instead of being collected. Other bodies are collected (at most 64 KiB) for the error message.
    func send(
        _ request: RegistryHTTPRequest, policy: InsecureRegistryPolicy, bodyLimit: Int = 64 << 10,
        successBody: ((ByteBuffer) throws -> Void)?
    ) async throws -> RegistryHTTPResponse {
        var url = request.url
        var method = request.method
        let origin = Self.authority(of: request.url)
        for _ in 0...configuration.maximumRedirects {
            let sendsAuthorization = Self.authority(of: url) == origin
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: Self.hostHeader(for: url))
            headers.add(name: "User-Agent", value: configuration.userAgent)
            for header in request.headers { headers.add(name: header.name, value: header.value) }
            if sendsAuthorization, let authorization = request.authorization {
                headers.add(name: "Authorization", value: authorization)
            }
            let response = try await exchange(method: method, url: url, headers: headers, policy: policy, bodyLimit: bodyLimit,
                                              successBody: successBody)
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("Location") else {
                return response
            }
            guard let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                throw RegistryError(.transport, stage: .resolve,
                                    detail: "\(method) \(url.absoluteString): redirect to an invalid location \"\(location)\"")
            }
            if response.status == 303 { method = .GET }
            url = next
        }
        throw RegistryError(.transport, stage: .resolve, detail:
            "\(request.method) \(request.url.absoluteString): more than \(configuration.maximumRedirects) redirects")
    }

    // MARK: One exchange on one connection

    private func exchange(
        method: HTTPMethod, url: URL, headers: HTTPHeaders, policy: InsecureRegistryPolicy, bodyLimit: Int,
        successBody: ((ByteBuffer) throws -> Void)?
    ) async throws -> RegistryHTTPResponse {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw RegistryError(.transport, stage: .resolve, detail: "unsupported URL \"\(url.absoluteString)\"")
        }
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        let requestLine = "\(method) \(url.absoluteString)"
        if scheme == "http", !policy.allowsPlainHTTP(host: bareHost, port: url.port) {
            throw RegistryError(.insecureConnectionRefused, stage: .resolve, detail:
                "\(requestLine): refusing plain HTTP to \(Self.authority(of: url)); use https, or list the registry "
                + "as insecure (--insecure-registry) if it only serves HTTP")
        }
        let tls = scheme == "https" ? try sslContext() : nil
        let serverName: String? = (try? SocketAddress(ipAddress: bareHost, port: 0)) == nil ? bareHost : nil
        let idleTimeout = TimeAmount.nanoseconds(Self.nanoseconds(configuration.idleTimeout))
        // The first error in the pipeline (TLS, idle timeout) explains a failure better than the
        // "I/O on closed channel" that the request then sees.
        let recorder = RegistryConnectionErrorRecorder()

        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.nanoseconds(Self.nanoseconds(configuration.connectTimeout)))
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .connect(host: bareHost, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: tls, serverHostname: serverName))
                        }
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                        try channel.pipeline.syncOperations.addHandler(RegistryIdleTimeoutHandler())
                        try channel.pipeline.syncOperations.addHandler(recorder)
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw Self.transportError(error, requestLine: requestLine, connecting: true)
        }

        var path = url.path(percentEncoded: true)
        if path.isEmpty { path = "/" }
        if let query = url.query(percentEncoded: true) { path += "?" + query }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        do {
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
                var status: Int?
                var responseHeaders = HTTPHeaders()
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let responseHead):
                        if responseHead.status.code < 200 { continue }
                        status = Int(responseHead.status.code)
                        responseHeaders = responseHead.headers
                        // A redirect's body is not needed: stop reading and let the connection close.
                        if [301, 302, 303, 307, 308].contains(status!), responseHeaders["Location"].first != nil {
                            return RegistryHTTPResponse(status: status!, headers: responseHeaders, url: url, body: [])
                        }
                        if method == .HEAD {
                            return RegistryHTTPResponse(status: status!, headers: responseHeaders, url: url, body: [])
                        }
                    case .body(let buffer):
                        guard let status else { continue }
                        if (200..<300).contains(status), let successBody {
                            try successBody(buffer)
                        } else {
                            guard body.count + buffer.readableBytes <= bodyLimit else {
                                throw RegistryError(.transport, stage: .resolve, detail:
                                    "\(requestLine): response body larger than \(bodyLimit) bytes")
                            }
                            body.append(contentsOf: buffer.readableBytesView)
                        }
                    case .end:
                        guard let status else { continue }
                        return RegistryHTTPResponse(status: status, headers: responseHeaders, url: url, body: body)
                    }
                }
                throw RegistryError(.transport, stage: .resolve, detail:
                    "\(requestLine): connection closed " + (status == nil ? "before the response" : "in the middle of the response"))
            }
        } catch let error as RegistryError {
            if let recorded = recorder.firstError {
                throw Self.transportError(recorded, requestLine: requestLine, connecting: false)
            }
            throw error
        } catch {
            throw Self.transportError(recorder.firstError ?? error, requestLine: requestLine, connecting: false)
        }
    }

    private func sslContext() throws -> NIOSSLContext {
        try tlsContext.withLock { context in
            if let context { return context }
            var tls = configuration.tls
            tls.additionalTrustRoots += configuration.additionalCertificateAuthorityFiles.map { .file($0) }
            let created = try NIOSSLContext(configuration: tls)
            context = created
            return created
        }
    }

    // MARK: Helpers

    private static func transportError(_ error: any Error, requestLine: String, connecting: Bool) -> RegistryError {
        if error is RegistryIdleTimeoutError {
            return RegistryError(.timeout, stage: .resolve, detail: "\(requestLine): no data received within the timeout")
        }
        if case ChannelError.connectTimeout = error {
            return RegistryError(.timeout, stage: .resolve, detail: "\(requestLine): timed out connecting")
        }
        if error is NIOSSLError || error is BoringSSLError {
            return RegistryError(.transport, stage: .resolve, detail:
                "\(requestLine): TLS failed: \(error); if the registry serves plain HTTP, list it as insecure "
                + "(--insecure-registry); if it uses a private CA, add the CA to the system trust store")
        }
        let what = connecting ? "failed to connect" : "failed to do request"
        return RegistryError(.transport, stage: .resolve, detail: "\(requestLine): \(what): \(error)")
    }

    /// `host:port` with the scheme's default port filled in (the unit of "same host" for credentials).
    static func authority(of url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? "https"
        return "\((url.host ?? "").lowercased()):\(url.port ?? (scheme == "http" ? 80 : 443))"
    }

    private static func hostHeader(for url: URL) -> String {
        let host = url.host ?? ""
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return url.port.map { "\(bracketed):\($0)" } ?? bracketed
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Raised into the pipeline when a response stalls longer than the idle timeout.
struct RegistryIdleTimeoutError: Error {}

/// Remembers the first error that travels through the pipeline (TLS failures, the idle timeout) and passes
/// every event on. Thread-safe (a `Mutex` holds the error; the handler runs on its channel's event loop, the
/// request reads the error from its task after the channel closed).
private final class RegistryConnectionErrorRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    private let error = Mutex<(any Error)?>(nil)

    var firstError: (any Error)? { error.withLock { $0 } }

    func errorCaught(context: ChannelHandlerContext, error caught: any Error) {
        error.withLock { if $0 == nil { $0 = caught } }
        context.fireErrorCaught(caught)
    }
}

/// Turns the `IdleStateHandler`'s read-idle event into an error and closes the channel, so a stalled download
/// fails instead of hanging. Confined to its channel's event loop (a NIO channel handler).
private final class RegistryIdleTimeoutHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.fireErrorCaught(RegistryIdleTimeoutError())
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
