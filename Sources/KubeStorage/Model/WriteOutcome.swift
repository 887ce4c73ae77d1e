/// The result of a conditional write: committed at a new revision, or the compare failed.
///
/// Value type; Sendable. A conflict uses no revision and carries the key's current state, like etcd's
/// `Else OpGet` branch.
public enum WriteOutcome: Sendable, Equatable {
    /// The write committed at `revision`. `previous` is the value it replaced (nil for a create).
    case committed(revision: Revision, previous: KeyValue?)
    /// The compare failed. `current` is the key's state now (nil when absent) and `revision` the store's
    /// current revision.
    case conflict(current: KeyValue?, revision: Revision)

    /// The committed revision, or nil for a conflict.
    public var committedRevision: Revision? {
        if case .committed(let revision, _) = self { return revision }
        return nil
    }

    /// True for `.committed`.
    public var isCommitted: Bool { committedRevision != nil }
}
