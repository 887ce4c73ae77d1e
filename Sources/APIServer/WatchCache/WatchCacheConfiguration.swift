/// Sizes and timeouts of the watch cache.
///
/// Value type; Sendable. The defaults suit a single-node cluster.
public struct WatchCacheConfiguration: Sendable {
    /// Recent events kept per resource for watches that resume from a resourceVersion (upstream keeps 100
    /// to 102,400, sized to about 75 s of events).
    public var eventRingCapacity: Int = 4096
    /// Events a watcher may have queued before it is ended as too slow.
    public var watcherQueueCapacity: Int = 4096
    /// How long a consistent or "not older than" read waits for the cache to catch up before it is served
    /// from the store instead (upstream: 3 s).
    public var freshnessTimeout: Duration = .seconds(3)
    /// Keys per page of the initial list.
    public var listPageSize: Int = 5000
    /// The pause before the feed lists again after a failure.
    public var retryDelay: Duration = .milliseconds(200)

    public init() {}
}
