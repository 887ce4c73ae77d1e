public import KubeCore

/// The garbage collector's view of who owns whom (upstream `GraphBuilder.uidToNode` and
/// `processGraphChanges`): nodes by uid, virtual nodes for owners only known from references, and the
/// owners confirmed absent. Applying a change returns the work it makes necessary; it never does IO.
///
/// Value type; Sendable; pure. The collector keeps one behind a mutex and applies changes in arrival order.
public struct OwnershipGraph: Sendable, Equatable {
    public private(set) var nodes: [String: GraphNode] = [:]
    public var absentOwners: AbsentOwnerCache

    public init(absentOwnerCapacity: Int = 500) {
        absentOwners = AbsentOwnerCache(capacity: absentOwnerCapacity)
    }

    public func node(_ uid: String) -> GraphNode? { nodes[uid] }

    /// The nodes that name `uid` as an owner, in identity order.
    public func dependents(of uid: String) -> [GraphNode] {
        (nodes[uid]?.dependents ?? []).compactMap { nodes[$0] }.sorted { $0.identity < $1.identity }
    }

    /// Dependents whose reference to `uid` has `blockOwnerDeletion: true` (upstream `blockingDependents`).
    public func blockingDependents(of uid: String) -> [GraphNode] {
        dependents(of: uid).filter { dependent in
            dependent.owners.contains { $0.uid == uid && $0.blockOwnerDeletion == true }
        }
    }

    // MARK: Changes

    public mutating func apply(_ change: GraphChange) -> [GraphWork] {
        switch change {
        case .observed(let object, let previous):
            return observe(object, previous: previous)
        case .deleted(let object):
            return remove(object.identity, virtual: false)
        case .virtualDelete(let identity):
            return remove(identity, virtual: true)
        }
    }

    private mutating func observe(_ object: ObservedObject, previous: ObservedObject?) -> [GraphWork] {
        var work: [GraphWork] = []
        let uid = object.identity.uid
        if var existing = nodes[uid], existing.virtual {
            // First sight of an owner known until now only from references.
            if object.identity != existing.identity {
                let (_, mismatched) = partition(dependentsOf: existing, by: object.identity)
                // If their owners turn out solid, the attempt is a no-op (bad child seen before good parent).
                work += mismatched.map { .attemptToDelete($0.identity.uid) }
                existing.identity = object.identity
            }
            existing.virtual = false
            nodes[uid] = existing
        }
        guard var existing = nodes[uid] else {
            let node = GraphNode(
                identity: object.identity, owners: object.owners,
                beingDeleted: object.beingDeleted,
                deletingDependents: object.isDeleting(with: GarbageCollectionFinalizers.foregroundDeletion))
            nodes[uid] = node
            work += addDependent(uid, toOwners: node.owners)
            work += transitions(from: previous, to: object)
            return work
        }
        let diff = ReferenceDiff(old: existing.owners, new: object.owners)
        if !diff.isEmpty {
            work += unblockedOwners(diff)
            existing.owners = object.owners
            nodes[uid] = existing
            work += addDependent(uid, toOwners: diff.added)
            removeDependent(uid, fromOwners: diff.removed)
        }
        if object.beingDeleted {
            nodes[uid]?.beingDeleted = true
        }
        work += transitions(from: previous, to: object)
        return work
    }

    /// Upstream `processTransitions`: deletion that starts with `orphan` or `foregroundDeletion`.
    private mutating func transitions(from previous: ObservedObject?, to object: ObservedObject) -> [GraphWork] {
        let uid = object.identity.uid
        if Self.deletionStarts(with: GarbageCollectionFinalizers.orphan, previous: previous, object: object) {
            return [.attemptToOrphan(uid)]
        }
        if Self.deletionStarts(with: GarbageCollectionFinalizers.foregroundDeletion, previous: previous, object: object) {
            nodes[uid]?.deletingDependents = true
            let dependents = dependents(of: uid).map { GraphWork.attemptToDelete($0.identity.uid) }
            return dependents + [.attemptToDelete(uid)]
        }
        return []
    }

