/// The revision rules every backend applies to a historical read or a watch replay.
enum HistoricalReadCheck {
    /// Throws when `requested` is above `current` or below `compact` (reads exactly at `compact` work).
    static func validate(_ requested: Revision, current: Revision, compact: Revision) throws(StorageError) {
        if requested > current { throw .futureRevision(requested: requested, current: current) }
        if requested < compact { throw .compacted(requested: requested, compactRevision: compact) }
    }

    /// Throws `.compacted` when a replay that needs everything from `from` on may have lost rows.
    static func validateReplay(from: Revision, compact: Revision) throws(StorageError) {
        if from < compact { throw .compacted(requested: from, compactRevision: compact) }
    }
}
