import Foundation
public import KubeCore
public import KubeSecurity
public import NIOCore

/// An HTTP request as the API handlers see it, independent of the HTTP server library.
///
/// Value type; Sendable.
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String?
    /// Header names in lower case (the last value of a repeated header).
    public var headers: [String: String]
    /// Every value of each header, in order, keyed by the lower-case name (for headers that may repeat,
    /// such as `Impersonate-Group`); empty when the request was built without them.
    public var headerLists: [String: [String]] = [:]
    public var body: [UInt8]
    /// Who the verified TLS client certificate names, if the client presented one.
    public var clientIdentity: ClientIdentity?
    /// The authenticated caller, set by the handler before routing.
    public internal(set) var user: UserInfo = .anonymous

    public init(method: String, path: String, query: String? = nil, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    var accept: String { headers["accept"] ?? "" }

    /// Every value of header `name` (lower case), in order.
    func headerValues(_ name: String) -> [String] {
        headerLists[name] ?? headers[name].map { [$0] } ?? []
    }

    /// The token of an `Authorization: Bearer <token>` header, if any.
    var bearerToken: String? {
        guard let value = headers["authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
    var contentType: String { headers["content-type"] ?? "application/json" }

    /// Whether the client asked for a `meta.k8s.io` Table.
    var wantsTable: Bool { accept.contains("as=Table") }

    /// The aggregated-discovery version the client accepts (`v2`, or `v2beta1` for kubectl ≤ 1.29), if any.
    var aggregatedDiscoveryVersion: String? {
        for mediaType in accept.split(separator: ",") where mediaType.contains("as=APIGroupDiscoveryList") {
            let parameters = mediaType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            if parameters.contains("v=v2") { return "v2" }
            if parameters.contains("v=v2beta1") { return "v2beta1" }
        }
        return nil
    }
}

/// An HTTP response from the API handlers.
///
/// Value type; Sendable. A streaming body is a producer that calls `emit` once per chunk (each chunk is
/// flushed to the client) and returns when the stream ends.
public struct APIResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        case stream(@Sendable (_ emit: @escaping @Sendable ([UInt8]) async -> Void) async throws -> Void)
        /// A long body written straight into the buffers the HTTP server sends (a big list), so that no
        /// chunk is copied on its way to the socket. The producer calls `emit` from its own task, in order;
        /// `emit` throws once the client is gone, and the producer stops then.
        case bufferStream(@Sendable (_ emit: (ByteBuffer) async throws -> Void) async throws -> Void)

        /// The body as byte-array chunks, whichever way it is held (for callers outside the HTTP server): a
        /// whole body is one chunk.
        public var byteChunks: @Sendable (_ emit: @escaping @Sendable ([UInt8]) async -> Void) async throws -> Void {
            switch self {
            case .bytes(let bytes):
                { emit in await emit(bytes) }
            case .stream(let produce):
                produce
            case .bufferStream(let produce):
                { emit in try await produce { buffer in await emit(Array(buffer.readableBytesView)) } }
            }
        }
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body

    public init(status: Int, headers: [(String, String)] = [], body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static let jsonContentType = "application/json"

    /// A JSON body.
    static func json(_ value: JSONValue, status: Int = 200, warnings: [String] = []) -> APIResponse {
        json(bytes: value.jsonBytes, status: status, warnings: warnings)
    }

    /// A JSON body already written.
    static func json(bytes: [UInt8], status: Int = 200, warnings: [String] = []) -> APIResponse {
        var headers = [("Content-Type", jsonContentType)]
        for warning in warnings {
            headers.append(("Warning", "299 - \"\(warning.replacingOccurrences(of: "\"", with: "\\\""))\""))
        }
        return APIResponse(status: status, headers: headers, body: .bytes(bytes))
    }

    /// A `Status` error body.
    static func error(_ error: APIError) -> APIResponse {
        var headers = [("Content-Type", jsonContentType)]
        if let retry = error.status.details?.retryAfterSeconds, retry > 0 {
            headers.append(("Retry-After", String(retry)))
        }
        let bytes = (try? KubeJSON.encode(error.status)).map { [UInt8]($0) } ?? []
        return APIResponse(status: error.httpStatusCode, headers: headers, body: .bytes(bytes))
    }

    /// A plain-text body (health checks).
    static func text(_ text: String, status: Int = 200) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Array(text.utf8)))
    }
}
