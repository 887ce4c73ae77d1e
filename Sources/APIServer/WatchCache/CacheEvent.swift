import KubeStorage

/// One change to one cached key: a put (`object` set; `previous` set for an update) or a delete (`object`
/// nil, `previous` the deleted object when the cache held it).
///
/// Value type; Sendable. The objects share their bytes with the cache state.
struct CacheEvent: Sendable {
    let key: String
    let revision: Revision
    let object: CachedObject?
    let previous: CachedObject?
}

/// What a cache watcher receives: events of its resource in revision order, and progress marks.
///
/// Value type; Sendable.
enum CacheWatchMessage: Sendable {
    case event(CacheEvent)
    /// Every event up to this revision has been delivered (a BOOKMARK when the client allows them).
    case progress(Revision)
}
