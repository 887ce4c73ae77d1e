import KubeCore

/// What the watch cache knows about one namespace, for the namespace lifecycle check of creates.
///
/// Value type; Sendable.
enum CachedNamespaceState: Sendable, Equatable {
    /// The cache holds the namespace and it is neither being deleted nor `Terminating`.
    case active
    /// The cache holds the namespace and it has a `deletionTimestamp` or phase `Terminating`.
    case terminating
    /// No watch cache, a cache that is not ready, or a cache without the namespace: ask the store.
    case unknown
}

extension APIHandler {
    /// The namespace `name` as the watch cache holds it (upstream NamespaceLifecycle reads its informer
    /// cache first and reads live only when the cache does not have the namespace). Like an informer, the
    /// cache may trail the store by a moment.
    func cachedNamespaceState(_ name: String, namespaces: ServedResource) -> CachedNamespaceState {
        guard let entry = watchCache?.object(namespaces, namespace: nil, name: name) else { return .unknown }
        // Stored bytes that name neither a deletionTimestamp nor Terminating (and escape nothing that could
        // spell them) are an active namespace without parsing.
        if !Self.mayNameTermination(entry.value) { return .active }
        guard let object = try? JSONValueParser.parse(entry.value) else { return .unknown }
        return Self.isTerminating(namespace: object) ? .terminating : .active
    }

    /// Whether JSON bytes contain `deletionTimestamp`, `Terminating` or a `\u` escape.
    static func mayNameTermination(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.contains(subsequence: deletionTimestampBytes) || buffer.contains(subsequence: terminatingBytes)
                || buffer.contains(subsequence: unicodeEscapeBytes)
        }
    }

    private static let deletionTimestampBytes = Array("deletionTimestamp".utf8)
    private static let terminatingBytes = Array("Terminating".utf8)
    private static let unicodeEscapeBytes = Array("\\u".utf8)

    /// Whether a Namespace object refuses new content: being deleted, or phase `Terminating`.
    static func isTerminating(namespace object: JSONValue) -> Bool {
        object.isBeingDeleted || object["status"]?["phase"]?.stringValue == "Terminating"
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether `needle` occurs in the buffer (a first-byte scan, then a compare).
    fileprivate func contains(subsequence needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= count else { return false }
        var index = 0
        let last = count - needle.count
        while index <= last {
            if self[index] == first {
                var matched = 1
                while matched < needle.count, self[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}
