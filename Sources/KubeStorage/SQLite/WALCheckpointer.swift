import Foundation
import GRDBSQLite
import Logging
import Synchronization

/// Copies the write-ahead log back into the database file on its own thread and its own connection, so
/// the writer never pays for a checkpoint (and its fsync) inside a commit.
///
/// SQLite starts the log over from its beginning only when a commit finds every frame already copied. Under
/// a steady stream of writes a background checkpoint never wins that race, and the log file would grow with
/// every write. So once the log holds `restartFrames` frames, the checkpointer asks the store's writer to
/// copy the last few frames itself between two write batches (`restartWanted`, `SQLiteEngine.performMaintenance`).
///
/// Thread-safe: `noteCommit`, `restartWanted` and `close` may be called from any thread; all other state is
/// guarded by `condition`. SQLite's PASSIVE checkpoint runs beside the writer without blocking it.
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
    private let restartFrames: Int32
    private let restartRequest = Atomic(false)
    private let logger: Logger

    /// Opens a second read-write connection to `path` (which must already be in WAL mode). Checkpoints run
    /// every `threshold` commits; a log of `restartFrames` frames or more asks the writer for a restart.
    init(path: String, everyCommits threshold: Int, restartFrames: Int32, logger: Logger) throws {
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
        self.restartFrames = restartFrames
        self.logger = logger
        let thread = Thread { [self] in
            // Named from inside: on Linux a name set before `start()` is not applied. At most 15 bytes.
            Thread.current.name = "wal-checkpoint"
            self.runLoop()
        }
        thread.start()
    }

    /// Counts one commit; every `threshold` commits wakes the checkpoint thread.
    func noteCommit() {
        condition.lock()
        commitsSinceCheckpoint += 1
        if commitsSinceCheckpoint >= threshold { condition.signal() }
        condition.unlock()
    }

    /// Whether the log has grown past `restartFrames` and the writer should catch the checkpoint up.
    var restartWanted: Bool { restartRequest.load(ordering: .relaxed) }

    /// The writer took the restart request.
    func clearRestartRequest() {
        restartRequest.store(false, ordering: .relaxed)
    }

    /// A PASSIVE checkpoint on `connection`: SQLite's status and what it did. It failed when `failed` is true;
    /// `SQLITE_BUSY` (another checkpoint is running) is not a failure.
    static func checkpointPassive(_ connection: OpaquePointer?) -> (status: Int32, outcome: CheckpointOutcome) {
        var logFrames: Int32 = 0
        var checkpointed: Int32 = 0
        let status = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &checkpointed)
        return (status, CheckpointOutcome(walFrames: logFrames, checkpointedFrames: checkpointed))
    }

    /// What one checkpoint did: frames in the log and frames copied into the database file (-1 when the
    /// connection did not see a WAL database).
    struct CheckpointOutcome: Equatable {
        var walFrames: Int32
        var checkpointedFrames: Int32

        /// Whether a checkpoint that returned `status` with this outcome failed (an error status, or a
        /// connection that did not see a WAL database).
        func failed(status: Int32) -> Bool {
            status != SQLITE_OK && status != SQLITE_BUSY || walFrames < 0
        }
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
            let (status, outcome) = Self.checkpointPassive(connection)
            if outcome.failed(status: status) {
                logger.warning("WAL checkpoint failed", metadata: ["status": "\(status)", "walFrames": "\(outcome.walFrames)"])
            } else if outcome.walFrames >= restartFrames {
                restartRequest.store(true, ordering: .relaxed)
            }
            condition.lock()
            completed += 1
            lastOutcome = outcome
            condition.broadcast()
            condition.unlock()
            logger.debug("WAL checkpoint", metadata: [
                "status": "\(status)", "walFrames": "\(outcome.walFrames)",
                "checkpointedFrames": "\(outcome.checkpointedFrames)",
            ])
        }
    }
}
