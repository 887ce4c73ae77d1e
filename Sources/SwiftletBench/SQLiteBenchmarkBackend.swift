import KubeStorage

/// The Swiftlet side: a durable `SQLiteStore` (or any `RevisionedStore`-backed store) driven in process.
///
/// Concurrency contract: Sendable; the store itself is thread-safe, so sessions share it.
struct StoreBenchmarkBackend: BenchmarkBackend {
    let name: String
    let store: any KeyValueStore
    /// The store's durable commit counter, when it exposes one.
    let commits: (@Sendable () -> Int)?

    func makeSession() async throws -> any BenchmarkSession { StoreSession(store: store) }

    func commitCount() async -> Int? { commits?() }

    func load(prefix: String, count: Int, value: [UInt8]) async throws {
        let loaders = 64
        try await withThrowingTaskGroup(of: Void.self) { group in
            for loader in 0..<loaders {
                group.addTask {
                    for index in stride(from: loader, to: count, by: loaders) {
                        let outcome = try await store.create(BenchmarkKeys.numbered(prefix, index), value: value)
                        guard outcome.isCommitted else {
                            throw StoreBenchmarkError.unexpected("loading \(prefix)\(index) conflicted")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    func close() async { await store.close() }
}

/// A session on an in-process store: the store's own methods, no extra threads.
///
/// Concurrency contract: Sendable and stateless apart from the shared, thread-safe store.
struct StoreSession: BenchmarkSession {
    let store: any KeyValueStore

    func create(_ key: String, value: [UInt8]) async throws -> BenchmarkWrite {
        Self.convert(try await store.create(key, value: value))
    }

    func update(_ key: String, value: [UInt8], expected: Revision) async throws -> BenchmarkWrite {
        Self.convert(try await store.update(key, value: value, expectedModRevision: expected))
    }

    func get(_ key: String) async throws -> Int? {
        try await store.get(key)?.value.count
    }

    func list(prefix: String) async throws -> Int {
        try await store.range(.prefix(prefix)).kvs.count
    }

    func close() async {}

    private static func convert(_ outcome: WriteOutcome) -> BenchmarkWrite {
        switch outcome {
        case .committed(let revision, _): .committed(revision)
        case .conflict(let current, _): .conflict(current: current?.modRevision)
        }
    }
}

/// Key names shared by both backends, so that both store identical data.
enum BenchmarkKeys {
    /// `prefix` followed by a zero-padded index, so keys sort in index order.
    static func numbered(_ prefix: String, _ index: Int) -> String {
        let digits = String(index)
        return prefix + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
