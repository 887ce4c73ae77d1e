import Foundation
import GRDBSQLite
import Logging

/// Copies the write-ahead log back into the database file on its own thread and its own connection, so
/// the writer never pays for a checkpoint (and its fsync) inside a commit.
///
/// Thread-safe: `noteCommit` and `close` may be called from any thread; all state is guarded by
/// `condition`. SQLite's PASSIVE checkpoint runs beside the writer without blocking it.
final class WALCheckpointer: @unchecked Sendable {
    // SAFETY: `commitsSinceCheckpoint`, `closing` and `finished` are guarded by `condition`.
    private let condition = NSCondition()
    private var commitsSinceCheckpoint = 0
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
            if status != SQLITE_OK && status != SQLITE_BUSY {
                logger.warning("WAL checkpoint failed", metadata: ["status": "\(status)"])
            }
        }
    }
}
