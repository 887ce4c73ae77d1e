import Foundation
import KubeStorage

/// The workloads, identical for every backend: closed-loop creates and CAS updates per writer count, an
/// open-loop write rate, gets and lists.
///
/// Concurrency contract: stateless; each phase runs its writers as child tasks (one session each) and
/// returns only when they have all finished. `output` is only called on the driving task.
enum BenchmarkWorkloads {
    static func run(on backend: any BenchmarkBackend, _ options: StoreBenchmarkOptions, output: (String) -> Void)
        async throws -> StoreBackendFigures
    {
        let value = (0..<options.valueSize).map { _ in UInt8.random(in: 0...255) }
        let sessionCount = max(options.writerCounts.max() ?? 1, options.openLoopConcurrency)
        var sessions: [any BenchmarkSession] = []
        do {
            for _ in 0..<sessionCount { sessions.append(try await backend.makeSession()) }
            let figures = try await run(on: backend, sessions: sessions, value: value, options, output: output)
            for session in sessions { await session.close() }
            return figures
        } catch {
            for session in sessions { await session.close() }
            throw error
        }
    }

    private static func run(
        on backend: any BenchmarkBackend, sessions: [any BenchmarkSession], value: [UInt8],
        _ options: StoreBenchmarkOptions, output: (String) -> Void
    ) async throws -> StoreBackendFigures {
        let name = backend.name
        // Warm-up: connections, statements and the first file growth stay out of the figures.
        _ = try await closedLoop(.create(prefix: "/bench/warmup/"), writers: min(8, sessions.count),
                                 perWriter: 20, sessions: sessions, value: value, backend: backend)
        var creates: [WritePhaseFigures] = []
        for writers in options.writerCounts {
            let perWriter = max(1, options.operationsPerWriterCount / writers)
            let figures = try await closedLoop(.create(prefix: "/bench/create/\(writers)/"), writers: writers,
                                               perWriter: perWriter, sessions: sessions, value: value, backend: backend)
            creates.append(figures)
            output("\(name): create, \(writersText(writers)): " + describe(figures))
        }
        var updates: [WritePhaseFigures] = []
        for writers in options.writerCounts {
            let perWriter = max(1, options.operationsPerWriterCount / writers)
            let figures = try await closedLoop(.update(prefix: "/bench/cas/\(writers)/"), writers: writers,
                                               perWriter: perWriter, sessions: sessions, value: value, backend: backend)
            updates.append(figures)
            output("\(name): CAS update, \(writersText(writers)): " + describe(figures)
                + ", conflicts \(figures.conflicts)")
        }
        let open = try await openLoop(options, sessions: sessions, value: value)
        output("\(name): open loop \(options.offeredRate)/s: \(Int(open.achievedRate))/s achieved, "
            + "p50 \(ms(open.latency.p50)) p99 \(ms(open.latency.p99)) max \(ms(open.latency.max)) ms, "
            + "\(open.lateStarts) late starts")
        let get = try await getLatency(options, session: sessions[0], value: value)
        output("\(name): get p50 \(ms(get.p50)) p99 \(ms(get.p99)) ms")
        var lists: [ListFigures] = []
        for size in options.listSizes {
            let figures = try await listLatency(size: size, options, backend: backend, session: sessions[0],
                                                value: value)
            lists.append(figures)
            output("\(name): list \(size) keys: p50 \(ms(figures.latency.p50)) p99 \(ms(figures.latency.p99)) ms")
        }
        return StoreBackendFigures(name: name, creates: creates, updates: updates, openLoop: open, get: get,
                                   lists: lists)
    }

    enum WriteKind: Sendable {
        /// Each writer creates keys `prefix/<writer>/<index>`.
        case create(prefix: String)
        /// Each writer updates its own key `prefix<writer>` with the mod revision of its previous write.
        case update(prefix: String)
    }

    /// `writers` closed-loop writers with `perWriter` writes each.
    static func closedLoop(
        _ kind: WriteKind, writers: Int, perWriter: Int, sessions: [any BenchmarkSession], value: [UInt8],
        backend: any BenchmarkBackend
    ) async throws -> WritePhaseFigures {
        // Untimed setup: the CAS writers' keys.
        var revisions = [Revision](repeating: 0, count: writers)
        if case .update(let prefix) = kind {
            revisions = try await withThrowingTaskGroup(of: (Int, Revision).self) { group in
                for writer in 0..<writers {
                    let session = sessions[writer]
                    group.addTask {
                        let key = BenchmarkKeys.numbered(prefix, writer)
                        guard case .committed(let revision) = try await session.create(key, value: value) else {
                            throw StoreBenchmarkError.unexpected("\(key) already existed")
                        }
                        return (writer, revision)
                    }
                }
                var revisions = [Revision](repeating: 0, count: writers)
                for try await (writer, revision) in group { revisions[writer] = revision }
                return revisions
            }
        }
        let commitsBefore = await backend.commitCount()
        let clock = ContinuousClock()
        let start = clock.now
        let (latencies, conflicts) = try await withThrowingTaskGroup(of: (LatencyRecorder, Int).self) { group in
            for writer in 0..<writers {
                let session = sessions[writer]
                let initialRevision = revisions[writer]
                group.addTask {
                    var recorder = LatencyRecorder(reservingCapacity: perWriter)
                    var conflicts = 0
                    var revision = initialRevision
                    for index in 0..<perWriter {
                        let began = clock.now
                        let outcome: BenchmarkWrite
                        switch kind {
                        case .create(let prefix):
                            let key = BenchmarkKeys.numbered("\(prefix)\(writer)/", index)
                            outcome = try await session.create(key, value: value)
                        case .update(let prefix):
                            let key = BenchmarkKeys.numbered(prefix, writer)
                            outcome = try await session.update(key, value: value, expected: revision)
                        }
                        recorder.record(began.duration(to: clock.now))
                        switch outcome {
                        case .committed(let newRevision):
                            revision = newRevision
                        case .conflict(let current):
                            conflicts += 1
                            revision = current ?? revision
                        }
                    }
                    return (recorder, conflicts)
                }
            }
            var all = LatencyRecorder(reservingCapacity: writers * perWriter)
            var conflicts = 0
            for try await (recorder, writerConflicts) in group {
                all.merge(recorder)
                conflicts += writerConflicts
            }
            return (all, conflicts)
        }
        let elapsed = start.duration(to: clock.now)
        let commitsAfter = await backend.commitCount()
        let commits = commitsBefore.flatMap { before in commitsAfter.map { $0 - before } }
        return WritePhaseFigures(
            writers: writers, operations: writers * perWriter - conflicts, elapsed: elapsed,
            latency: latencies.summary(), conflicts: conflicts, commits: commits)
    }

