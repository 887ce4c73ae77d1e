/// One conditional mutation, as the writer hands it to a `StorageEngine`.
///
/// Value type; Sendable.
enum WriteRequest: Sendable {
    /// Create if absent (compare mod_revision == 0).
    case create(key: String, value: [UInt8], ttlSeconds: Int64?)
    /// Update if the mod revision matches.
    case update(key: String, value: [UInt8], expectedModRevision: Revision, ttlSeconds: Int64?)
    /// Delete if the mod revision matches (nil = any).
    case delete(key: String, expectedModRevision: Revision?)

    var key: String {
        switch self {
        case .create(let key, _, _), .update(let key, _, _, _), .delete(let key, _): key
        }
    }
}

/// What one `WriteRequest` did: its outcome for the caller and, when it committed, the event for watchers.
///
/// Value type; Sendable.
struct AppliedWrite: Sendable {
    var outcome: WriteOutcome
    var event: StoreEvent?
}

/// A key whose TTL deadline has passed, with the revision that carried the TTL.
///
/// Value type; Sendable.
struct ExpiredKey: Sendable, Equatable {
    var key: String
    var modRevision: Revision
}