    static func deletionStarts(with finalizer: String, previous: ObservedObject?, object: ObservedObject) -> Bool {
        guard object.isDeleting(with: finalizer) else { return false }
        guard let previous else { return true }
        return !previous.isDeleting(with: finalizer)
    }

    /// Upstream `addDependentToOwners`: virtual nodes for unknown owners (checked at the API), and a check of
    /// the dependent when a known owner's coordinates or namespace disagree with the reference.
    private mutating func addDependent(_ uid: String, toOwners owners: [OwnerReference]) -> [GraphWork] {
        guard let dependent = nodes[uid] else { return [] }
        var work: [GraphWork] = []
        var potentiallyInvalid = false
        for owner in owners {
            if var ownerNode = nodes[owner.uid] {
                ownerNode.dependents.insert(uid)
                nodes[owner.uid] = ownerNode
                guard !potentiallyInvalid else { continue }
                let ownerNamespaced = !ownerNode.identity.namespace.isEmpty
                if ownerNamespaced, ownerNode.identity.namespace != dependent.identity.namespace {
                    potentiallyInvalid = true
                } else if !ownerNode.identity.matchesCoordinates(of: owner) {
                    potentiallyInvalid = true
                } else if !ownerNamespaced, ownerNode.identity.namespace != dependent.identity.namespace,
                          ownerNode.virtual {
                    // A virtual cluster-scoped owner named from a namespace: maybe a namespaced kind wrongly
                    // referenced by a cluster-scoped child; verify the child.
                    potentiallyInvalid = true
                }
            } else {
                let virtual = GraphNode(
                    identity: ObjectIdentity(owner: owner, namespace: dependent.identity.namespace),
                    dependents: [uid], virtual: true)
                nodes[owner.uid] = virtual
                // The collector confirms at the API whether this owner exists.
                work.append(.attemptToDelete(owner.uid))
            }
        }
        if potentiallyInvalid { work.append(.attemptToDelete(uid)) }
        return work
    }

    private mutating func removeDependent(_ uid: String, fromOwners owners: [OwnerReference]) {
        for owner in owners {
            nodes[owner.uid]?.dependents.remove(uid)
        }
    }

    /// Upstream `addUnblockedOwnersToDeleteQueue`: owners that lost a blocking dependent may finish a
    /// foreground deletion.
    private func unblockedOwners(_ diff: ReferenceDiff) -> [GraphWork] {
        var work: [GraphWork] = []
        for reference in diff.removed where reference.blockOwnerDeletion == true && nodes[reference.uid] != nil {
            work.append(.attemptToDelete(reference.uid))
        }
        for (old, new) in diff.changed where old.blockOwnerDeletion == true && new.blockOwnerDeletion != true {
            if nodes[new.uid] != nil { work.append(.attemptToDelete(new.uid)) }
        }
        return work
    }

