public import Foundation
public import KubeAPI
public import KubeCore

/// Typed access to the Kubernetes API: get, list, create, update, patch, delete and watch of any
/// ``KubeResource``, plus raw subresource posts (binding, eviction). Every built-in component (controllers,
/// scheduler, nodes) talks to the API server only through this type.
///
/// Value type; Sendable; thread-safe (the transport is).
public struct APIClient: Sendable {
    public let transport: any APITransport
    /// Sent as `User-Agent`; upstream components send `<binary>/<version> (<os>/<arch>) <component>`.
    public var userAgent: String
    /// Sent as the `fieldManager` query parameter of writes (managedFields).
    public var fieldManager: String?

    public init(transport: any APITransport, userAgent: String, fieldManager: String? = nil) {
        self.transport = transport
        self.userAgent = userAgent
        self.fieldManager = fieldManager
    }

    // MARK: Reads

    public func get<Object: KubeResource>(_ type: Object.Type, namespace: String? = nil, name: String) async throws -> Object {
        let response = try await send("GET", ResourcePath(Object.self, namespace: namespace, name: name))
        return try Self.decode(Object.self, from: response)
    }

    /// The object, or nil when it does not exist.
    public func getIfPresent<Object: KubeResource>(_ type: Object.Type, namespace: String? = nil, name: String)
        async throws -> Object?
    {
        do {
            return try await get(type, namespace: namespace, name: name)
        } catch let error as APIError where error.reason == .notFound {
            return nil
        }
    }

    public func list<Object: KubeResource>(_ type: Object.Type, namespace: String? = nil, options: ListOptions = ListOptions())
        async throws -> ResourceList<Object>
    {
        let response = try await send("GET", ResourcePath(Object.self, namespace: namespace), query: options.queryItems)
        return try Self.decode(ResourceList<Object>.self, from: response)
    }

    // MARK: Writes

    public func create<Object: KubeResource>(_ object: Object) async throws -> Object {
        let path = ResourcePath(Object.self, namespace: Self.namespace(of: object))
        let response = try await send("POST", path, query: writeQuery, body: try Self.encode(object))
        return try Self.decode(Object.self, from: response)
    }

    /// A PUT of the whole object (optimistic concurrency on `metadata.resourceVersion`).
    public func update<Object: KubeResource>(_ object: Object) async throws -> Object {
        let path = ResourcePath(Object.self, namespace: Self.namespace(of: object), name: object.metadata.name)
        let response = try await send("PUT", path, query: writeQuery, body: try Self.encode(object))
        return try Self.decode(Object.self, from: response)
    }

    /// A PUT to the `status` subresource.
    public func updateStatus<Object: KubeResource>(_ object: Object) async throws -> Object {
        let path = ResourcePath(
            Object.self, namespace: Self.namespace(of: object), name: object.metadata.name, subresource: "status")
        let response = try await send("PUT", path, query: writeQuery, body: try Self.encode(object))
        return try Self.decode(Object.self, from: response)
    }

    public func patch<Object: KubeResource>(
        _ type: Object.Type, namespace: String? = nil, name: String, type patchType: PatchType, patch: [UInt8],
        subresource: String? = nil, force: Bool = false
    ) async throws -> Object {
        let path = ResourcePath(Object.self, namespace: namespace, name: name, subresource: subresource)
        var query = writeQuery
        if force { query.append(("force", "true")) }
        let response = try await send("PATCH", path, query: query, body: patch, contentType: patchType.rawValue)
        return try Self.decode(Object.self, from: response)
    }

    /// Deletes an object; returns nothing whether the delete finished or only started (finalizers).
    public func delete<Object: KubeResource>(
        _ type: Object.Type, namespace: String? = nil, name: String, options: DeleteOptions? = nil
    ) async throws {
        let body = try options.map { [UInt8](try KubeJSON.encode($0)) } ?? []
        _ = try await send("DELETE", ResourcePath(Object.self, namespace: namespace, name: name), body: body)
    }

    /// POSTs `body` (a complete JSON object with `apiVersion` and `kind`) to a subresource such as
    /// `pods/binding` or `pods/eviction`; returns the response body.
    @discardableResult
    public func postSubresource<Object: KubeResource>(
        _ type: Object.Type, namespace: String?, name: String, subresource: String, body: [UInt8]
    ) async throws -> [UInt8] {
        let path = ResourcePath(Object.self, namespace: namespace, name: name, subresource: subresource)
        return try await send("POST", path, query: writeQuery, body: body).body
    }

