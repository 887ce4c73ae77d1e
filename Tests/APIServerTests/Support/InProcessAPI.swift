@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Logging

/// An `APIHandler` over a `MemoryStore`, bootstrapped (default namespaces), called without a network:
/// JSON in, status and JSON out.
///
/// Sendable; each call is an independent request.
struct InProcessAPI: Sendable {
    let handler: APIHandler
    let store: MemoryStore

    init(store: MemoryStore = MemoryStore(), security: RequestSecurity = .allowAll,
         serviceAccounts: ServiceAccountSettings? = nil) async throws {
        self.store = store
        handler = APIHandler(catalog: BuiltinResources.catalog(), store: store,
                             logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                             security: security, serviceAccounts: serviceAccounts)
        try await handler.bootstrap()
    }

    struct Reply {
        var status: Int
        var body: JSONValue
        var text: String
    }

    func send(_ method: String, _ path: String, query: String? = nil, json: String? = nil,
              contentType: String = "application/json", bearerToken: String? = nil) async throws -> Reply {
        var headers = json == nil ? [:] : ["content-type": contentType]
        if let bearerToken { headers["authorization"] = "Bearer " + bearerToken }
        let request = APIRequest(method: method, path: path, query: query, headers: headers,
                                 body: Array((json ?? "").utf8))
        let response = await handler.handle(request)
        guard case .bytes(let bytes) = response.body else { return Reply(status: response.status, body: .null, text: "") }
        let text = String(decoding: bytes, as: UTF8.self)
        return Reply(status: response.status, body: (try? JSONValueParser.parse(bytes)) ?? .null, text: text)
    }

    /// Sends and requires a 2xx status.
    @discardableResult
    func ok(_ method: String, _ path: String, query: String? = nil, json: String? = nil,
            contentType: String = "application/json") async throws -> JSONValue {
        let reply = try await send(method, path, query: query, json: json, contentType: contentType)
        guard (200..<300).contains(reply.status) else { throw InProcessAPIError.status(reply.status, reply.text) }
        return reply.body
    }
}

enum InProcessAPIError: Error, CustomStringConvertible {
    case status(Int, String)

    var description: String {
        switch self {
        case .status(let code, let body): "HTTP \(code): \(body)"
        }
    }
}
