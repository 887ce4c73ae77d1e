import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Measures `swiftlet server` over HTTP: closed-loop creates, gets, lists and watches with 1, 8 and 64
/// keep-alive clients; creates offered at a fixed rate; a list of many pods; watch delivery latency; the
/// server's RSS per stored pod; and cold start to `/readyz` next to a plain fork/exec.
///
/// Concurrency contract: stateless; `run` may be called from any task. It starts its own server processes
/// on temporary data directories and stops and removes them before returning or throwing. Client work runs on
/// SwiftNIO's event loops and Swift tasks; blocking process waits run on dedicated threads. Run one benchmark
/// at a time.
public enum APIBenchmark {
    public static func run(_ options: APIBenchmarkOptions, output: (String) -> Void = { _ in })
        async throws -> APIBenchmarkReport
    {
        try options.validate()
        let parent = TemporaryDirectory.parent(options.directory)
        let server = try SwiftletServerChild(binary: options.serverBinary, parent: parent)
        let report: APIBenchmarkReport
        do {
            let port = try await server.start()
            output("server: pid \(server.pid), port \(port), data in \(server.directory)")
            let endpoint = try BenchEndpoint(port: port, dataDirectory: server.directory)
            report = try await measure(options, server: server, endpoint: endpoint, parent: parent, output: output)
        } catch {
            await server.stop()
            throw error
        }
        return report
    }

    private static func measure(
        _ options: APIBenchmarkOptions, server: SwiftletServerChild, endpoint: BenchEndpoint, parent: String,
        output: (String) -> Void
    ) async throws -> APIBenchmarkReport {
        let namespaces = ["bench-create", "bench-list", "bench-open", "bench-bulk"]
            + options.clientCounts.map { "bench-watch-\($0)" }
        let podBytes = try await BenchHTTPClient.withSession(endpoint: endpoint) { session in
            for namespace in namespaces {
                try expect(201, try await session.request(
                    .POST, "/api/v1/namespaces", body: PodFixture.namespaceBody(namespace)), "create namespace")
            }
            let probe = try await session.request(
                .POST, "/api/v1/namespaces/bench-list/pods", body: PodFixture.body(name: "probe", namespace: "bench-list"))
            try expect(201, probe, "create pod")
            return probe.body.readableBytes
        }
        output("pod as stored and returned: \(podBytes) bytes of JSON")

        var creates: [ClientPhaseFigures] = []
        for clients in options.clientCounts {
            let figures = try await closedLoop(endpoint: endpoint, clients: clients, total: options.operationsPerPhase) {
                session, client, index in
                let name = "c\(clients)-\(client)-\(index)"
                try expect(201, try await session.request(
                    .POST, "/api/v1/namespaces/bench-create/pods",
                    body: PodFixture.body(name: name, namespace: "bench-create")), "create")
            }
            creates.append(figures)
            output("create, \(clients) clients: " + describe(figures))
        }
        try await fill(endpoint: endpoint, namespace: "bench-list", from: 0, to: options.smallListSize - 1, prefix: "l")
        let listPath = "/api/v1/namespaces/bench-list/pods"
        var gets: [ClientPhaseFigures] = []
        for clients in options.clientCounts {
            let figures = try await closedLoop(endpoint: endpoint, clients: clients, total: options.operationsPerPhase) {
                session, client, index in
                let name = BenchmarkKeys.numbered("l", (client * 7 + index) % (options.smallListSize - 1))
                try expect(200, try await session.request(.GET, "\(listPath)/\(name)"), "get")
            }
            gets.append(figures)
            output("get, \(clients) clients: " + describe(figures))
        }
        var lists: [ClientPhaseFigures] = []
        for clients in options.clientCounts {
            let figures = try await closedLoop(endpoint: endpoint, clients: clients, total: options.listsPerPhase) {
                session, _, _ in
                try expect(200, try await session.request(.GET, listPath), "list")
            }
            lists.append(figures)
            output("list \(options.smallListSize) pods, \(clients) clients: " + describe(figures))
        }
        var watches: [WatchPhaseFigures] = []
        for clients in options.clientCounts {
            let figures = try await watchPhase(endpoint: endpoint, watchers: clients, events: options.watchEvents)
            watches.append(figures)
            output("watch, \(clients) watchers: \(Int(figures.eventsPerSecond)) events/s, p50 "
                + "\(ms(figures.latency.p50)) p99 \(ms(figures.latency.p99)) ms")
        }
        let open = try await openLoop(options, endpoint: endpoint)
        output("creates at \(options.offeredRate)/s offered: \(Int(open.achievedRate))/s achieved, p50 "
            + "\(ms(open.latency.p50)) p99 \(ms(open.latency.p99)) max \(ms(open.latency.max)) ms")

        // Bulk: RSS growth per stored pod, and the big list.
        let before = try server.residentBytes()
        var memory: [MemoryFigures] = []
        var bigList: LatencySummary?
        var stored = 0
        for count in options.podCounts {
            try await fill(endpoint: endpoint, namespace: "bench-bulk", from: stored, to: count, prefix: "b")
            stored = count
            let after = try server.residentBytes()
            memory.append(MemoryFigures(pods: count, residentBefore: before, residentAfter: after))
            output("RSS with \(count) more pods: \(before / 1024) KB → \(after / 1024) KB, "
                + "\(BenchmarkTable.fixed(Double(after - before) / Double(count) / 1024, 2)) KB per pod")
            if bigList == nil {
                bigList = try await listLatency(endpoint: endpoint, runs: options.bigListRuns, expected: count)
                output("list \(count) pods: p50 \(ms(bigList!.p50)) p99 \(ms(bigList!.p99)) ms")
            }
        }
        await server.stop()

        let (cold, peer) = try await coldStarts(options, parent: parent)
        output("cold start to /readyz: p50 \(ms(cold.p50)) ms; fork/exec /bin/true p50 \(ms(peer.p50)) ms")
        return APIBenchmarkReport(
            options: options, podJSONBytes: podBytes, creates: creates, gets: gets, lists: lists, watches: watches,
            openLoop: open, bigList: bigList!, memory: memory, coldStart: cold, forkExecPeer: peer)
    }

