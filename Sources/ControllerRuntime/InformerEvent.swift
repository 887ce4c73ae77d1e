public import KubeAPI

/// A change the informer applied to its cache, delivered to its handlers in order.
///
/// Value type; Sendable.
public enum InformerEvent<Object: KubeResource>: Sendable {
    case added(Object)
    /// `old` is the cached object before the change; on a resync `old == new`.
    case updated(old: Object, new: Object)
    /// The last state the informer saw (a relist may notice a delete long after it happened).
    case deleted(Object)

    /// The object after the event (the deleted object's last state for deletes).
    public var object: Object {
        switch self {
        case .added(let object), .deleted(let object): object
        case .updated(_, let new): new
        }
    }
}
