/// One stored key with its revision metadata, as etcd's `mvccpb.KeyValue`.
///
/// Value type; Sendable. Keys are UTF-8 strings such as `/registry/pods/default/web-0`; ordering between
/// keys is always byte order of their UTF-8 encoding.
public struct KeyValue: Sendable, Equatable, Hashable {
    /// The key.
    public var key: String
    /// The stored bytes. Empty for the `kv` of a delete event.
    public var value: [UInt8]
    /// The revision at which the key was (last) created.
    public var createRevision: Revision
    /// The revision of the last mutation of the key.
    public var modRevision: Revision
    /// 1 on create, +1 per update; a delete resets it (a re-create starts again at 1).
    public var version: Int64
    /// The time-to-live in seconds this value was written with; 0 when it has none.
    public var lease: Int64

    public init(
        key: String, value: [UInt8], createRevision: Revision, modRevision: Revision, version: Int64,
        lease: Int64 = 0
    ) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }
}
