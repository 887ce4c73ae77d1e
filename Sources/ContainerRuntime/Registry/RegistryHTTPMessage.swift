import Foundation
import NIOHTTP1

/// One request to a registry or its token service.
///
/// Immutable value; Sendable. ``authorization`` is sent to the request's own host only, never across a redirect
/// to another host (blob downloads are redirected to CDNs).
struct RegistryHTTPRequest: Sendable {
    var method: HTTPMethod
    var url: URL
    var headers: [(name: String, value: String)]
    var authorization: String?

    init(method: HTTPMethod = .GET, url: URL, headers: [(name: String, value: String)] = [],
         authorization: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.authorization = authorization
    }
}

/// A registry's answer: status, headers, the URL that answered (after redirects) and the body when it was
/// collected in memory (error responses always are; successful downloads go to their sink instead).
///
/// Immutable value; Sendable.
struct RegistryHTTPResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var url: URL
    var body: [UInt8]

    var isSuccess: Bool { (200..<300).contains(status) }

    /// The first value of a header (case-insensitive name).
    func header(_ name: String) -> String? { headers[name].first }

    /// Every value of a header (case-insensitive name), e.g. all `WWW-Authenticate` challenges.
    func headerValues(_ name: String) -> [String] { headers[name] }

    /// `404 Not Found`-style reason phrase for messages.
    var statusText: String { HTTPResponseStatus(statusCode: status).reasonPhrase }

    /// The message of a distribution error body (`{"errors":[{"code":"MANIFEST_UNKNOWN","message":…}]}`),
    /// as `code: message` pairs joined by "; ", or nil when the body is not one.
    var registryErrorMessage: String? {
        struct ErrorBody: Decodable {
            struct Item: Decodable { var code: String?; var message: String? }
            var errors: [Item]?
        }
        guard let decoded = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)),
              let errors = decoded.errors, !errors.isEmpty else { return nil }
        return errors.map { item in
            [item.code?.lowercased(), item.message].compactMap { $0 }.joined(separator: ": ")
        }.joined(separator: "; ")
    }
}
