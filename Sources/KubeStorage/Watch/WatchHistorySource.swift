/// Where a watch reads the history it replays before switching to live events.
///
/// Implementations are safe to call from any task.
protocol WatchHistorySource: Sendable {
    /// Events in `range` with revisions in `[from, through]`, in revision order, at most `limit` of them.
    /// Throws `.compacted` when history at or after `from` may be incomplete because the compact revision
    /// is above `from`.
    func history(_ range: KeyRange, from: Revision, through: Revision, limit: Int, prevKV: Bool) async throws
        -> [StoreEvent]
}
