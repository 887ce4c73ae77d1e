import Foundation
import Logging
import Synchronization

/// The single writer of a store: a dedicated thread that group-commits queued writes (one transaction and
/// one fsync for everything queued meanwhile), expires TTLs on wall-clock deadlines, runs compaction in
/// batches between writes, runs the engine's maintenance when no write waits (or after
/// `maintenancePatience` batches), and publishes committed events to the watch hub in revision order.
///
/// Thread-safe. Callers suspend on a continuation while the thread does the blocking I/O, so no task of the
/// cooperative pool ever waits for an fsync. A dedicated thread (rather than an actor) is deliberate: SQLite
/// and fsync block, and on two cores a blocked executor thread would stall unrelated tasks.
final class StoreWriter: @unchecked Sendable {
    // SAFETY: every `var` below is read and written only while holding `condition`.
    private let condition = NSCondition()
    private var pending: [(WriteRequest, CheckedContinuation<WriteOutcome, any Error>)] = []
    private var compactionJobs: [(target: Revision, waiter: CheckedContinuation<Void, any Error>?)] = []
    private var closing = false
    private var finished = false
    private var closeWaiters: [CheckedContinuation<Void, Never>] = []
    private var nextExpiry: Int64?
    private var lastWorkWasWrites = false
    private var batchesWhileMaintenanceDue = 0

    /// Write batches the engine's due maintenance waits for an idle moment before it runs anyway.
    static let maintenancePatience = 32

    private let engine: any StorageEngine
    private let hub: WatchHub
    private let configuration: StoreConfiguration
    private let logger: Logger
    private let current: Atomic<Int64>
    private var checkpoints: [(at: Int64, revision: Revision)] = []  // writer thread only
    private var nextAutoCompaction: Int64?  // writer thread only

    init(engine: any StorageEngine, hub: WatchHub, current: Revision, configuration: StoreConfiguration,
         logger: Logger) throws {
        self.engine = engine
        self.hub = hub
        self.configuration = configuration
        self.logger = logger
        self.current = Atomic(current)
        self.nextExpiry = try engine.nextExpiry()
        if let auto = configuration.autoCompaction {
            nextAutoCompaction = Self.nowMilliseconds() + auto.interval.milliseconds
            checkpoints.append((Self.nowMilliseconds(), current))
        }
        let thread = Thread { [self] in
            // Named from inside: on Linux a name set before `start()` is not applied. At most 15 bytes.
            Thread.current.name = "store-writer"
            self.runLoop()
        }
        thread.start()
    }

    /// The revision of the last commit.
    var currentRevision: Revision { current.load(ordering: .acquiring) }

