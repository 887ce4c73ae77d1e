import KubeCore
import KubeSecurity
import Logging
import NIOCore
import NIOHTTP1

/// Answers a WebSocket upgrade request that was not upgraded as plain HTTP, through the API handler (which
/// reports why: 401/403, pod not found, container not valid, unsupported subprotocol, ...), then closes the
/// connection.
///
/// Sendable; one call per refused connection.
struct RefusedUpgradeResponder: Sendable {
    let handler: APIHandler

    /// Answers `head` (NIO's upgrade handler consumes the head of an upgrade request it refuses, so the
    /// pipeline captured it on the way in) and closes the connection. The request's body, if any, is not read:
    /// upgrade requests carry none.
    func answer(_ channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, head: HTTPRequestHead?)
        async
    {
        let identity = await ConnectionIdentity.clientIdentity(of: channel.channel)
        do {
            try await channel.executeThenClose { _, outbound in
                guard let head else {
                    try await write(.error(.badRequest("malformed WebSocket upgrade request")), to: outbound)
                    return
                }
                let response = await handler.handle(Self.apiRequest(head, body: [], clientIdentity: identity))
                try await write(response, to: outbound)
            }
        } catch {
            handler.logger.debug("Answering a refused WebSocket upgrade failed", metadata: ["error": "\(error)"])
        }
    }

    private func write(_ response: APIResponse, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>)
        async throws
    {
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status))
        for (name, value) in response.headers { head.headers.add(name: name, value: value) }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        switch response.body {
        case .bytes(let bytes):
            head.headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            try await outbound.write(.head(head))
            if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
        case .stream(let producer):
            head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            try await outbound.write(.head(head))
            try await producer { chunk in
                try? await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
            }
        case .bufferStream(let producer):
            head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            try await outbound.write(.head(head))
            try await producer { buffer in try await outbound.write(.body(.byteBuffer(buffer))) }
        }
        try await outbound.write(.end(nil))
    }

    /// The handler's view of a request head: lower-case header names, path and query split.
    static func apiRequest(_ head: HTTPRequestHead, body: [UInt8], clientIdentity: ClientIdentity?) -> APIRequest {
        var headers: [String: String] = [:]
        var headerLists: [String: [String]] = [:]
        for (name, value) in head.headers {
            let key = name.lowercased()
            headers[key] = value
            headerLists[key, default: []].append(value)
        }
        let uri = head.uri
        let path: String
        let query: String?
        if let mark = uri.firstIndex(of: "?") {
            path = String(uri[..<mark])
            query = String(uri[uri.index(after: mark)...])
        } else {
            path = uri
            query = nil
        }
        var request = APIRequest(method: head.method.rawValue, path: path, query: query, headers: headers, body: body)
        request.headerLists = headerLists
        request.clientIdentity = clientIdentity
        return request
    }
}