    // MARK: - Phases

    /// `clients` connections sending `total` requests between them, each waiting for its previous answer.
    static func closedLoop(
        endpoint: BenchEndpoint, clients: Int, total: Int,
        _ operation: @escaping @Sendable (inout BenchHTTPSession, Int, Int) async throws -> Void
    ) async throws -> ClientPhaseFigures {
        let perClient = max(1, total / clients)
        let clock = ContinuousClock()
        let results = try await withThrowingTaskGroup(
            of: (LatencyRecorder, ContinuousClock.Instant, ContinuousClock.Instant).self
        ) { group in
            for client in 0..<clients {
                group.addTask {
                    try await BenchHTTPClient.withSession(endpoint: endpoint) { session in
                        var recorder = LatencyRecorder(reservingCapacity: perClient)
                        let started = clock.now
                        for index in 0..<perClient {
                            let began = clock.now
                            try await operation(&session, client, index)
                            recorder.record(began.duration(to: clock.now))
                        }
                        return (recorder, started, clock.now)
                    }
                }
            }
            var all: [(LatencyRecorder, ContinuousClock.Instant, ContinuousClock.Instant)] = []
            for try await result in group { all.append(result) }
            return all
        }
        var latency = LatencyRecorder(reservingCapacity: perClient * clients)
        for (recorder, _, _) in results { latency.merge(recorder) }
        let start = results.map(\.1).min()!
        let end = results.map(\.2).max()!
        return ClientPhaseFigures(clients: clients, operations: latency.count, elapsed: start.duration(to: end),
                                  latency: latency.summary())
    }

