/// Owners the collector has confirmed absent (upstream `ReferenceCache`, an LRU of 500): lets dependents of a
/// deleted owner be collected without asking the API about the same owner again.
///
/// Value type; Sendable. Evicts the least recently added or used entry beyond `capacity`.
public struct AbsentOwnerCache: Sendable, Equatable {
    public let capacity: Int
    private var order: [ObjectIdentity] = []
    private var members: Set<ObjectIdentity> = []

    public init(capacity: Int = 500) {
        self.capacity = max(1, capacity)
    }

    public mutating func add(_ identity: ObjectIdentity) {
        if members.contains(identity) {
            touch(identity)
            return
        }
        members.insert(identity)
        order.append(identity)
        if order.count > capacity {
            members.remove(order.removeFirst())
        }
    }

    /// Whether `identity` is recorded absent (and marks it recently used).
    public mutating func contains(_ identity: ObjectIdentity) -> Bool {
        guard members.contains(identity) else { return false }
        touch(identity)
        return true
    }

    public var count: Int { members.count }

    private mutating func touch(_ identity: ObjectIdentity) {
        if let index = order.firstIndex(of: identity) {
            order.remove(at: index)
            order.append(identity)
        }
    }
}
