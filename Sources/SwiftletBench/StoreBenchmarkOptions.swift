import Foundation

/// What the storage benchmark runs and how much of it.
///
/// Concurrency contract: a value type; Sendable. `StoreBenchmark.run` reads it once at the start.
public struct StoreBenchmarkOptions: Sendable {
    /// Concurrent writers of the closed-loop create and compare-and-swap phases, one phase per entry.
    public var writerCounts: [Int] = [1, 8, 64]
    /// Operations per phase, split evenly across its writers (at least one each).
    public var operationsPerWriterCount: Int = 5_000
    /// Bytes per written value.
    public var valueSize: Int = 1_024
    /// Number of keys listed by the full-range list phases, one phase per entry.
    public var listSizes: [Int] = [1_000, 10_000]
    /// How often each list is repeated to get its percentiles.
    public var listRuns: Int = 20
    /// How many single-key gets measure get latency.
    public var getCount: Int = 2_000
    /// Writes per second offered by the open-loop phase.
    public var offeredRate: Int = 1_000
    /// How long the open-loop phase offers writes.
    public var openLoopDuration: Duration = .seconds(5)
    /// Connections (etcd) or tasks (Swiftlet) that carry the open-loop writes; queueing beyond them shows
    /// up as latency.
    public var openLoopConcurrency: Int = 64
    /// Where the temporary data directories go (a fresh subdirectory that is removed afterwards); nil means
    /// the system's temporary directory.
    public var directory: String?
    /// The etcd binary to compare against; nil skips the comparison. Defaults to `etcd` found in `PATH`.
    public var etcdBinary: String? = StoreBenchmarkOptions.findInPath("etcd")
    /// Run the same workloads against etcd's v3 JSON gateway when `etcdBinary` is set.
    public var compareEtcd: Bool = true

    /// The full benchmark (about a minute per backend).
    public init() {}

    /// Small numbers for tests and smoke runs: a few seconds per backend.
    public static var quick: StoreBenchmarkOptions {
        var options = StoreBenchmarkOptions()
        options.operationsPerWriterCount = 128
        options.listSizes = [100, 1_000]
        options.listRuns = 3
        options.getCount = 100
        options.offeredRate = 200
        options.openLoopDuration = .seconds(1)
        options.openLoopConcurrency = 16
        return options
    }

    /// The first executable file called `name` in the directories of `PATH`, or nil.
    public static func findInPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Throws `StoreBenchmarkError.invalidOptions` when a number is out of range.
    func validate() throws {
        func check(_ condition: Bool, _ message: String) throws {
            if !condition { throw StoreBenchmarkError.invalidOptions(message) }
        }
        try check(!writerCounts.isEmpty && writerCounts.allSatisfy { $0 > 0 }, "writer counts must be positive")
        try check(operationsPerWriterCount > 0, "operations per writer count must be positive")
        try check(valueSize > 0 && valueSize <= 1_000_000, "value size must be between 1 and 1000000 bytes")
        try check(listSizes.allSatisfy { $0 > 0 }, "list sizes must be positive")
        try check(listRuns > 0 && getCount > 0, "list runs and get count must be positive")
        try check(offeredRate > 0 && openLoopDuration > .zero, "offered rate and duration must be positive")
        try check(openLoopConcurrency > 0, "open-loop concurrency must be positive")
    }
}

/// Failures of the storage benchmark.
///
/// Concurrency contract: a value type; Sendable.
public enum StoreBenchmarkError: Error, Sendable, CustomStringConvertible {
    case invalidOptions(String)
    /// A workload saw something it cannot measure (a failed create, a short list, ...).
    case unexpected(String)
    /// etcd did not start or stopped answering.
    case etcd(String)
    /// The HTTP connection to etcd failed.
    case http(String)

    public var description: String {
        switch self {
        case .invalidOptions(let message): "invalid benchmark options: \(message)"
        case .unexpected(let message): "benchmark failed: \(message)"
        case .etcd(let message): "etcd: \(message)"
        case .http(let message): "HTTP: \(message)"
        }
    }
}
