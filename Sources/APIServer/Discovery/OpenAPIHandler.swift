import KubeCore
import Synchronization

/// OpenAPI v3: `GET /openapi/v3` lists every group-version with a `?hash=` of its document (FNV-1a, so the
/// URL changes whenever the document does: kubectl caches by URL); `GET /openapi/v3/api/v1` and
/// `/openapi/v3/apis/<group>/<version>` serve the documents ``OpenAPIDocument`` builds from KubeAPI's
/// schemas. Each document is built once per process (per distinct set of served resources) and cached.
///
/// Value type; Sendable. The cache is a process-wide static behind a `Mutex` (thread-safe).
struct OpenAPIHandler: Sendable {
    let catalog: ResourceCatalog

    func handle(_ request: APIRequest) throws -> APIResponse {
        if request.path == "/openapi/v3" || request.path == "/openapi/v3/" {
            var paths: [String: JSONValue] = [:]
            for group in catalog.groups {
                for version in catalog.versions(of: group) {
                    let name = group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
                    let hash = entry(group: group, version: version).hash
                    paths[name] = ["serverRelativeURL": .string("/openapi/v3/\(name)?hash=\(hash)")]
                }
            }
            return .json(["paths": .object(paths)])
        }
        let name = String(request.path.dropFirst("/openapi/v3/".count))
        let parts = name.split(separator: "/").map(String.init)
        let group: String
        let version: String
        if parts.count == 2, parts[0] == "api" {
            group = ""
            version = parts[1]
        } else if parts.count == 3, parts[0] == "apis" {
            group = parts[1]
            version = parts[2]
        } else {
            throw APIHandler.notFound
        }
        guard !catalog.resources(group: group, version: version).isEmpty else { throw APIHandler.notFound }
        let cached = entry(group: group, version: version)
        var headers = [("Content-Type", APIResponse.jsonContentType)]
        if let query = request.query, query.contains("hash=\(cached.hash)") {
            headers.append(("Cache-Control", "public, immutable"))
        } else {
            headers.append(("Cache-Control", "no-cache, private"))
        }
        headers.append(("Etag", "\"\(cached.hash)\""))
        return APIResponse(status: 200, headers: headers, body: .bytes(cached.bytes))
    }

    /// The document of one group-version (built on first use, then cached).
    func document(group: String, version: String) -> JSONValue {
        entry(group: group, version: version).document
    }

    private func entry(group: String, version: String) -> OpenAPICache.Entry {
        let resources = catalog.resources(group: group, version: version)
        let key = OpenAPICache.key(group: group, version: version, resources: resources)
        return Self.cache.entry(key) { OpenAPIDocument.build(group: group, version: version, resources: resources) }
    }

    private static let cache = OpenAPICache()

    /// FNV-1a of the document, so the URL changes whenever the document does (kubectl caches by URL).
    static func hash(_ bytes: [UInt8]) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Built OpenAPI documents, keyed by group-version and the served resources' discovery facts (so servers
/// with different catalogs in one process never share a stale document).
///
/// Thread-safe: a `Mutex` guards the dictionary; a document is built outside the lock, and the first
/// one stored wins, so concurrent first requests may both build but all callers see the same entry.
final class OpenAPICache: Sendable {
    /// One built document, its compact JSON and the hash of that JSON.
    struct Entry: Sendable {
        let document: JSONValue
        let bytes: [UInt8]
        let hash: String
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The cached entry for `key`, building (outside the lock) and storing it on first use.
    func entry(_ key: String, build: () -> JSONValue) -> Entry {
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let document = build()
        let bytes = document.jsonBytes
        let built = Entry(document: document, bytes: bytes, hash: OpenAPIHandler.hash(bytes))
        return entries.withLock { stored in
            if let existing = stored[key] { return existing }
            stored[key] = built
            return built
        }
    }

    /// Identifies a document: the group-version and every fact of its resources the document depends on.
    static func key(group: String, version: String, resources: [ServedResource]) -> String {
        var key = "\(group)/\(version)"
        for resource in resources {
            key += "|\(resource.kind),\(resource.listKind),\(resource.plural),\(resource.namespaced),"
            key += resource.verbs.joined(separator: " ")
            for subresource in resource.subresources {
                key += ",\(subresource.name):\(subresource.group)/\(subresource.version)/\(subresource.kind):"
                key += subresource.verbs.joined(separator: " ")
            }
        }
        return key
    }
}
