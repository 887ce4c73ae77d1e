/// Every figure of one storage benchmark run: Swiftlet's SQLite store and, when it ran, etcd.
///
/// Concurrency contract: an immutable value type; Sendable.
public struct StoreBenchmarkReport: Sendable {
    /// The options the run used.
    public let options: StoreBenchmarkOptions
    /// The durable `SQLiteStore`.
    public let swiftlet: StoreBackendFigures
    /// etcd through its v3 JSON gateway, or nil when skipped.
    public let etcd: StoreBackendFigures?
    /// Why etcd was skipped, when it was.
    public let etcdSkippedReason: String?

    /// A readable table of every figure, with etcd side by side and the ratio swiftlet/etcd.
    public func formatted() -> String {
        BenchmarkTable.render(self)
    }
}

/// The figures of one backend.
///
/// Concurrency contract: an immutable value type; Sendable.
public struct StoreBackendFigures: Sendable {
    /// "swiftlet" or "etcd".
    public let name: String
    /// Closed-loop creates, one entry per writer count.
    public let creates: [WritePhaseFigures]
    /// Closed-loop compare-and-swap updates, one entry per writer count.
    public let updates: [WritePhaseFigures]
    /// Writes offered at a fixed rate.
    public let openLoop: OpenLoopFigures
    /// Single-key reads, one at a time.
    public let get: LatencySummary
    /// Full-range lists, one entry per list size.
    public let lists: [ListFigures]
}

/// One closed-loop write phase: `writers` concurrent writers, each waiting for its write before the next.
///
/// Concurrency contract: an immutable value type; Sendable.
public struct WritePhaseFigures: Sendable {
    public let writers: Int
    /// Committed writes.
    public let operations: Int
    /// Wall-clock time of the phase.
    public let elapsed: Duration
    /// Per-write latency.
    public let latency: LatencySummary
    /// Failed compares (0 expected: every writer owns its key).
    public let conflicts: Int
    /// Durable commits (WAL fsyncs) during the phase; nil when the backend does not report them.
    public let commits: Int?

    /// Committed writes per second.
    public var operationsPerSecond: Double {
        elapsed > .zero ? Double(operations) / elapsed.asSeconds : 0
    }

    /// Commits (WAL fsyncs) per committed write; below 1 means group commit shared fsyncs between writes.
    public var commitsPerWrite: Double? {
        guard let commits, operations > 0 else { return nil }
        return Double(commits) / Double(operations)
    }
}

/// The open-loop phase: writes scheduled at `offeredRate` per second, latency measured from each write's
/// scheduled start, so queueing behind slow writes is counted (no coordinated omission).
///
/// Concurrency contract: an immutable value type; Sendable.
public struct OpenLoopFigures: Sendable {
    public let offeredRate: Int
    /// Writes scheduled (and completed) in the phase.
    public let operations: Int
    /// From the first scheduled start to the last completion.
    public let elapsed: Duration
    /// Latency from scheduled start to completion.
    public let latency: LatencySummary
    /// How many writes started more than 1 ms after their scheduled time (all workers busy or timer lag).
    public let lateStarts: Int

    /// Completed writes per second.
    public var achievedRate: Double {
        elapsed > .zero ? Double(operations) / elapsed.asSeconds : 0
    }
}

/// Repeated full-range lists of `keys` keys with their values.
///
/// Concurrency contract: an immutable value type; Sendable.
public struct ListFigures: Sendable {
    public let keys: Int
    public let latency: LatencySummary
}
