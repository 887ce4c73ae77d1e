public import Logging

/// The default `KeyValueStore`: etcd's revision semantics on an embedded SQLite database (WAL,
/// `synchronous=FULL`), with one writer thread that group-commits concurrent writes.
///
/// Thread-safe; call from any task. Opening locks the database's directory against a second process (the
/// error names the holder's PID). Call `close()` to release it.
public final class SQLiteStore: RevisionedStoreBacked {
    let core: RevisionedStore
    /// The database file.
    public let path: String

    /// Durable transactions committed since the store opened (one WAL fsync each with `durability: .full`).
    public var commitCount: Int { core.engine.commitCount }

    /// Watches currently open.
    public var openWatchCount: Int { core.hub.watcherCount }

    /// Opens (or creates) the database at `path`.
    ///
    /// Throws `StorageError.dataDirectoryLocked`, `.corruptDatabase`, `.foreignDatabase` or
    /// `.spaceExceeded` with a message that says what to do.
    public init(
        path: String, options: SQLiteStoreOptions = SQLiteStoreOptions(),
        configuration: StoreConfiguration = StoreConfiguration(),
        logger: Logger = Logger(label: "swiftlet.store.sqlite")
    ) throws {
        self.path = path
        let engine = try SQLiteEngine(path: path, options: options, logger: logger)
        do {
            core = try RevisionedStore(engine: engine, configuration: configuration, logger: logger)
        } catch {
            engine.close()
            throw error
        }
    }
}

/// Options of the SQLite backend.
///
/// Value type; Sendable.
public struct SQLiteStoreOptions: Sendable {
    /// How a commit reaches the disk.
    public enum Durability: String, Sendable, CaseIterable {
        /// `synchronous=FULL`: an acknowledged write survives power loss (default).
        case full
        /// `synchronous=NORMAL`: survives a process crash, may lose the last commits on power loss.
        case normal
    }

    public var durability: Durability = .full
    /// The largest size the database may grow to; writes beyond it fail with `.spaceExceeded` (like etcd's
    /// `--quota-backend-bytes`). Nil = limited only by the disk.
    public var quotaBytes: Int64?
    /// Lock the file `<path>.lock` so a second process cannot open the same database.
    public var lockFile = true
    /// Read-only connections for concurrent reads.
    public var readerCount = 4
    /// Commits between two background checkpoints of the write-ahead log.
    public var checkpointEveryCommits = 200
    /// Log frames (pages) beyond which the writer makes the write-ahead log start over from its beginning
    /// (see `WALCheckpointer`); 4,096 frames is 16 MB at SQLite's default page size.
    public var walRestartFrames: Int32 = 4096

    public init(durability: Durability = .full, quotaBytes: Int64? = nil) {
        self.durability = durability
        self.quotaBytes = quotaBytes
    }
}
