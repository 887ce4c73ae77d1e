import KubeCore
import Synchronization

/// The `/openapi/v2` document of one server, built on first use: its compact JSON, the same document as
/// gnostic protobuf, and the entity tag both share (the FNV-1a hash of the JSON, computed once).
///
/// Thread-safe: a `Mutex` guards the built entry; the document is built outside the lock and the first
/// one stored wins, so concurrent first requests may both build but every caller sees the same entry.
final class OpenAPIV2Cache: Sendable {
    /// The built document in both encodings.
    struct Entry: Sendable {
        let json: [UInt8]
        let protobuf: [UInt8]
        /// The quoted entity tag, e.g. `"0123456789ABCDEF"`.
        let etag: String
    }

    private let built = Mutex<Entry?>(nil)

    init() {}

    /// The entry, building it from `catalog` on first use.
    func entry(catalog: ResourceCatalog) -> Entry {
        entry { OpenAPIV2Document.build(catalog: catalog) }
    }

    /// The entry, building it from the document `build` returns on first use.
    func entry(build: () -> JSONValue) -> Entry {
        if let cached = built.withLock({ $0 }) { return cached }
        let document = build()
        let json = document.jsonBytes
        let entry = Entry(json: json, protobuf: OpenAPIV2Protobuf.encode(document),
                          etag: "\"\(OpenAPIHandler.hash(json))\"")
        return built.withLock { stored in
            if let existing = stored { return existing }
            stored = entry
            return entry
        }
    }
}
