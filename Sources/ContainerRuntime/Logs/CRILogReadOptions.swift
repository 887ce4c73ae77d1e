/// What part of a container log to return and how (the `kubectl logs` options).
///
/// A value type; Sendable.
public struct CRILogReadOptions: Sendable, Hashable {
    /// Only the last this many lines of the existing log (nil = all; 0 = none, useful with `follow`).
    public var tailLines: Int?
    /// Skip records written before this instant.
    public var since: CRITimestamp?
    /// Prefix each line with its RFC 3339 timestamp and a space.
    public var timestamps: Bool
    /// Stop after this many bytes of output.
    public var limitBytes: Int?
    /// After the existing log, keep returning new lines until the container has exited (or the consumer
    /// stops iterating).
    public var follow: Bool

    public init(
        tailLines: Int? = nil, since: CRITimestamp? = nil, timestamps: Bool = false, limitBytes: Int? = nil,
        follow: Bool = false
    ) {
        self.tailLines = tailLines
        self.since = since
        self.timestamps = timestamps
        self.limitBytes = limitBytes
        self.follow = follow
    }
}
