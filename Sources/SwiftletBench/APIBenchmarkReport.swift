import Foundation

/// Every figure of one API benchmark run, with the targets they are judged against.
///
/// Concurrency contract: an immutable value type; Sendable.
public struct APIBenchmarkReport: Sendable {
    public let options: APIBenchmarkOptions
    /// Bytes of one created pod as the server returns it (defaulted, with metadata).
    public let podJSONBytes: Int
    public let creates: [ClientPhaseFigures]
    public let gets: [ClientPhaseFigures]
    /// Lists of `options.smallListSize` pods.
    public let lists: [ClientPhaseFigures]
    public let watches: [WatchPhaseFigures]
    public let openLoop: OpenLoopFigures
    /// Full lists of `options.podCounts[0]` pods.
    public let bigList: LatencySummary
    public let memory: [MemoryFigures]
    /// Launch to `/readyz` 200 of `swiftlet server` on a fresh data directory.
    public let coldStart: LatencySummary
    /// Launch to exit of `/bin/true` through the same process API (the floor for any process start).
    public let forkExecPeer: LatencySummary

    /// The targets, as printed next to the figures.
    public enum Target {
        public static let openLoopCreateP99Milliseconds = 5.0
        public static let bigListMilliseconds = 100.0
        public static let bytesPerPod = 5.0 * 1024
        public static let coldStartMilliseconds = 300.0
    }

    /// A readable table: figure, value, and target with "met" / "MISSED" where one applies.
    public func formatted() -> String {
        var rows: [(String, String, String)] = []
        func ms(_ duration: Duration) -> String { BenchmarkTable.fixed(duration.asMilliseconds, 2) }
        func target(_ value: Double, below limit: Double, _ text: String) -> String {
            "\(text) (\(value < limit ? "met" : "MISSED"))"
        }
        for (title, phases) in [("create", creates), ("get", gets), ("list \(options.smallListSize) pods", lists)] {
            for phase in phases {
                let who = phase.clients == 1 ? "1 client" : "\(phase.clients) clients"
                rows.append(("\(title)/s, \(who)", BenchmarkTable.fixed(phase.operationsPerSecond, 0), ""))
                rows.append(("\(title) p50 / p99 (ms), \(who)",
                             "\(ms(phase.latency.p50)) / \(ms(phase.latency.p99))", ""))
            }
        }
        for phase in watches {
            let who = phase.watchers == 1 ? "1 watcher" : "\(phase.watchers) watchers"
            rows.append(("watch events delivered/s, \(who)", BenchmarkTable.fixed(phase.eventsPerSecond, 0), ""))
            rows.append(("watch delivery p50 / p99 (ms), \(who)",
                         "\(ms(phase.latency.p50)) / \(ms(phase.latency.p99))", ""))
        }
        let open = "creates at \(openLoop.offeredRate)/s offered"
        rows.append(("\(open): achieved/s", BenchmarkTable.fixed(openLoop.achievedRate, 0), ""))
        rows.append(("\(open): p50 (ms)", ms(openLoop.latency.p50), ""))
        rows.append(("\(open): p99 (ms)", ms(openLoop.latency.p99),
                     target(openLoop.latency.p99.asMilliseconds, below: Target.openLoopCreateP99Milliseconds,
                            "< 5 ms at 1,000/s")))
        rows.append(("\(open): max (ms)", ms(openLoop.latency.max), ""))
        let big = options.podCounts[0]
        rows.append(("list \(big) pods p50 (ms)", ms(bigList.p50),
                     target(bigList.p50.asMilliseconds, below: Target.bigListMilliseconds, "< 100 ms")))
        rows.append(("list \(big) pods p99 (ms)", ms(bigList.p99), ""))
        for figures in memory {
            rows.append(("RSS per stored pod at \(figures.pods) pods (KB)",
                         BenchmarkTable.fixed(figures.bytesPerPod / 1024, 2),
                         target(figures.bytesPerPod, below: Target.bytesPerPod, "< 5 KB")))
        }
        if let last = memory.last {
            rows.append(("server RSS before / after the pods (MB)",
                         "\(BenchmarkTable.fixed(Double(last.residentBefore) / 1_048_576, 1)) / "
                            + BenchmarkTable.fixed(Double(last.residentAfter) / 1_048_576, 1), ""))
        }
        let requestBytes = PodFixture.body(name: "probe", namespace: "bench-list").count
        rows.append(("stored pod JSON (bytes)", String(podJSONBytes), "from a \(requestBytes)-byte request"))
        rows.append(("cold start to /readyz p50 / max (ms)", "\(ms(coldStart.p50)) / \(ms(coldStart.max))",
                     target(coldStart.p50.asMilliseconds, below: Target.coldStartMilliseconds, "< 300 ms")))
        rows.append(("fork/exec /bin/true p50 (ms), peer", ms(forkExecPeer.p50), ""))
        let ratio = forkExecPeer.p50 > .zero ? coldStart.p50.asMilliseconds / forkExecPeer.p50.asMilliseconds : 0
        rows.append(("cold start / fork-exec ratio", BenchmarkTable.fixed(ratio, 1) + "x", ""))

        let widths = (rows.map(\.0.count).max() ?? 0, rows.map(\.1.count).max() ?? 0)
        var text = "figure".padding(toLength: widths.0, withPad: " ", startingAt: 0) + "   "
            + String(repeating: " ", count: max(0, widths.1 - 5)) + "value   target\n"
        for (label, value, goal) in rows {
            text += label.padding(toLength: widths.0, withPad: " ", startingAt: 0) + "   "
                + String(repeating: " ", count: widths.1 - value.count) + value
                + (goal.isEmpty ? "" : "   " + goal) + "\n"
        }
        text += "swiftlet server (SQLite, synchronous=FULL, watch cache) as a child process on 127.0.0.1; "
            + "HTTP/1.1 keep-alive clients (SwiftNIO). Lists without limit are consistent reads "
            + "(resourceVersion unset) served from the watch cache; the 10k-pod list's body is counted as it "
            + "arrives, not kept. Watch delivery = create sent → event read."
        return text
    }
}

/// One closed-loop phase: `clients` keep-alive connections, each sending its next request when the
/// previous answered.
///
/// Concurrency contract: an immutable value type; Sendable.
public struct ClientPhaseFigures: Sendable {
    public let clients: Int
    public let operations: Int
    public let elapsed: Duration
    public let latency: LatencySummary

    public var operationsPerSecond: Double {
        elapsed > .zero ? Double(operations) / elapsed.asSeconds : 0
    }
}

/// One watch phase: `watchers` watches of one namespace while pods are created in it.
///
/// Concurrency contract: an immutable value type; Sendable.
public struct WatchPhaseFigures: Sendable {
    public let watchers: Int
    /// Events received over all watchers.
    public let events: Int
    public let elapsed: Duration
    /// From sending the create to reading its ADDED event, over every watcher.
    public let latency: LatencySummary

    public var eventsPerSecond: Double {
        elapsed > .zero ? Double(events) / elapsed.asSeconds : 0
    }
}

/// The server's RSS growth over stored pods.
///
/// Concurrency contract: an immutable value type; Sendable.
public struct MemoryFigures: Sendable {
    public let pods: Int
    public let residentBefore: Int
    public let residentAfter: Int

    public var bytesPerPod: Double { Double(residentAfter - residentBefore) / Double(max(1, pods)) }
}
