import Foundation

/// What the API benchmark runs and how much of it.
///
/// Concurrency contract: a value type; Sendable. `APIBenchmark.run` reads it once at the start.
public struct APIBenchmarkOptions: Sendable {
    /// The `swiftlet` binary started as `swiftlet server`.
    public var serverBinary: String
    /// Concurrent keep-alive clients of the closed-loop phases, one phase per entry.
    public var clientCounts: [Int] = [1, 8, 64]
    /// Requests per closed-loop create and get phase, split across its clients.
    public var operationsPerPhase: Int = 3_000
    /// Lists per closed-loop list phase (of `smallListSize` pods each), split across its clients.
    public var listsPerPhase: Int = 600
    /// Pods in the namespace the closed-loop list phases read.
    public var smallListSize: Int = 100
    /// Pods created per watch phase; every watcher receives each of them.
    public var watchEvents: Int = 500
    /// Creates per second offered by the open-loop phase.
    public var offeredRate: Int = 1_000
    /// How long the open-loop phase offers creates.
    public var openLoopDuration: Duration = .seconds(5)
    /// Connections carrying the open-loop creates.
    public var openLoopConnections: Int = 32
    /// Stored pod counts at which RSS is measured; the list phase reads the first of them.
    public var podCounts: [Int] = [10_000, 50_000]
    /// How often the big list is repeated.
    public var bigListRuns: Int = 20
    /// Cold starts measured (each on a fresh data directory).
    public var coldStarts: Int = 5
    /// Where temporary data directories go; nil = the system's temporary directory.
    public var directory: String?

    public init(serverBinary: String) {
        self.serverBinary = serverBinary
    }

    /// Small numbers for tests and smoke runs (a few seconds).
    public static func quick(serverBinary: String) -> APIBenchmarkOptions {
        var options = APIBenchmarkOptions(serverBinary: serverBinary)
        options.operationsPerPhase = 128
        options.listsPerPhase = 32
        options.smallListSize = 20
        options.watchEvents = 20
        options.offeredRate = 200
        options.openLoopDuration = .milliseconds(500)
        options.openLoopConnections = 8
        options.podCounts = [300, 600]
        options.bigListRuns = 3
        options.coldStarts = 2
        return options
    }

    func validate() throws {
        func check(_ condition: Bool, _ message: String) throws {
            if !condition { throw APIBenchmarkError.invalidOptions(message) }
        }
        try check(FileManager.default.isExecutableFile(atPath: serverBinary), "\(serverBinary) is not executable")
        try check(!clientCounts.isEmpty && clientCounts.allSatisfy { $0 > 0 }, "client counts must be positive")
        try check(operationsPerPhase > 0 && listsPerPhase > 0 && smallListSize > 0 && watchEvents > 0,
                  "phase sizes must be positive")
        try check(offeredRate > 0 && openLoopDuration > .zero && openLoopConnections > 0,
                  "open-loop rate, duration and connections must be positive")
        try check(!podCounts.isEmpty && podCounts.allSatisfy { $0 > 0 } && podCounts == podCounts.sorted(),
                  "pod counts must be positive and ascending")
        try check(bigListRuns > 0 && coldStarts > 0, "list runs and cold starts must be positive")
    }
}

/// Failures of the API benchmark.
///
/// Concurrency contract: a value type; Sendable.
public enum APIBenchmarkError: Error, Sendable, CustomStringConvertible {
    case invalidOptions(String)
    /// The server did not start, or answered something a phase cannot measure.
    case server(String)
    case http(String)

    public var description: String {
        switch self {
        case .invalidOptions(let message): "invalid benchmark options: \(message)"
        case .server(let message): "swiftlet server: \(message)"
        case .http(let message): "HTTP: \(message)"
        }
    }
}