    /// Creates offered at a fixed rate by a pool of sessions; each write's latency counts from its scheduled
    /// start, so a write that waited for a free session or a slow commit shows that wait.
    static func openLoop(_ options: StoreBenchmarkOptions, sessions: [any BenchmarkSession], value: [UInt8])
        async throws -> OpenLoopFigures
    {
        let total = max(1, Int(Double(options.offeredRate) * options.openLoopDuration.asSeconds))
        let interval = Duration.seconds(1) / options.offeredRate
        let schedule = WorkQueue(count: total)
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(20)
        let workers = min(options.openLoopConcurrency, sessions.count)
        let (latencies, late) = try await withThrowingTaskGroup(of: (LatencyRecorder, Int).self) { group in
            for worker in 0..<workers {
                let session = sessions[worker]
                group.addTask {
                    var recorder = LatencyRecorder()
                    var late = 0
                    while let index = schedule.next() {
                        let scheduled = start + interval * index
                        if clock.now < scheduled {
                            try await Task.sleep(until: scheduled, tolerance: .microseconds(50), clock: clock)
                        }
                        if scheduled.duration(to: clock.now) > .milliseconds(1) { late += 1 }
                        let key = BenchmarkKeys.numbered("/bench/open/", index)
                        guard case .committed = try await session.create(key, value: value) else {
                            throw StoreBenchmarkError.unexpected("open-loop create of \(key) conflicted")
                        }
                        recorder.record(scheduled.duration(to: clock.now))
                    }
                    return (recorder, late)
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

    /// Sequential gets of one key.
    static func getLatency(_ options: StoreBenchmarkOptions, session: any BenchmarkSession, value: [UInt8])
        async throws -> LatencySummary
    {
        let key = "/bench/get/key"
        guard case .committed = try await session.create(key, value: value) else {
            throw StoreBenchmarkError.unexpected("\(key) already existed")
        }
        for _ in 0..<10 { _ = try await session.get(key) }  // warm-up
        let clock = ContinuousClock()
        var recorder = LatencyRecorder(reservingCapacity: options.getCount)
        for _ in 0..<options.getCount {
            let began = clock.now
            let size = try await session.get(key)
            recorder.record(began.duration(to: clock.now))
            guard size == value.count else {
                throw StoreBenchmarkError.unexpected("get of \(key) returned \(size ?? -1) bytes")
            }
        }
        return recorder.summary()
    }

    /// Loads `size` keys under a fresh prefix, then lists them all `listRuns` times.
    static func listLatency(
        size: Int, _ options: StoreBenchmarkOptions, backend: any BenchmarkBackend, session: any BenchmarkSession,
        value: [UInt8]
    ) async throws -> ListFigures {
        let prefix = "/bench/list/\(size)/"
        try await backend.load(prefix: prefix, count: size, value: value)
        _ = try await session.list(prefix: prefix)  // warm-up
        let clock = ContinuousClock()
        var recorder = LatencyRecorder(reservingCapacity: options.listRuns)
        for _ in 0..<options.listRuns {
            let began = clock.now
            let count = try await session.list(prefix: prefix)
            recorder.record(began.duration(to: clock.now))
            guard count == size else {
                throw StoreBenchmarkError.unexpected("list of \(prefix) returned \(count) keys")
            }
        }
        return ListFigures(keys: size, latency: recorder.summary())
    }

    private static func describe(_ figures: WritePhaseFigures) -> String {
        var text = "\(Int(figures.operationsPerSecond))/s, "
            + "p50 \(ms(figures.latency.p50)) p99 \(ms(figures.latency.p99)) ms"
        if let perWrite = figures.commitsPerWrite { text += ", \(BenchmarkTable.fixed(perWrite, 3)) commits/write" }
        return text
    }

    static func writersText(_ writers: Int) -> String { writers == 1 ? "1 writer" : "\(writers) writers" }

    private static func ms(_ duration: Duration) -> String { BenchmarkTable.fixed(duration.asMilliseconds, 2) }
}

/// Hands out indices `0..<count` once each to competing workers.
///
/// Concurrency contract: thread-safe; `next()` may be called from any task or thread.
final class WorkQueue: @unchecked Sendable {
    // SAFETY: `nextIndex` is only touched while holding `lock`.
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }
}
