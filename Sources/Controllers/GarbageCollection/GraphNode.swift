public import KubeCore

/// One object in the garbage collector's dependency graph (upstream `node`): its identity, the owners its
/// metadata names, the uids of the objects that name it as owner, and its deletion state. A *virtual* node
/// stands for an owner only known from someone's ownerReference; it becomes real once an informer shows it.
///
/// Value type; Sendable.
public struct GraphNode: Equatable, Sendable {
    public var identity: ObjectIdentity
    public var owners: [OwnerReference]
    /// Uids of the nodes whose owners include this node.
    public var dependents: Set<String>
    /// `deletionTimestamp` is set.
    public var beingDeleted: Bool
    /// Being deleted with the `foregroundDeletion` finalizer: waiting for its blocking dependents.
    public var deletingDependents: Bool
    /// Not yet observed through an informer.
    public var virtual: Bool

    public init(identity: ObjectIdentity, owners: [OwnerReference] = [], dependents: Set<String> = [],
                beingDeleted: Bool = false, deletingDependents: Bool = false, virtual: Bool = false) {
        self.identity = identity
        self.owners = owners
        self.dependents = dependents
        self.beingDeleted = beingDeleted
        self.deletingDependents = deletingDependents
        self.virtual = virtual
    }
}

/// What the graph needs to know of an object an informer reported: identity, owners and deletion state.
///
/// Value type; Sendable.
public struct ObservedObject: Equatable, Sendable {
    public var identity: ObjectIdentity
    public var owners: [OwnerReference]
    public var finalizers: [String]
    public var beingDeleted: Bool

    public init(identity: ObjectIdentity, owners: [OwnerReference] = [], finalizers: [String] = [],
                beingDeleted: Bool = false) {
        self.identity = identity
        self.owners = owners
        self.finalizers = finalizers
        self.beingDeleted = beingDeleted
    }

    /// Being deleted and waiting for `finalizer`.
    func isDeleting(with finalizer: String) -> Bool {
        beingDeleted && finalizers.contains(finalizer)
    }
}

/// A change the graph applies (upstream `event`): an informer's add or update (with the previous state),
/// an informer's delete, or a *virtual* delete — the collector found the object absent at the API.
///
/// Value type; Sendable.
public enum GraphChange: Equatable, Sendable {
    case observed(ObservedObject, previous: ObservedObject?)
    case deleted(ObservedObject)
    case virtualDelete(ObjectIdentity)
}

/// Work the graph asks of the collector after a change.
///
/// Value type; Sendable.
public enum GraphWork: Hashable, Sendable {
    /// Check the node with this uid: delete it if its owners are gone, finish a foreground deletion, ...
    case attemptToDelete(String)
    /// Like ``attemptToDelete(_:)`` after the queue's backoff (a replaced virtual node).
    case attemptToDeleteLater(String)
    /// Remove the node's uid from its dependents' ownerReferences, then its `orphan` finalizer.
    case attemptToOrphan(String)
}

/// Finalizer names the garbage collector acts on.
///
/// Stateless namespace.
public enum GarbageCollectionFinalizers {
    public static let orphan = "orphan"
    public static let foregroundDeletion = "foregroundDeletion"
}
