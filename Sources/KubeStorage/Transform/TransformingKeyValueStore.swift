/// A `KeyValueStore` that stores the values of keys under `keyPrefixes` transformed (encrypted) in its
/// `base` store and hands out the original values on every read: `get`, `range`, write outcomes and watch
/// events (`kv` and `previous`). Other keys pass straight through. Revisions, compare-and-swap and watch
/// semantics are the base store's, unchanged: the wrapper only rewrites values.
///
/// A value the transformer cannot read back fails the read (or ends the watch) with
/// `StorageError.transformFailed` naming the key. Stored values grow by the transformer's overhead, so the
/// base store's value limit applies to the transformed size, as etcd's does upstream.
///
/// Value type; Sendable; safe to call from any task (the base store and the transformer are).
public struct TransformingKeyValueStore: KeyValueStore {
    /// The store holding the transformed values.
    public let base: any KeyValueStore
    /// What turns values into stored bytes and back.
    public let transformer: any ValueTransformer
    /// Keys that start with one of these have their values transformed; "" covers every key.
    public let keyPrefixes: [String]

    public init(base: any KeyValueStore, transformer: any ValueTransformer, keyPrefixes: [String]) {
        self.base = base
        self.transformer = transformer
        self.keyPrefixes = keyPrefixes
    }

    /// Whether values under `key` are transformed.
    public func transforms(_ key: String) -> Bool {
        keyPrefixes.contains { key.utf8.starts(with: $0.utf8) }
    }

    /// `kv` as read from `base`, with the value readers of this store see (for tools that inspect the
    /// stored form and then rewrite).
    public func readable(_ kv: KeyValue) throws -> KeyValue {
        try fromStorage(kv)
    }

    // MARK: Values in and out

    func toStorage(_ value: [UInt8], key: String) throws -> [UInt8] {
        guard transforms(key) else { return value }
        do {
            return try transformer.transformToStorage(value, key: key)
        } catch {
            throw StorageError.transformFailed(key: key, reason: "\(error)")
        }
    }

    func fromStorage(_ kv: KeyValue) throws -> KeyValue {
        guard transforms(kv.key), !kv.value.isEmpty else { return kv }
        var plain = kv
        do {
            plain.value = try transformer.transformFromStorage(kv.value, key: kv.key)
        } catch {
            throw StorageError.transformFailed(key: kv.key, reason: "\(error)")
        }
        return plain
    }

    func fromStorage(_ outcome: WriteOutcome) throws -> WriteOutcome {
        switch outcome {
        case .committed(let revision, let previous):
            .committed(revision: revision, previous: try previous.map(fromStorage))
        case .conflict(let current, let revision):
            .conflict(current: try current.map(fromStorage), revision: revision)
        }
    }

    func fromStorage(_ event: StoreEvent) throws -> StoreEvent {
        StoreEvent(kind: event.kind, kv: try fromStorage(event.kv), previous: try event.previous.map(fromStorage))
    }

    // MARK: KeyValueStore

    public func currentRevision() async throws -> Revision { try await base.currentRevision() }

    public func compactRevision() async throws -> Revision { try await base.compactRevision() }

    public func get(_ key: String, at revision: Revision?) async throws -> ReadResult {
        var result = try await base.get(key, at: revision)
        result.kvs = try result.kvs.map(fromStorage)
        return result
    }

    public func range(_ range: KeyRange, at revision: Revision?, limit: Int?, keysOnly: Bool) async throws
        -> ReadResult
    {
        var result = try await base.range(range, at: revision, limit: limit, keysOnly: keysOnly)
        if !keysOnly { result.kvs = try result.kvs.map(fromStorage) }
        return result
    }

    public func count(_ range: KeyRange, at revision: Revision?) async throws -> CountResult {
        try await base.count(range, at: revision)
    }

    public func create(_ key: String, value: [UInt8], ttlSeconds: Int64?) async throws -> WriteOutcome {
        let stored = try toStorage(value, key: key)
        return try fromStorage(try await base.create(key, value: stored, ttlSeconds: ttlSeconds))
    }

    public func update(_ key: String, value: [UInt8], expectedModRevision: Revision, ttlSeconds: Int64?)
        async throws -> WriteOutcome
    {
        let stored = try toStorage(value, key: key)
        return try fromStorage(
            try await base.update(key, value: stored, expectedModRevision: expectedModRevision, ttlSeconds: ttlSeconds))
    }

    public func delete(_ key: String, expectedModRevision: Revision?) async throws -> WriteOutcome {
        try fromStorage(try await base.delete(key, expectedModRevision: expectedModRevision))
    }

    public func watch(_ range: KeyRange, from start: Revision, prevKV: Bool) -> WatchStream {
        let store = self
        return base.watch(range, from: start, prevKV: prevKV).mappingEvents { try store.fromStorage($0) }
    }

    public func requestProgress() async throws { try await base.requestProgress() }

    public func compact(to revision: Revision) async throws { try await base.compact(to: revision) }

    public func close() async { await base.close() }
}
