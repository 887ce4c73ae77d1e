/// One HTTP request to the Kubernetes API, independent of how it travels.
///
/// Value type; Sendable.
public struct TransportRequest: Sendable {
    public var method: String
    /// The path without the query, e.g. `/api/v1/namespaces/default/pods`.
    public var path: String
    /// The query string without `?`, already percent-encoded; nil for none.
    public var query: String?
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: String? = nil, headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// A complete response: status code and body.
///
/// Value type; Sendable.
public struct TransportResponse: Sendable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

/// A streaming response (a watch): the status code, then body chunks as the server flushes them.
///
/// Sendable. Dropping or cancelling the iteration of ``chunks`` closes the stream on the server side.
public struct TransportStream: Sendable {
    public var status: Int
    public var chunks: AsyncThrowingStream<[UInt8], any Error>

    public init(status: Int, chunks: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.chunks = chunks
    }
}

/// How API requests reach the API server: in process (the server's handler called directly, as the
/// identity of a built-in component) or over HTTPS.
///
/// Implementations are thread-safe.
public protocol APITransport: Sendable {
    /// Sends a request and returns its whole response.
    func send(_ request: TransportRequest) async throws -> TransportResponse

    /// Sends a request whose response is a stream (a watch). A non-2xx status comes back with the whole
    /// error body as its only chunk.
    func stream(_ request: TransportRequest) async throws -> TransportStream
}
