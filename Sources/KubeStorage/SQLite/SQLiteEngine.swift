import Foundation
import GRDB
import Logging
import Synchronization

/// The SQLite engine behind `SQLiteStore`, on GRDB's `DatabasePool` (WAL: one writer connection beside
/// concurrent read-only connections).
///
/// Thread-safe; see `StorageEngine` for the call contract. Every read runs in one read transaction that
/// also reads the revisions it checks, so data and checks describe the same snapshot.
final class SQLiteEngine: StorageEngine {
    let path: String
    let pool: DatabasePool
    private let lock: DataDirectoryLock?
    let checkpointer: WALCheckpointer
    let commits = Atomic(0)
    private let logger: Logger

    init(path: String, options: SQLiteStoreOptions, logger: Logger) throws {
        self.path = path
        self.logger = logger
        let lock = options.lockFile ? try DataDirectoryLock.acquire(path: path + ".lock", protecting: path) : nil
        do {
            try Self.checkHeader(path: path)
            var configuration = Configuration()
            configuration.maximumReaderCount = max(1, options.readerCount)
            configuration.busyMode = .timeout(10)
            configuration.label = "swiftlet.store"
            let synchronous = options.durability == .full ? "FULL" : "NORMAL"
            let quota = options.quotaBytes
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
                // Reads map the file instead of copying pages through read(2); a larger page cache keeps
                // hot lists in memory.
                try db.execute(sql: "PRAGMA mmap_size = 268435456")
                try db.execute(sql: "PRAGMA cache_size = -32768")
                // Checkpoints run on the WALCheckpointer's own connection, never inside a commit.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                if let quota {
                    let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                    try db.execute(sql: "PRAGMA max_page_count = \(max(16, quota / pageSize))")
                }
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrate(pool, path: path)
            checkpointer = try WALCheckpointer(
                path: path, everyCommits: options.checkpointEveryCommits, restartFrames: options.walRestartFrames, logger: logger)
            self.lock = lock
        } catch {
            lock?.release()
            throw Self.storageError(error, path: path)
        }
    }

    /// Rejects files that are not SQLite databases before SQLite touches them.
    private static func checkHeader(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }  // new database
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }
        if header != Data("SQLite format 3\0".utf8) {
            throw StorageError.corruptDatabase(path: path, detail: "the file does not start with a SQLite header")
        }
    }

    private static func migrate(_ pool: DatabasePool, path: String) throws {
        try pool.barrierWriteWithoutTransaction { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let userVersion = try Int32.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if applicationID == 0 && userVersion == 0 {
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if !tables.isEmpty {
                    throw StorageError.foreignDatabase(
                        path: path, detail: "it has tables \(tables.joined(separator: ", ")) but no Swiftlet id")
                }
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                try db.execute(sql: "VACUUM")  // applies auto_vacuum to the empty file
                try db.inTransaction(.immediate) {
                    try db.execute(sql: SQLiteSchema.create)
                    try db.execute(sql: "PRAGMA application_id = \(SQLiteSchema.applicationID)")
                    try db.execute(sql: "PRAGMA user_version = \(SQLiteSchema.version)")
                    return .commit
                }
                return
            }
            if applicationID != SQLiteSchema.applicationID {
                throw StorageError.foreignDatabase(
                    path: path, detail: "application id \(applicationID) is not Swiftlet's")
            }
            if userVersion != SQLiteSchema.version {
                throw StorageError.foreignDatabase(
                    path: path, detail: "schema version \(userVersion) is not \(SQLiteSchema.version), which this "
                        + "Swiftlet understands")
            }
            let current = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'current_revision'")
            let highest = try Int64.fetchOne(db, sql: "SELECT MAX(revision) FROM log") ?? 0
            guard let current, current >= highest else {
                throw StorageError.corruptDatabase(
                    path: path, detail: "the current revision is missing or below the newest log row \(highest)")
            }
        }
    }

    /// Maps SQLite errors to `StorageError` so callers never see GRDB types.
    static func storageError(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_FULL:
            return StorageError.spaceExceeded(path: path, detail: error.message ?? "database or disk is full")
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StorageError.corruptDatabase(path: path, detail: error.message ?? "\(error.resultCode)")
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
            return StorageError.unavailable("cannot open \(path) for writing: \(error.message ?? "\(error.resultCode)")")
        default:
            return StorageError.backend("\(error)")
        }
    }

    func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw Self.storageError(error, path: path) }
    }

    var commitCount: Int { commits.load(ordering: .relaxed) }

    var maintenanceDue: Bool { checkpointer.restartWanted }

    /// Copies the last frames of a long write-ahead log into the database on the writer's own connection.
    /// With every frame copied and no write in between, the next commit starts the log over from its
    /// beginning (SQLite restarts the log only then), so the file stops growing. Readers still reading an
    /// older snapshot from the log postpone that to a later commit; nothing waits for them.
    func performMaintenance() {
        checkpointer.clearRestartRequest()
        let (status, outcome) = pool.writeWithoutTransaction { db in
            WALCheckpointer.checkpointPassive(db.sqliteConnection)
        }
        if outcome.failed(status: status) {
            logger.warning("WAL catch-up checkpoint failed", metadata: ["path": "\(path)", "status": "\(status)"])
        } else {
            logger.debug("WAL caught up for a restart", metadata: [
                "walFrames": "\(outcome.walFrames)", "checkpointedFrames": "\(outcome.checkpointedFrames)",
            ])
        }
    }

    func close() {
        checkpointer.close()
        // Fold the WAL into the database so a closed store is one self-contained file.
        do {
            try pool.writeWithoutTransaction { db in _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        } catch {
            logger.warning("WAL checkpoint at close failed", metadata: ["path": "\(path)", "error": "\(error)"])
        }
        do {
            try pool.close()
        } catch {
            logger.warning("Database close failed", metadata: ["path": "\(path)", "error": "\(error)"])
        }
        lock?.release()
    }

    // MARK: Revisions

    func loadRevisions() throws -> (current: Revision, compact: Revision) {
        try mapped { try pool.read(Self.revisionsInSnapshot) }
    }

    func revisions() async throws -> (current: Revision, compact: Revision) {
        do { return try await pool.read(Self.revisionsInSnapshot) } catch { throw Self.storageError(error, path: path) }
    }

}