    // MARK: Watch

    /// Watches `Object` from `options.resourceVersion`; the stream ends when the server closes the watch
    /// (its timeout) and throws on transport failures. A `410 Gone` arrives as an ``WatchEvent/error(_:)``.
    public func watch<Object: KubeResource>(
        _ type: Object.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws -> AsyncThrowingStream<WatchEvent<Object>, any Error> {
        let path = ResourcePath(Object.self, namespace: namespace)
        var query = options.queryItems
        query.insert(("watch", "true"), at: 0)
        let request = makeRequest("GET", path.path, query: query, body: [], contentType: nil)
        let stream = try await transport.stream(request)
        guard (200..<300).contains(stream.status) else {
            var body: [UInt8] = []
            for try await chunk in stream.chunks { body += chunk }
            throw Self.error(status: stream.status, body: body)
        }
        return WatchLineDecoder<Object>.events(from: stream.chunks)
    }

    // MARK: Plumbing

    private var writeQuery: [(String, String)] {
        fieldManager.map { [("fieldManager", $0)] } ?? []
    }

    private func makeRequest(_ method: String, _ path: String, query: [(String, String)], body: [UInt8],
                             contentType: String?) -> TransportRequest {
        var headers = ["accept": "application/json", "user-agent": userAgent]
        if !body.isEmpty { headers["content-type"] = contentType ?? "application/json" }
        let queryString = query.isEmpty ? nil : QueryEncoding.encode(query)
        return TransportRequest(method: method, path: path, query: queryString, headers: headers, body: body)
    }

    private func send(_ method: String, _ path: ResourcePath, query: [(String, String)] = [], body: [UInt8] = [],
                      contentType: String? = nil) async throws -> TransportResponse {
        let response = try await transport.send(makeRequest(method, path.path, query: query, body: body,
                                                             contentType: contentType))
        guard (200..<300).contains(response.status) else {
            throw Self.error(status: response.status, body: response.body)
        }
        return response
    }

    /// The `APIError` of a failed response: its `Status` body, or one made from the code and text.
    static func error(status: Int, body: [UInt8]) -> APIError {
        if let decoded = try? KubeJSON.decode(Status.self, from: Data(body)), decoded.code != 0 {
            return APIError(status: decoded)
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        return APIError(status: Status(status: Status.failure, message: "the server responded with status \(status): \(text)",
                                       reason: Self.reason(forHTTPStatus: status), code: Int32(status)))
    }

    /// Upstream `reasonForError` of a response without a `Status` body.
    static func reason(forHTTPStatus status: Int) -> StatusReason {
        switch status {
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 409: .conflict
        case 410: .gone
        case 422: .invalid
        case 429: .tooManyRequests
        case 500: .internalError
        case 503: .serviceUnavailable
        case 504: .timeout
        default: .unknown
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from response: TransportResponse) throws -> Value {
        do {
            return try KubeJSON.decodeTree(Value.self, from: response.body)
        } catch {
            throw APIClientError.undecodableResponse(type: "\(Value.self)", underlying: "\(error)")
        }
    }

    /// JSON of `object` with its `apiVersion` and `kind` first (the generated types do not encode them).
    /// Written from the object's tree (``JSONValueEncoder``), several times faster than `JSONEncoder`.
    static func encode<Object: KubeResource>(_ object: Object) throws -> [UInt8] {
        var tree = try JSONValueEncoder().encode(object)
        let info = Object.resource
        if case .object(var members) = tree {
            members["apiVersion"] = .string(info.apiVersion)
            members["kind"] = .string(info.kind)
            tree = .object(members)
        }
        return JSONValueWriter.bytes(tree)
    }

    static func namespace<Object: KubeResource>(of object: Object) -> String? {
        Object.resource.namespaced ? object.metadata.namespace : nil
    }
}

/// Failures of the client itself (as opposed to API errors, which are ``APIError``).
///
/// Value type; Sendable.
public enum APIClientError: Error, Sendable, CustomStringConvertible {
    /// The server answered 2xx with a body that is not a `type`.
    case undecodableResponse(type: String, underlying: String)

    public var description: String {
        switch self {
        case .undecodableResponse(let type, let underlying):
            "the API server's response is not a valid \(type) (\(underlying)); check that the server is a Kubernetes API server"
        }
    }
}
