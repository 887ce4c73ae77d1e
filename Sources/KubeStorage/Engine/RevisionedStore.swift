import Logging

/// The backend-independent store: checks arguments, routes writes through the single `StoreWriter`, reads
/// through the engine, and serves watches from the `WatchHub` plus the engine's history.
///
/// Thread-safe; every method may be called from any task. `SQLiteStore` and `MemoryStore` are this type
/// over their engines.
final class RevisionedStore: Sendable {
    let engine: any StorageEngine
    let hub: WatchHub
    let writer: StoreWriter

    init(engine: any StorageEngine, configuration: StoreConfiguration, logger: Logger) throws {
        let (current, _) = try engine.loadRevisions()
        self.engine = engine
        self.hub = WatchHub(publishedRevision: current, bufferCapacity: configuration.watchBufferCapacity)
        self.writer = try StoreWriter(
            engine: engine, hub: hub, current: current, configuration: configuration, logger: logger)
    }

    private func checkOpen() throws {
        if writer.isClosing { throw StorageError.unavailable("the store is closed") }
    }

    func currentRevision() throws -> Revision {
        try checkOpen()
        return writer.currentRevision
    }

    func compactRevision() async throws -> Revision {
        try checkOpen()
        return try await engine.revisions().compact
    }

    func get(_ key: String, at revision: Revision?) async throws -> ReadResult {
        try checkOpen()
        return try await engine.read(.key(key), at: try Self.normalized(revision), limit: nil, keysOnly: false)
    }

    func range(_ range: KeyRange, at revision: Revision?, limit: Int?, keysOnly: Bool) async throws -> ReadResult {
        try checkOpen()
        if let limit, limit < 0 { throw StorageError.invalidArgument("limit must not be negative, got \(limit)") }
        return try await engine.read(
            range, at: try Self.normalized(revision), limit: limit == 0 ? nil : limit, keysOnly: keysOnly)
    }

    func count(_ range: KeyRange, at revision: Revision?) async throws -> CountResult {
        try checkOpen()
        return try await engine.count(range, at: try Self.normalized(revision))
    }

    /// Revision 0 means "current", as in etcd; negative revisions are invalid.
    private static func normalized(_ revision: Revision?) throws -> Revision? {
        guard let revision else { return nil }
        if revision < 0 { throw StorageError.invalidArgument("revision must not be negative, got \(revision)") }
        return revision == 0 ? nil : revision
    }

    func write(_ request: WriteRequest) async throws -> WriteOutcome {
        if request.key.isEmpty { throw StorageError.invalidArgument("key must not be empty") }
        switch request {
        case .create(_, let value, let ttl), .update(_, let value, _, let ttl):
            try StoreLimits.checkValueSize(value)
            if let ttl, ttl <= 0 { throw StorageError.invalidArgument("ttlSeconds must be positive, got \(ttl)") }
        case .delete:
            break
        }
        return try await writer.submit(request)
    }

    func watch(_ range: KeyRange, from start: Revision, prevKV: Bool) -> WatchStream {
        guard start >= 0 else {
            return WatchStream(failure: StorageError.invalidArgument("watch start revision must not be negative"))
        }
        guard let (subscription, published) = hub.register(range: range, prevKV: prevKV) else {
            return WatchStream(failure: StorageError.unavailable("the store is closed"))
        }
        let effectiveStart = start == 0 ? published + 1 : start
        return WatchStream(
            subscription: subscription, hub: hub, source: engine, start: effectiveStart, replayThrough: published)
    }

    func requestProgress() throws {
        try checkOpen()
        hub.progress()
    }

    func compact(to revision: Revision) async throws {
        try checkOpen()
        try await writer.compact(to: revision)
    }

    func close() async {
        await writer.close()
    }
}

/// A `KeyValueStore` whose behaviour is a `RevisionedStore`; the conformance comes from this protocol's
/// extension so that every backend forwards identically.
protocol RevisionedStoreBacked: KeyValueStore {
    var core: RevisionedStore { get }
}

extension RevisionedStoreBacked {
    public func currentRevision() async throws -> Revision { try core.currentRevision() }
    public func compactRevision() async throws -> Revision { try await core.compactRevision() }
    public func get(_ key: String, at revision: Revision?) async throws -> ReadResult {
        try await core.get(key, at: revision)
    }
    public func range(_ range: KeyRange, at revision: Revision?, limit: Int?, keysOnly: Bool) async throws
        -> ReadResult
    {
        try await core.range(range, at: revision, limit: limit, keysOnly: keysOnly)
    }
    public func count(_ range: KeyRange, at revision: Revision?) async throws -> CountResult {
        try await core.count(range, at: revision)
    }
    public func create(_ key: String, value: [UInt8], ttlSeconds: Int64?) async throws -> WriteOutcome {
        try await core.write(.create(key: key, value: value, ttlSeconds: ttlSeconds))
    }
    public func update(_ key: String, value: [UInt8], expectedModRevision: Revision, ttlSeconds: Int64?)
        async throws -> WriteOutcome
    {
        try await core.write(
            .update(key: key, value: value, expectedModRevision: expectedModRevision, ttlSeconds: ttlSeconds))
    }
    public func delete(_ key: String, expectedModRevision: Revision?) async throws -> WriteOutcome {
        try await core.write(.delete(key: key, expectedModRevision: expectedModRevision))
    }
    public func watch(_ range: KeyRange, from start: Revision, prevKV: Bool) -> WatchStream {
        core.watch(range, from: start, prevKV: prevKV)
    }
    public func requestProgress() async throws { try core.requestProgress() }
    public func compact(to revision: Revision) async throws { try await core.compact(to: revision) }
    public func close() async { await core.close() }

}
