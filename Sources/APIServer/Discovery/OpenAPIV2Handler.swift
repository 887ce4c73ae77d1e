import Foundation
import KubeCore

/// `GET /openapi/v2`: the Swagger 2.0 document of every served group-version (``OpenAPIV2Document``),
/// negotiated like kube-apiserver's handler. The Accept clauses are taken by quality (then the more
/// specific first) and the first one matching `application/json`, the protobuf media type client-go
/// sends (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`) or its newer spelling
/// (`….spec.v2.v1.0+protobuf`) picks the encoding; `*/*` and no Accept give JSON, anything else is 406.
/// Protobuf answers carry `Content-Type: application/com.github.proto-openapi.spec.v2.v1.0+protobuf`.
/// Both encodings share one `Etag`; a request whose `If-None-Match` names it gets 304 without a body.
///
/// Value type; Sendable. The document lives in the server's ``OpenAPIV2Cache`` (thread-safe).
struct OpenAPIV2Handler: Sendable {
    let catalog: ResourceCatalog
    let cache: OpenAPIV2Cache

    static let protobufContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
    static let protobufContentTypeDeprecated = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"

    enum Encoding: Sendable, Equatable {
        case json
        case protobuf
    }

    private static let offered: [(type: String, subtype: String, encoding: Encoding)] = [
        ("application", "json", .json),
        ("application", "com.github.proto-openapi.spec.v2@v1.0+protobuf", .protobuf),
        ("application", "com.github.proto-openapi.spec.v2.v1.0+protobuf", .protobuf),
    ]

    func handle(_ request: APIRequest) throws -> APIResponse {
        guard let encoding = Self.encoding(accept: request.accept) else {
            throw APIError.notAcceptable(accepted: [
                APIResponse.jsonContentType, Self.protobufContentTypeDeprecated, Self.protobufContentType,
            ])
        }
        let entry = cache.entry(catalog: catalog)
        var headers = [("Etag", entry.etag), ("Vary", "Accept")]
        if Self.matches(ifNoneMatch: request.headers["if-none-match"], etag: entry.etag) {
            return APIResponse(status: 304, headers: headers, body: .bytes([]))
        }
        switch encoding {
        case .json:
            headers.insert(("Content-Type", APIResponse.jsonContentType), at: 0)
            return APIResponse(status: 200, headers: headers, body: .bytes(entry.json))
        case .protobuf:
            headers.insert(("Content-Type", Self.protobufContentType), at: 0)
            return APIResponse(status: 200, headers: headers, body: .bytes(entry.protobuf))
        }
    }

    /// The encoding the Accept header asks for, nil when it accepts none of the offered media types.
    static func encoding(accept: String) -> Encoding? {
        let trimmed = accept.trimmingCharacters(in: .whitespaces)
        var clauses: [(type: String, subtype: String, quality: Double, position: Int)] = []
        for (position, clause) in (trimmed.isEmpty ? "*/*" : trimmed).split(separator: ",").enumerated() {
            let parameters = clause.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let mediaType = parameters.first, !mediaType.isEmpty else { continue }
            var quality = 1.0
            for parameter in parameters.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0 else { continue }
            let parts = mediaType.lowercased().split(separator: "/", maxSplits: 1).map(String.init)
            clauses.append((parts[0], parts.count > 1 ? parts[1] : "*", quality, position))
        }
        func specificity(_ clause: (type: String, subtype: String, quality: Double, position: Int)) -> Int {
            (clause.type == "*" ? 0 : 1) + (clause.subtype == "*" ? 0 : 1)
        }
        clauses.sort {
            if $0.quality != $1.quality { return $0.quality > $1.quality }
            if specificity($0) != specificity($1) { return specificity($0) > specificity($1) }
            return $0.position < $1.position
        }
        for clause in clauses {
            for offer in offered
            where (clause.type == offer.type || clause.type == "*")
                && (clause.subtype == offer.subtype || clause.subtype == "*")
            {
                return offer.encoding
            }
        }
        return nil
    }

    /// Whether `If-None-Match` (a list of entity tags, weak or strong, or `*`) names `etag`.
    static func matches(ifNoneMatch: String?, etag: String) -> Bool {
        guard let ifNoneMatch else { return false }
        for candidate in ifNoneMatch.split(separator: ",") {
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            if tag == etag { return true }
        }
        return false
    }
}
