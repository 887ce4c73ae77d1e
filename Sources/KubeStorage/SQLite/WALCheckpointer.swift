import Foundation
import GRDBSQLite
import Logging

/// Copies the write-ahead log back into the database file on its own thread and its own connection, so
/// the writer never pays for a checkpoint (and its fsync) inside a commit.
///
/// Thread-safe: `noteCommit` and `close` may be called from any thread; all state is guarded by
/// `condition`. SQLite's PASSIVE checkpoint runs beside the writer without blocking it.
final class WALCheckpointer: @unchecked Sendable {
    // SAFETY: `commitsSinceCheckpoint`, `closing`, `finished`, `completed` and `lastOutcome` are guarded by
    // `condition`.
    private let condition = NSCondition()
    private var commitsSinceCheckpoint = 0
    private var completed = 0
    private var lastOutcome = CheckpointOutcome(walFrames: 0, checkpointedFrames: 0)
    private var closing = false
    private var finished = false
    private let connection: OpaquePointer
    private let threshold: Int
    private let logger: Logger

    /// Opens a second read-write connection to `path` (which must already be in WAL mode).
    init(path: String, everyCommits threshold: Int, logger: Logger) throws {
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            throw StorageError.unavailable("cannot open a checkpoint connection to \(path): SQLite error \(status)")
        }
        sqlite3_busy_timeout(handle, 5000)
        // A connection learns that the database is in WAL mode when it first reads it; until then every
        // checkpoint is a no-op reporting -1 frames. Read the journal mode once now.
        let modeStatus = sqlite3_exec(handle, "PRAGMA journal_mode", nil, nil, nil)
        guard modeStatus == SQLITE_OK else {
            sqlite3_close_v2(handle)
            throw StorageError.unavailable("cannot read the journal mode of \(path) for checkpoints: SQLite error \(modeStatus)")
        }
        self.connection = handle
        self.threshold = threshold
        self.logger = logger
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "swiftlet-wal-checkpointer"
        thread.start()
    }

    /// Counts one commit; every `threshold` commits wakes the checkpoint thread.
    func noteCommit() {
        condition.lock()
        commitsSinceCheckpoint += 1
        if commitsSinceCheckpoint >= threshold { condition.signal() }
        condition.unlock()
    }

    /// What one checkpoint did: frames in the log and frames copied into the database file (-1 when the
    /// connection did not see a WAL database).
    struct CheckpointOutcome: Equatable {
        var walFrames: Int32
        var checkpointedFrames: Int32
    }

    /// Checkpoints finished so far.
    var completedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return completed
    }

    /// Waits until more than `count` checkpoints have finished; the last one's outcome, or nil after `timeout`.
    func waitForCheckpoint(after count: Int, timeout: Duration) -> CheckpointOutcome? {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        condition.lock()
        defer { condition.unlock() }
        while completed <= count {
            if !condition.wait(until: deadline) { return completed > count ? lastOutcome : nil }
        }
        return lastOutcome
    }

    /// Stops the thread and closes its connection; waits until both are done.
    func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while commitsSinceCheckpoint < threshold && !closing { condition.wait() }
            if closing {
                sqlite3_close_v2(connection)
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            commitsSinceCheckpoint = 0
            condition.unlock()
            var logFrames: Int32 = 0
            var checkpointed: Int32 = 0
            let status = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &checkpointed)
            if status != SQLITE_OK && status != SQLITE_BUSY || logFrames < 0 {
                logger.warning("WAL checkpoint failed", metadata: ["status": "\(status)", "walFrames": "\(logFrames)"])
            }
            condition.lock()
            completed += 1
            lastOutcome = CheckpointOutcome(walFrames: logFrames, checkpointedFrames: checkpointed)
            condition.broadcast()
            condition.unlock()
            logger.debug("WAL checkpoint", metadata: [
                "status": "\(status)", "walFrames": "\(logFrames)", "checkpointedFrames": "\(checkpointed)",
            ])
        }
    }
}
