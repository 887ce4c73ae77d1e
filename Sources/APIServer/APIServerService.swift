public import KubeStorage
public import KubeSecurity
public import Logging
import Foundation
import Hummingbird
import KubeCore
import NIOCore
import HTTPTypes
import HummingbirdCore

/// Where and how the API server listens.
///
/// Value type; Sendable.
public struct APIServerConfiguration: Sendable {
    public var bindAddress: String
    public var port: Int
    /// The largest request body accepted; larger ones get 413 (upstream limit: 3 MiB).
    public var maxRequestBodyBytes: Int = 3 * 1024 * 1024
    /// HTTPS settings; nil serves plain HTTP (only for handler-level tests and benchmarks of the HTTP layer).
    public var tls: ServingTLS?
    /// The watch cache serving lists and watches from memory; nil serves them from the store.
    public var watchCache: WatchCacheConfiguration? = WatchCacheConfiguration()

    public init(bindAddress: String = "127.0.0.1", port: Int = 6443, tls: ServingTLS? = nil) {
        self.bindAddress = bindAddress
        self.port = port
        self.tls = tls
    }
}

/// The API server as a long-running component: binds, bootstraps, serves until cancelled.
///
/// Sendable; `run()` lives as long as the server does (returning or throwing means stopped).
public struct APIServerService: Sendable {
    public let handler: APIHandler
    public let configuration: APIServerConfiguration
    let logger: Logger

    public init(store: any KeyValueStore, configuration: APIServerConfiguration, security: RequestSecurity = .allowAll,
                certificateSigner: CertificateRequestSigner? = nil, serviceAccounts: ServiceAccountSettings? = nil,
                podStreaming: (any PodStreamingBackend)? = nil, logger: Logger) {
        let catalog = BuiltinResources.catalog()
        self.handler = APIHandler(
            catalog: catalog, store: store, logger: logger, security: security, certificateSigner: certificateSigner,
            serviceAccounts: serviceAccounts,
            watchCache: configuration.watchCache.map {
                WatchCache(store: store, catalog: catalog, configuration: $0, logger: logger)
            }, podStreaming: podStreaming)
        self.configuration = configuration
        self.logger = logger
    }

    /// Serves until the surrounding task is cancelled. `onListening` receives the bound port (useful with
    /// port 0) once the socket accepts connections and startup has finished.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let responder = HummingbirdAdapter(handler: handler, maxBodyBytes: configuration.maxRequestBodyBytes)
        let handler = self.handler
        let logger = self.logger
        // HTTP/1 plus WebSocket upgrades for pods/exec and pods/attach (Streaming/StreamingHTTPChildChannel).
        var server = HTTPServerBuilder { responder in
            StreamingHTTPChildChannel(base: HTTP1Channel(responder: responder), handler: handler)
        }
        if let tls = configuration.tls {
            let validated = try HTTPSChildChannel(HTTP1Channel(responder: { _, _, _ in }), tls: tls).sslContext
            server = HTTPServerBuilder { responder in
                HTTPSChildChannel(
                    StreamingHTTPChildChannel(base: HTTP1Channel(responder: responder), handler: handler),
                    sslContext: validated)
            }
        }
        let app = Application(
            responder: responder,
            server: server,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.bindAddress, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                do {
                    try await handler.bootstrap()
                } catch {
                    logger.error("API server bootstrap failed", metadata: ["error": "\(error)"])
                }
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger)
        // The server stopping (or failing) stops the cache feed and the RBAC loops; their ending (store closed)
        // does not stop the server, which then serves lists and watches from the store.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            if let cache = handler.watchCache {
                group.addTask {
                    await cache.run()
                    return false
                }
            }
            group.addTask {
                await handler.runBackgroundTasks()
                return false
            }
            group.addTask {
                try await app.run()
                return true
            }
            defer { group.cancelAll() }
            while let serverEnded = try await group.next(), !serverEnded {}
        }
    }
}

/// Adapts Hummingbird requests and responses to `APIRequest` / `APIResponse`.
///
/// Sendable; stateless.
struct HummingbirdAdapter: HTTPResponder {
    typealias Context = ServerRequestContext
    let handler: APIHandler
    let maxBodyBytes: Int

    func respond(to request: Request, context: ServerRequestContext) async throws -> Response {
        var headers: [String: String] = [:]
        var headerLists: [String: [String]] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
            headerLists[field.name.canonicalName, default: []].append(field.value)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            return Self.response(.error(.requestEntityTooLarge("limit is \(maxBodyBytes)")))
        }
        var apiRequest = APIRequest(
            method: request.method.rawValue, path: request.uri.path,
            query: request.uri.query, headers: headers, body: Array(buffer: body))
        apiRequest.headerLists = headerLists
        apiRequest.clientIdentity = await context.clientIdentity()
        return Self.response(await handler.handle(apiRequest))
    }

    static func response(_ response: APIResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        let status = HTTPResponse.Status(code: response.status)
        switch response.body {
        case .bytes(let bytes):
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .stream(let producer):
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                // Bounded: a slow client slows the producer down; a watch then ends its too-slow watcher.
                let queue = StreamChunkQueue(byteLimit: 1 << 20)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        defer { queue.finish() }
                        try await producer { chunk in await queue.push(chunk) }
                    }
                    while let chunk = await queue.next() {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            })
        case .bufferStream(let producer):
            // The writer waits while the channel is not writable, so a slow client slows the producer down.
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                try await producer { buffer in try await writer.write(buffer) }
                try await writer.finish(nil)
            })
        }
    }
}
