/// The answer to a `get` or `range`, as etcd's `RangeResponse`.
///
/// Value type; Sendable.
public struct ReadResult: Sendable, Equatable {
    /// Matching keys in byte order (at most `limit`).
    public var kvs: [KeyValue]
    /// True when more keys than `limit` matched.
    public var more: Bool
    /// The number of keys in the range at the read revision, not limited by `limit`.
    public var count: Int64
    /// The store's current revision when the read ran, also for historical reads (etcd's header revision).
    public var revision: Revision

    public init(kvs: [KeyValue], more: Bool, count: Int64, revision: Revision) {
        self.kvs = kvs
        self.more = more
        self.count = count
        self.revision = revision
    }
}

/// The answer to a `count`: the number of live keys in a range and the store's current revision.
///
/// Value type; Sendable.
public struct CountResult: Sendable, Equatable {
    public var count: Int64
    public var revision: Revision

    public init(count: Int64, revision: Revision) {
        self.count = count
        self.revision = revision
    }
}