    /// An informer's delete, or a virtual delete after the collector found `identity` absent.
    private mutating func remove(_ identity: ObjectIdentity, virtual: Bool) -> [GraphWork] {
        guard let existing = nodes[identity.uid] else { return [] }
        var work: [GraphWork] = []
        if virtual {
            if existing.virtual {
                let (matching, mismatched) = partition(dependentsOf: existing, by: identity)
                if !mismatched.isEmpty {
                    // Dependents disagree on this owner's coordinates: keep the node for the others.
                    if !matching.isEmpty {
                        absentOwners.add(identity)
                        work += matching.map { .attemptToDelete($0.identity.uid) }
                    }
                    if existing.identity == identity,
                       let replacement = Self.alternateIdentity(of: mismatched, absent: identity) {
                        var replaced = existing
                        replaced.identity = replacement
                        nodes[identity.uid] = replaced
                        work.append(.attemptToDeleteLater(identity.uid))
                    }
                    return work
                }
            } else if existing.identity != identity {
                // An observed node is not removed by a virtual delete of other coordinates.
                let (matching, _) = partition(dependentsOf: existing, by: identity)
                if !matching.isEmpty {
                    absentOwners.add(identity)
                    work += matching.map { .attemptToDelete($0.identity.uid) }
                }
                return work
            }
        }
        nodes[identity.uid] = nil
        removeDependent(identity.uid, fromOwners: existing.owners)
        if !existing.dependents.isEmpty {
            absentOwners.add(virtual ? identity : existing.identity)
        }
        work += existing.dependents.sorted().map { .attemptToDelete($0) }
        for owner in existing.owners {
            if let ownerNode = nodes[owner.uid], ownerNode.deletingDependents {
                // The owner may be waiting for this dependent to go.
                work.append(.attemptToDelete(owner.uid))
            }
        }
        return work
    }

    /// Upstream `partitionDependents`: dependents whose reference to `owner.uid` matches its coordinates (and
    /// namespace, for namespaced owners), and those with a mismatching one.
    private func partition(dependentsOf node: GraphNode, by owner: ObjectIdentity) -> (matching: [GraphNode], mismatched: [GraphNode]) {
        var matching: [GraphNode] = []
        var mismatched: [GraphNode] = []
        let ownerNamespaced = !owner.namespace.isEmpty
        for dependent in node.dependents.sorted().compactMap({ nodes[$0] }) {
            var foundMatch = false
            var foundMismatch = false
            if ownerNamespaced, owner.namespace != dependent.identity.namespace {
                foundMismatch = true
            } else {
                for reference in dependent.owners where reference.uid == owner.uid {
                    if owner.matchesCoordinates(of: reference) { foundMatch = true } else { foundMismatch = true }
                }
            }
            if foundMatch { matching.append(dependent) }
            if foundMismatch { mismatched.append(dependent) }
        }
        return (matching, mismatched)
    }

    /// Upstream `getAlternateOwnerIdentity`: another identity the dependents use for the owner uid, preferring
    /// the first one ordered after the one found absent (so alternatives are tried in turn).
    static func alternateIdentity(of dependents: [GraphNode], absent: ObjectIdentity) -> ObjectIdentity? {
        let absentIsClusterScoped = absent.namespace.isEmpty
        var seen: Set<ObjectIdentity> = [absent]
        var first: ObjectIdentity?
        var firstFollowing: ObjectIdentity?
        for dependent in dependents {
            for reference in dependent.owners where reference.uid == absent.uid {
                if absent.matchesCoordinates(of: reference), absent.namespace == dependent.identity.namespace { continue }
                var candidate = ObjectIdentity(owner: reference, namespace: dependent.identity.namespace)
                if absentIsClusterScoped, candidate.apiVersion == absent.apiVersion, candidate.kind == absent.kind {
                    candidate.namespace = ""
                }
                guard seen.insert(candidate).inserted else { continue }
                if first == nil { first = candidate }
                if firstFollowing == nil, absent < candidate { firstFollowing = candidate }
            }
        }
        return firstFollowing ?? first
    }
}

/// Added, removed and changed owner references between two lists, by uid (upstream `referencesDiffs`).
///
/// Value type; Sendable.
struct ReferenceDiff: Sendable {
    var added: [OwnerReference] = []
    var removed: [OwnerReference] = []
    var changed: [(old: OwnerReference, new: OwnerReference)] = []

    init(old: [OwnerReference], new: [OwnerReference]) {
        let oldByUID = Dictionary(old.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        let newByUID = Dictionary(new.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        for reference in new {
            if let previous = oldByUID[reference.uid] {
                if previous != reference { changed.append((previous, reference)) }
            } else {
                added.append(reference)
            }
        }
        removed = old.filter { newByUID[$0.uid] == nil }
    }

    var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
}
