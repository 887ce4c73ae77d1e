/// One change to one key, delivered by a watch.
///
/// Value type; Sendable. A `delete` carries only the key and the delete's `modRevision` in `kv` (as etcd);
/// `previous` holds the value before the change when the watch asked for previous values and the store
/// still has it.
public struct StoreEvent: Sendable, Equatable {
    /// Put (create or update) or delete.
    public enum Kind: Sendable, Equatable {
        case put
        case delete
    }

    public var kind: Kind
    public var kv: KeyValue
    public var previous: KeyValue?

    public init(kind: Kind, kv: KeyValue, previous: KeyValue?) {
        self.kind = kind
        self.kv = kv
        self.previous = previous
    }

    /// The revision this event happened at.
    public var revision: Revision { kv.modRevision }
}

/// A message on a watch stream.
///
/// Value type; Sendable. Across one stream, event revisions strictly increase and one revision is never split
/// between messages.
public enum StoreWatchMessage: Sendable, Equatable {
    /// Events in revision order.
    case events([StoreEvent])
    /// Every event in the watched range up to and including this revision has been delivered.
    case progress(Revision)
}
