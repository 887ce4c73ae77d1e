public import Foundation

/// Upstream `controller.UIDTrackingControllerExpectations`: per owner key, how many pod creations and
/// which pod deletions the controller still expects to see in its informer before it may act again.
/// Expectations expire after ``timeout`` (upstream `ExpectationsTimeout`, 5 minutes) so a lost watch event
/// cannot stall an owner forever.
///
/// Value type; Sendable. The owning controller keeps one behind a lock.
public struct ControllerExpectations: Sendable, Equatable {
    public static let timeout: TimeInterval = 5 * 60

    /// What one owner is waiting for.
    public struct Entry: Sendable, Equatable {
        public var pendingCreations: Int
        public var pendingDeletions: Int
        /// `namespace/name` of the pods whose deletion is expected.
        public var deletionKeys: Set<String>
        public var recordedAt: Date

        public var isFulfilled: Bool { pendingCreations <= 0 && pendingDeletions <= 0 }
    }

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Upstream `SatisfiedExpectations`: true when nothing is expected, everything expected was seen,
    /// or the expectations expired.
    public func isSatisfied(_ ownerKey: String, now: Date) -> Bool {
        guard let entry = entries[ownerKey] else { return true }
        if entry.isFulfilled { return true }
        return now.timeIntervalSince(entry.recordedAt) > Self.timeout
    }

    /// Upstream `ExpectCreations`: replaces the owner's expectations with `count` creations.
    public mutating func expectCreations(_ ownerKey: String, count: Int, now: Date) {
        entries[ownerKey] = Entry(pendingCreations: count, pendingDeletions: 0, deletionKeys: [], recordedAt: now)
    }

    /// Upstream `ExpectDeletions`: replaces the owner's expectations with the deletion of `podKeys`.
    public mutating func expectDeletions(_ ownerKey: String, podKeys: [String], now: Date) {
        let keys = Set(podKeys)
        entries[ownerKey] = Entry(pendingCreations: 0, pendingDeletions: keys.count, deletionKeys: keys, recordedAt: now)
    }

    /// Upstream `CreationObserved`: one expected creation arrived (or will never arrive).
    public mutating func creationObserved(_ ownerKey: String) {
        entries[ownerKey]?.pendingCreations -= 1
    }

    /// Upstream `DeletionObserved`: counts only pods whose deletion was expected, once each.
    public mutating func deletionObserved(_ ownerKey: String, podKey: String) {
        guard var entry = entries[ownerKey], entry.deletionKeys.contains(podKey) else { return }
        entry.deletionKeys.remove(podKey)
        entry.pendingDeletions -= 1
        entries[ownerKey] = entry
    }

    /// Upstream `DeleteExpectations`: the owner is gone (or was re-created).
    public mutating func forget(_ ownerKey: String) {
        entries[ownerKey] = nil
    }
}
