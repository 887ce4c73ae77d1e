import KubeStorage

/// A store under test, seen through the few operations the workloads need.
///
/// Concurrency contract: Sendable; `makeSession()`, `commitCount()` and `close()` are called from the
/// benchmark's driving task, one at a time. Sessions are then used concurrently, one task per session.
protocol BenchmarkBackend: Sendable {
    /// A column title for the report.
    var name: String { get }
    /// One client, used by one task at a time (a connection for etcd).
    func makeSession() async throws -> any BenchmarkSession
    /// Durable commits (WAL fsyncs) so far, or nil when the backend cannot tell.
    func commitCount() async -> Int?
    /// Stores `count` keys `prefix + index` with `value` as fast as the backend allows (untimed setup).
    func load(prefix: String, count: Int, value: [UInt8]) async throws
    func close() async
}

/// The outcome of a conditional write: the new mod revision, or the current one after a failed compare.
enum BenchmarkWrite: Sendable, Equatable {
    case committed(Revision)
    case conflict(current: Revision?)
}

/// One client of a `BenchmarkBackend`.
///
/// Concurrency contract: Sendable, but used by one task at a time; calls never overlap. Blocking work
/// happens off the cooperative pool.
protocol BenchmarkSession: Sendable {
    /// Creates `key` if absent (compare mod revision == 0).
    func create(_ key: String, value: [UInt8]) async throws -> BenchmarkWrite
    /// Replaces `key` if its mod revision is `expected`.
    func update(_ key: String, value: [UInt8], expected: Revision) async throws -> BenchmarkWrite
    /// Reads one key; returns its value size, or nil when absent.
    func get(_ key: String) async throws -> Int?
    /// Reads every key with `prefix` (values included); returns how many came back.
    func list(prefix: String) async throws -> Int
    func close() async
}