    /// Creates pods `prefix<index>` for indexes in `from..<to` with 32 connections (untimed setup).
    static func fill(endpoint: BenchEndpoint, namespace: String, from: Int, to: Int, prefix: String) async throws {
        guard to > from else { return }
        let queue = WorkQueue(count: to - from)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<min(32, to - from) {
                group.addTask {
                    try await BenchHTTPClient.withSession(endpoint: endpoint) { session in
                        while let offset = queue.next() {
                            let name = BenchmarkKeys.numbered(prefix, from + offset)
                            try expect(201, try await session.request(
                                .POST, "/api/v1/namespaces/\(namespace)/pods",
                                body: PodFixture.body(name: name, namespace: namespace)), "create \(name)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// `watchers` watches of one namespace; 8 connections create `events` pods in it; each event's latency
    /// runs from sending its create to a watcher reading it.
    static func watchPhase(endpoint: BenchEndpoint, watchers: Int, events: Int) async throws -> WatchPhaseFigures {
        let namespace = "bench-watch-\(watchers)"
        let clock = ContinuousClock()
        let sent = SendTimes(count: events)
        let (connected, connectedContinuation) = AsyncStream<Void>.makeStream()
        enum Result: Sendable { case watcher(LatencyRecorder, ContinuousClock.Instant), writer(ContinuousClock.Instant) }
        let results = try await withThrowingTaskGroup(of: Result.self) { group in
            for _ in 0..<watchers {
                group.addTask {
                    try await BenchHTTPClient.withSession(endpoint: endpoint) { session in
                        let status = try await session.start(.GET, "/api/v1/namespaces/\(namespace)/pods?watch=1")
                        guard status == 200 else { throw APIBenchmarkError.server("watch answered \(status)") }
                        connectedContinuation.yield()
                        var recorder = LatencyRecorder(reservingCapacity: events)
                        var pending: [UInt8] = []
                        while recorder.count < events {
                            guard let chunk = try await session.nextBodyChunk() else {
                                throw APIBenchmarkError.server("watch ended after \(recorder.count) of \(events) events")
                            }
                            let now = clock.now
                            pending.append(contentsOf: chunk.readableBytesView)
                            while let newline = pending.firstIndex(of: 0x0A) {
                                if let index = eventIndex(pending[..<newline]),
                                   let began = sent.time(of: index) {
                                    recorder.record(began.duration(to: now))
                                }
                                pending.removeSubrange(...newline)
                            }
                        }
                        return .watcher(recorder, clock.now)
                    }
                }
            }
            group.addTask {
                var ready = 0
                for await _ in connected {
                    ready += 1
                    if ready == watchers { break }
                }
                let started = clock.now
                let queue = WorkQueue(count: events)
                try await withThrowingTaskGroup(of: Void.self) { writers in
                    for _ in 0..<min(8, events) {
                        writers.addTask {
                            try await BenchHTTPClient.withSession(endpoint: endpoint) { session in
                                while let index = queue.next() {
                                    let body = PodFixture.body(name: "w-\(index)", namespace: namespace)
                                    sent.record(index, clock.now)
                                    try expect(201, try await session.request(
                                        .POST, "/api/v1/namespaces/\(namespace)/pods", body: body), "create")
                                }
                            }
                        }
                    }
                    try await writers.waitForAll()
                }
                return .writer(started)
            }
            var all: [Result] = []
            for try await result in group { all.append(result) }
            return all
        }
        var latency = LatencyRecorder()
        var start = clock.now
        var end = start
        for result in results {
            switch result {
            case .watcher(let recorder, let finished):
                latency.merge(recorder)
                end = max(end, finished)
            case .writer(let started):
                start = started
            }
        }
        return WatchPhaseFigures(watchers: watchers, events: latency.count, elapsed: start.duration(to: end),
                                 latency: latency.summary())
    }

    /// The index of `"name":"w-<index>"` in one watch event line (the first `"name"` member of a bench pod is
    /// its metadata.name).
    static func eventIndex(_ line: ArraySlice<UInt8>) -> Int? {
        let needle = Array(#""name":"w-"#.utf8)
        guard line.count > needle.count else { return nil }
        var position = line.startIndex
        while position <= line.endIndex - needle.count {
            if line[position] == needle[0], line[position..<(position + needle.count)].elementsEqual(needle) {
                var value = 0
                var digit = position + needle.count
                var sawDigit = false
                while digit < line.endIndex, (48...57).contains(line[digit]) {
                    value = value * 10 + Int(line[digit] - 48)
                    digit += 1
                    sawDigit = true
                }
                return sawDigit ? value : nil
            }
            position += 1
        }
        return nil
    }

    /// Creates scheduled at `offeredRate`; latency counts from each create's scheduled start.
    static func openLoop(_ options: APIBenchmarkOptions, endpoint: BenchEndpoint) async throws -> OpenLoopFigures {
        let total = max(1, Int(Double(options.offeredRate) * options.openLoopDuration.asSeconds))
        let interval = Duration.seconds(1) / options.offeredRate
        let schedule = WorkQueue(count: total)
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(100)
        let (latencies, late) = try await withThrowingTaskGroup(of: (LatencyRecorder, Int).self) { group in
            for _ in 0..<options.openLoopConnections {
                group.addTask {
                    try await BenchHTTPClient.withSession(endpoint: endpoint) { session in
                        var recorder = LatencyRecorder()
                        var late = 0
                        while let index = schedule.next() {
                            let scheduled = start + interval * index
                            if clock.now < scheduled {
                                try await Task.sleep(until: scheduled, tolerance: .microseconds(50), clock: clock)
                            }
                            if scheduled.duration(to: clock.now) > .milliseconds(1) { late += 1 }
                            let name = BenchmarkKeys.numbered("o", index)
                            try expect(201, try await session.request(
                                .POST, "/api/v1/namespaces/bench-open/pods",
                                body: PodFixture.body(name: name, namespace: "bench-open")), "open-loop create")
                            recorder.record(scheduled.duration(to: clock.now))
                        }
                        return (recorder, late)
                    }
                }
            }
            var all = LatencyRecorder(reservingCapacity: total)
            var late = 0
            for try await (recorder, workerLate) in group {
                all.merge(recorder)
                late += workerLate
            }
            return (all, late)
        }
        return OpenLoopFigures(
            offeredRate: options.offeredRate, operations: latencies.count, elapsed: start.duration(to: clock.now),
            latency: latencies.summary(), lateStarts: late)
    }

    /// Full lists of the bulk namespace (no limit: a consistent read).
    static func listLatency(endpoint: BenchEndpoint, runs: Int, expected: Int) async throws -> LatencySummary {
        try await BenchHTTPClient.withSession(endpoint: endpoint) { session in
            let clock = ContinuousClock()
            var recorder = LatencyRecorder(reservingCapacity: runs)
            for _ in 0..<runs {
                // The body is counted as it arrives rather than gathered (as `curl -o /dev/null` reads it), so
                // the figure is the server's and not the time this client spends growing a 35 MB buffer on
                // the same two cores.
                let began = clock.now
                let status = try await session.start(.GET, "/api/v1/namespaces/bench-bulk/pods")
                var bytes = 0
                while let chunk = try await session.nextBodyChunk() { bytes += chunk.readableBytes }
                recorder.record(began.duration(to: clock.now))
                guard status == 200 else { throw APIBenchmarkError.server("big list: HTTP \(status)") }
                if bytes < expected * 100 {
                    throw APIBenchmarkError.server("list of \(expected) pods was only \(bytes) bytes")
                }
            }
            return recorder.summary()
        }
    }

    /// Launch to `/readyz` 200 on fresh data directories, and launch to exit of `/bin/true`.
    static func coldStarts(_ options: APIBenchmarkOptions, parent: String) async throws
        -> (LatencySummary, LatencySummary)
    {
        let clock = ContinuousClock()
        var cold = LatencyRecorder()
        for _ in 0..<options.coldStarts {
            let server = try SwiftletServerChild(binary: options.serverBinary, parent: parent)
            do {
                let began = clock.now
                let port = try await server.start()
                let endpoint = try BenchEndpoint(port: port, dataDirectory: server.directory)
                let ready = try await BenchHTTPClient.withSession(endpoint: endpoint) { session in
                    for _ in 0..<1000 {
                        if try await session.request(.GET, "/readyz").status == 200 { return true }
                        await Task.yield()
                    }
                    return false
                }
                cold.record(began.duration(to: clock.now))
                guard ready else { throw APIBenchmarkError.server("/readyz never answered 200") }
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
        }
        var peer = LatencyRecorder()
        let thread = DedicatedThread(name: "fork-exec-peer")
        defer { thread.stop() }
        for _ in 0..<max(options.coldStarts, 5) {
            let elapsed = try await thread.run { () -> Duration in
                let began = ContinuousClock().now
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/true")
                try process.run()
                process.waitUntilExit()
                return began.duration(to: ContinuousClock().now)
            }
            peer.record(elapsed)
        }
        return (cold.summary(), peer.summary())
    }

    // MARK: - Helpers

    static func expect(_ status: Int, _ response: BenchHTTPSession.Response, _ what: String) throws {
        guard response.status == status else {
            throw APIBenchmarkError.server("\(what) answered \(response.status): \(response.text.prefix(300))")
        }
    }

    static func describe(_ figures: ClientPhaseFigures) -> String {
        "\(Int(figures.operationsPerSecond))/s, p50 \(ms(figures.latency.p50)) p99 \(ms(figures.latency.p99)) ms"
    }

    static func ms(_ duration: Duration) -> String { BenchmarkTable.fixed(duration.asMilliseconds, 2) }
}

/// When each watch-phase create was sent, by index.
///
/// Concurrency contract: thread-safe (a `Mutex`).
final class SendTimes: Sendable {
    private let times: Mutex<[ContinuousClock.Instant?]>

    init(count: Int) { times = Mutex(Array(repeating: nil, count: count)) }

    func record(_ index: Int, _ instant: ContinuousClock.Instant) {
        times.withLock { $0[index] = instant }
    }

    func time(of index: Int) -> ContinuousClock.Instant? {
        times.withLock { index < $0.count ? $0[index] : nil }
    }
}
