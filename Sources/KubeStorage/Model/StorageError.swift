/// Errors of the storage layer. The API server maps them to Kubernetes `Status` objects in one place.
///
/// Value type; Sendable.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The revision asked for has been compacted away (HTTP 410 at the API).
    case compacted(requested: Revision, compactRevision: Revision)
    /// The revision asked for is newer than the store's current revision.
    case futureRevision(requested: Revision, current: Revision)
    /// A value is larger than the per-object limit every backend enforces.
    case valueTooLarge(size: Int, limit: Int)
    /// A watcher did not read its events fast enough; its stream ended. Re-watch (relist if needed).
    case watcherTooSlow(bufferLimit: Int)
    /// The backend cannot serve requests (closed, down, no leader).
    case unavailable(String)
    /// Another process holds the data directory.
    case dataDirectoryLocked(path: String, holderPID: Int32?)
    /// The database file is damaged or is not a database at all.
    case corruptDatabase(path: String, detail: String)
    /// The database file belongs to another program or to an unknown schema version.
    case foreignDatabase(path: String, detail: String)
    /// The disk (or the configured quota) is full; the write was not applied.
    case spaceExceeded(path: String, detail: String)
    /// An argument is invalid (negative limit, bad key, malformed continue token, ...).
    case invalidArgument(String)
    /// Any other backend failure; nothing was applied by the failing call.
    case backend(String)
    /// A value could not be transformed to or from its stored form (encryption at rest): the key and the
    /// transformer's reason, which says what to do.
    case transformFailed(key: String, reason: String)

    public var description: String {
        switch self {
        case .compacted(let requested, let compactRevision):
            "required revision \(requested) has been compacted (compact revision is \(compactRevision)); "
                + "re-list and watch from a newer revision"
        case .futureRevision(let requested, let current):
            "required revision \(requested) is a future revision (current revision is \(current))"
        case .valueTooLarge(let size, let limit):
            "value of \(size) bytes is larger than the limit of \(limit) bytes; store less data in one object"
        case .watcherTooSlow(let bufferLimit):
            "watcher fell more than \(bufferLimit) messages behind and was closed; watch again from the last "
                + "revision it saw"
        case .unavailable(let detail):
            "storage unavailable: \(detail)"
        case .dataDirectoryLocked(let path, let pid):
            "data directory \(path) is in use by "
                + (pid.map { "process \($0)" } ?? "another process")
                + "; stop that process or choose another data directory"
        case .corruptDatabase(let path, let detail):
            "database \(path) is damaged or not a SQLite database (\(detail)); restore it from a backup or "
                + "move it away to start empty"
        case .foreignDatabase(let path, let detail):
            "database \(path) was not written by Swiftlet (\(detail)); choose another data directory"
        case .spaceExceeded(let path, let detail):
            "database space exceeded at \(path) (\(detail)); free disk space, raise the quota or compact"
        case .invalidArgument(let detail):
            "invalid argument: \(detail)"
        case .backend(let detail):
            "storage backend error: \(detail)"
        case .transformFailed(let key, let reason):
            "unable to transform key \"\(key)\": \(reason)"
        }
    }
}
