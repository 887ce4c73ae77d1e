/// The persistence half of a `RevisionedStore`: tables, transactions and queries, with no threads, timers or
/// watch fan-out of its own.
///
/// Concurrency contract: the mutating methods (`apply`, `compactStep`, `expiredKeys`, `nextExpiry`, `close`)
/// are called only from the store's single writer thread, one at a time. Reads (`read`, `count`, `history`,
/// `revisions`) may run from any task concurrently with the writer and with each other, and always see a
/// committed snapshot.
protocol StorageEngine: WatchHistorySource {
    /// The persisted current and compact revisions, read at startup.
    func loadRevisions() throws -> (current: Revision, compact: Revision)

    /// Applies `requests` in order in one durable transaction, revisions starting at `current + 1`.
    /// Returns one result per request and the new current revision. On error nothing was applied.
    func apply(_ requests: [WriteRequest], current: Revision, nowMilliseconds: Int64) throws
        -> (results: [AppliedWrite], current: Revision)

    /// Keys whose TTL deadline is at or before `nowMilliseconds`, at most `limit`.
    func expiredKeys(nowMilliseconds: Int64, limit: Int) throws -> [ExpiredKey]

    /// The earliest TTL deadline of a live key, in Unix milliseconds.
    func nextExpiry() throws -> Int64?

    /// Compacts history from the saved compact revision towards `target` by at most `batchSize` revisions
    /// in one transaction that also saves the progress. Returns the new compact revision.
    func compactStep(target: Revision, batchSize: Int) throws -> Revision

    /// A read of `range` at `revision` (nil = current), in one snapshot with the revision checks.
    func read(_ range: KeyRange, at revision: Revision?, limit: Int?, keysOnly: Bool) async throws -> ReadResult

    /// The number of keys in `range` at `revision` (nil = current).
    func count(_ range: KeyRange, at revision: Revision?) async throws -> CountResult

    /// The current and compact revisions as persisted now.
    func revisions() async throws -> (current: Revision, compact: Revision)

    /// How many durable transactions (each one WAL fsync with synchronous=FULL) committed so far.
    var commitCount: Int { get }

    /// Whether the engine has housekeeping for the writer thread (``performMaintenance()``), which the writer
    /// runs between write batches, preferably when no write is waiting. Read from the writer thread.
    var maintenanceDue: Bool { get }

    /// Runs the housekeeping that ``maintenanceDue`` announced. Failures are the engine's to log; the writer
    /// goes on with its writes either way.
    func performMaintenance()

    /// Releases files and connections.
    func close()
}