    /// Queues one write and waits until it is durable (or failed).
    func submit(_ request: WriteRequest) async throws -> WriteOutcome {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            if closing {
                condition.unlock()
                continuation.resume(throwing: StorageError.unavailable("the store is closed"))
                return
            }
            pending.append((request, continuation))
            condition.signal()
            condition.unlock()
        }
    }

    /// Compacts to `target` in batches interleaved with writes, then returns.
    func compact(to target: Revision) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            if closing {
                condition.unlock()
                continuation.resume(throwing: StorageError.unavailable("the store is closed"))
                return
            }
            compactionJobs.append((target, continuation))
            condition.signal()
            condition.unlock()
        }
    }

    /// Finishes queued writes, stops the thread, closes the engine and ends every watch.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if finished {
                condition.unlock()
                continuation.resume()
                return
            }
            closing = true
            closeWaiters.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    var isClosing: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closing
    }

    // MARK: - Writer thread

    private enum Work {
        case writes([(WriteRequest, CheckedContinuation<WriteOutcome, any Error>)])
        case expire
        case compact(target: Revision, waiter: CheckedContinuation<Void, any Error>?)
        case autoCompact
        case maintain
        case stop([CheckedContinuation<Void, Never>])
    }

    private func runLoop() {
        while true {
            switch nextWork() {
            case .writes(let batch):
                commit(batch)
            case .expire:
                expireDueKeys()
            case .compact(let target, let waiter):
                compactionStep(target: target, waiter: waiter)
            case .autoCompact:
                scheduleAutoCompaction()
            case .maintain:
                engine.performMaintenance()
            case .stop(let waiters):
                engine.close()
                hub.close(throwing: StorageError.unavailable("the store is closed"))
                condition.lock()
                finished = true
                condition.unlock()
                for waiter in waiters { waiter.resume() }
                return
            }
        }
    }

    /// Waits for and takes the next piece of work: a group of writes, a TTL expiry pass, one compaction
    /// batch, the engine's maintenance, or the stop. Compaction never holds writers back by more than one batch.
    private func nextWork() -> Work {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let now = Self.nowMilliseconds()
            let expiryDue = !closing && (nextExpiry.map { $0 <= now } ?? false)
            let maintenanceDue = engine.maintenanceDue
            let maintenanceOverdue = maintenanceDue && batchesWhileMaintenanceDue >= Self.maintenancePatience
            // Alternate with expiry, compaction and overdue maintenance so none starves under a steady
            // stream of writes.
            if !pending.isEmpty
                && !(lastWorkWasWrites && (expiryDue || !compactionJobs.isEmpty || maintenanceOverdue))
            {
                lastWorkWasWrites = true
                if maintenanceDue { batchesWhileMaintenanceDue += 1 }
                let count = min(pending.count, configuration.maxWritesPerCommit)
                let batch = Array(pending.prefix(count))
                pending.removeFirst(count)
                return .writes(batch)
            }
            lastWorkWasWrites = false
            if expiryDue {
                nextExpiry = nil
                return .expire
            }
            if let job = compactionJobs.first {
                compactionJobs.removeFirst()
                return .compact(target: job.target, waiter: job.waiter)
            }
            if maintenanceDue && (pending.isEmpty || maintenanceOverdue) {
                batchesWhileMaintenanceDue = 0
                return .maintain
            }
            if !pending.isEmpty { continue }
            if closing {
                let waiters = closeWaiters
                closeWaiters = []
                return .stop(waiters)
            }
            if let due = nextAutoCompaction, due <= now {
                return .autoCompact
            }
            let deadline = [nextExpiry, nextAutoCompaction].compactMap { $0 }.min()
            if let deadline {
                _ = condition.wait(until: Date(timeIntervalSince1970: Double(deadline) / 1000))
            } else {
                condition.wait()
            }
        }
    }

    private func commit(_ batch: [(WriteRequest, CheckedContinuation<WriteOutcome, any Error>)]) {
        let requests = batch.map(\.0)
        let now = Self.nowMilliseconds()
        do {
            let results = try apply(requests, now: now)
            for (index, result) in results.enumerated() {
                batch[index].1.resume(returning: result.outcome)
            }
        } catch where batch.count == 1 {
            batch[0].1.resume(throwing: error)
        } catch {
            // One transaction failed: retry each write alone so one bad write cannot fail its neighbours.
            logger.warning(
                "Group commit failed; retrying writes one by one",
                metadata: ["writes": "\(batch.count)", "error": "\(error)"])
            for (request, continuation) in batch {
                do {
                    let results = try apply([request], now: now)
                    continuation.resume(returning: results[0].outcome)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Applies, records the new revision, then publishes the events (in revision order).
    private func apply(_ requests: [WriteRequest], now: Int64) throws -> [AppliedWrite] {
        let before = current.load(ordering: .acquiring)
        let (results, after) = try engine.apply(requests, current: before, nowMilliseconds: now)
        current.store(after, ordering: .releasing)
        for request in requests {
            switch request {
            case .create(_, _, let ttl?), .update(_, _, _, let ttl?):
                let deadline = now + ttl * 1000
                condition.lock()
                nextExpiry = min(nextExpiry ?? deadline, deadline)
                condition.unlock()
            default:
                break
            }
        }
        if after != before {
            hub.publish(results.compactMap(\.event), revision: after)
        }
        return results
    }

    private func expireDueKeys() {
        let now = Self.nowMilliseconds()
        do {
            let due = try engine.expiredKeys(nowMilliseconds: now, limit: configuration.maxWritesPerCommit)
            if !due.isEmpty {
                let requests = due.map { WriteRequest.delete(key: $0.key, expectedModRevision: $0.modRevision) }
                let results = try apply(requests, now: now)
                logger.debug(
                    "Expired keys deleted",
                    metadata: ["count": "\(results.filter { $0.outcome.isCommitted }.count)"])
            }
            let next = try engine.nextExpiry()
            condition.lock()
            nextExpiry = [nextExpiry, next].compactMap { $0 }.min()
            condition.unlock()
        } catch {
            logger.error("TTL expiry failed; retrying in one second", metadata: ["error": "\(error)"])
            condition.lock()
            nextExpiry = now + 1000
            condition.unlock()
        }
    }

    private func compactionStep(target: Revision, waiter: CheckedContinuation<Void, any Error>?) {
        do {
            let (currentRevision, compactRevision) = try engine.loadRevisions()
            if waiter != nil {
                if target <= compactRevision && target > 0 {
                    throw StorageError.compacted(requested: target, compactRevision: compactRevision)
                }
                if target > currentRevision {
                    throw StorageError.futureRevision(requested: target, current: currentRevision)
                }
            }
            let reached = try engine.compactStep(target: target, batchSize: configuration.compactionBatchSize)
            if reached >= target {
                logger.debug("Compaction finished", metadata: ["revision": "\(reached)"])
                waiter?.resume()
            } else {
                // Re-queue the rest behind any writes that arrived meanwhile; the waiter stays attached.
                condition.lock()
                compactionJobs.insert((target, waiter), at: 0)
                condition.unlock()
            }
        } catch {
            if let waiter {
                waiter.resume(throwing: error)
            } else {
                logger.error("Automatic compaction failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private func scheduleAutoCompaction() {
        guard let auto = configuration.autoCompaction else { return }
        let now = Self.nowMilliseconds()
        let revision = current.load(ordering: .acquiring)
        // Compact to the revision recorded one interval ago, keeping the newest revisions.
        let target = min(checkpoints.first?.revision ?? 0, revision - auto.minRetainedRevisions)
        checkpoints = [(now, revision)]
        nextAutoCompaction = now + auto.interval.milliseconds
        if let compact = try? engine.loadRevisions().compact, target > compact {
            logger.debug("Automatic compaction started", metadata: ["revision": "\(target)"])
            condition.lock()
            compactionJobs.append((target, nil))
            condition.unlock()
        }
    }

    static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
