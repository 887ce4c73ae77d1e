/// A revisioned key-value store with etcd's MVCC semantics: bytes in, bytes out, no Kubernetes types.
///
/// Conforming types are safe to call from any task. Semantics every backend matches exactly
/// (docs/ARCHITECTURE.md, "Storage contract"):
/// 1. The revision starts at 1; every committed mutation (also a TTL-expiry delete) raises it by exactly 1;
///    failed compares and reads use none.
/// 2. Create sets createRevision = modRevision = rev, version = 1; update keeps createRevision, version += 1;
///    delete writes a tombstone event at a new revision; a re-create starts again at version 1.
/// 3. `ReadResult.revision` is the current revision, also for historical reads.
/// 4. Historical reads fail below the compact revision and above the current revision.
/// 5. Ranges are in byte order; `count` ignores `limit`.
/// 6. Watches deliver every event with modRevision >= start, in order, no gaps, no duplicates.
/// 7. A conflict returns the current KV. 8. Values over 1.5 MiB are rejected.
/// 9. TTLs are wall-clock deadlines persisted with the value; a restart does not extend them.
public protocol KeyValueStore: Sendable {
    /// The revision of the last committed write.
    func currentRevision() async throws -> Revision

    /// The revision below which history has been compacted (reads at it still work).
    func compactRevision() async throws -> Revision

    /// One key, at the current revision or at `revision`.
    func get(_ key: String, at revision: Revision?) async throws -> ReadResult

    /// Keys in `range` in byte order, at most `limit` (nil or 0 = all), at the current revision or at
    /// `revision`. With `keysOnly` the values are empty.
    func range(_ range: KeyRange, at revision: Revision?, limit: Int?, keysOnly: Bool) async throws -> ReadResult

    /// The number of keys in `range`, at the current revision or at `revision`.
    func count(_ range: KeyRange, at revision: Revision?) async throws -> CountResult

    /// Creates `key` if it does not exist (etcd: compare `mod_revision == 0`). A TTL deletes the key at that
    /// wall-clock deadline.
    func create(_ key: String, value: [UInt8], ttlSeconds: Int64?) async throws -> WriteOutcome

    /// Replaces `key` if its mod revision is `expectedModRevision`.
    func update(_ key: String, value: [UInt8], expectedModRevision: Revision, ttlSeconds: Int64?) async throws
        -> WriteOutcome

    /// Deletes `key` if its mod revision is `expectedModRevision` (nil = whatever it is). A missing key is a
    /// conflict with `current: nil`.
    func delete(_ key: String, expectedModRevision: Revision?) async throws -> WriteOutcome

    /// Events in `range` with modRevision >= `start` (0 = from now on). Fails with `.compacted` when `start`
    /// is below the compact revision. The stream's buffer is bounded; a reader that falls behind gets
    /// `.watcherTooSlow` instead of blocking writers.
    func watch(_ range: KeyRange, from start: Revision, prevKV: Bool) -> WatchStream

    /// Sends `.progress(current)` to every open watch once everything up to `current` is queued for it.
    func requestProgress() async throws

    /// Discards history below `revision`. Throws `.compacted` when already compacted to `revision` or
    /// beyond, `.futureRevision` above the current revision.
    func compact(to revision: Revision) async throws

    /// Stops the store: pending writes finish, later calls fail with `.unavailable`, watches end.
    func close() async
}

extension KeyValueStore {
    /// One key at the current revision, or nil.
    public func get(_ key: String) async throws -> KeyValue? {
        try await get(key, at: nil).kvs.first
    }

    /// Creates `key` without a TTL.
    public func create(_ key: String, value: [UInt8]) async throws -> WriteOutcome {
        try await create(key, value: value, ttlSeconds: nil)
    }

    /// Replaces `key` without a TTL if its mod revision matches.
    public func update(_ key: String, value: [UInt8], expectedModRevision: Revision) async throws -> WriteOutcome {
        try await update(key, value: value, expectedModRevision: expectedModRevision, ttlSeconds: nil)
    }

    /// All keys in `range` at the current revision.
    public func range(_ range: KeyRange) async throws -> ReadResult {
        try await self.range(range, at: nil, limit: nil, keysOnly: false)
    }
}
