/// Tuning shared by every `RevisionedStore` backend.
///
/// Value type; Sendable. The defaults suit a single-node cluster.
public struct StoreConfiguration: Sendable {
    /// How many messages a watcher may fall behind before its stream ends with `.watcherTooSlow`.
    public var watchBufferCapacity: Int = 4096
    /// The most writes one group commit (one transaction, one fsync) carries.
    public var maxWritesPerCommit: Int = 512
    /// Revisions compacted per transaction; each batch saves its progress.
    public var compactionBatchSize: Int = 1000
    /// Automatic compaction, as the Kubernetes API server drives it; nil turns it off.
    public var autoCompaction: AutoCompaction? = AutoCompaction()

    public init() {}

    /// Every `interval`, compact to the revision recorded one interval earlier, keeping at least
    /// `minRetainedRevisions` of the newest revisions.
    public struct AutoCompaction: Sendable {
        public var interval: Duration
        public var minRetainedRevisions: Int64

        public init(interval: Duration = .seconds(300), minRetainedRevisions: Int64 = 1000) {
            self.interval = interval
            self.minRetainedRevisions = minRetainedRevisions
        }
    }
}
