public import KubeClient
public import KubeCore

/// What the API says of one owner a dependent references (upstream `isDangling` and its owner).
///
/// Value type; Sendable.
public enum OwnerState: Equatable, Sendable {
    /// Not found, or found with another uid.
    case absent
    /// Present; `waitingForDependents` when it is being deleted with `foregroundDeletion`.
    case present(waitingForDependents: Bool)
}

/// A dependent's owner references sorted by what their owners are doing (upstream `classifyReferences`).
///
/// Value type; Sendable.
public struct OwnerClassification: Equatable, Sendable {
    public var solid: [OwnerReference] = []
    public var dangling: [OwnerReference] = []
    public var waitingForDependentsDeletion: [OwnerReference] = []

    public init(references: [OwnerReference], states: [String: OwnerState]) {
        for reference in references {
            switch states[reference.uid] ?? .absent {
            case .absent: dangling.append(reference)
            case .present(waitingForDependents: true): waitingForDependentsDeletion.append(reference)
            case .present(waitingForDependents: false): solid.append(reference)
            }
        }
    }
}

/// What to do with a dependent after classifying its owners (upstream `attemptToDeleteItem`).
///
/// Value type; Sendable.
public enum DeletionDecision: Equatable, Sendable {
    /// Its owners are solid: leave it.
    case keep
    /// Some owners are solid: only drop the references to these owner uids (absent owners, and owners waiting
    /// for their dependents, which would otherwise wait forever).
    case removeOwnerReferences([String])
    /// An owner is waiting for its dependents and this object has dependents of its own: delete it in the
    /// foreground too, first making its own references non-blocking when one of its dependents is itself
    /// deleting dependents (a possible cycle).
    case deleteInForeground(unblockOwnerReferences: Bool)
    /// No solid owner: delete it with this propagation (its existing GC finalizer wins, else Background).
    case delete(DeleteOptions.Propagation)

    /// - Parameters:
    ///   - finalizers: the object's current finalizers.
    ///   - dependents: the object's own dependents in the graph.
    public static func decide(classification: OwnerClassification, finalizers: [String], dependents: [GraphNode])
        -> DeletionDecision
    {
        if !classification.solid.isEmpty {
            if classification.dangling.isEmpty, classification.waitingForDependentsDeletion.isEmpty { return .keep }
            return .removeOwnerReferences(
                (classification.dangling + classification.waitingForDependentsDeletion).map(\.uid))
        }
        if !classification.waitingForDependentsDeletion.isEmpty, !dependents.isEmpty {
            return .deleteInForeground(unblockOwnerReferences: dependents.contains { $0.deletingDependents })
        }
        if finalizers.contains(GarbageCollectionFinalizers.orphan) { return .delete(.orphan) }
        if finalizers.contains(GarbageCollectionFinalizers.foregroundDeletion) { return .delete(.foreground) }
        return .delete(.background)
    }
}

/// What to do with an owner being deleted in the foreground (upstream `processDeletingDependentsItem`).
///
/// Value type; Sendable.
public enum ForegroundDecision: Equatable, Sendable {
    /// No blocking dependent is left: remove the `foregroundDeletion` finalizer.
    case removeFinalizer
    /// Check these blocking dependents (uids) that are not themselves deleting their dependents.
    case attemptToDelete([String])

    public static func decide(blockingDependents: [GraphNode]) -> ForegroundDecision {
        if blockingDependents.isEmpty { return .removeFinalizer }
        return .attemptToDelete(blockingDependents.filter { !$0.deletingDependents }.map(\.identity.uid))
    }
}

/// Patch bodies the collector sends (strategic merge patches, as upstream for built-in kinds).
///
/// Stateless namespace; pure.
public enum GarbageCollectionPatches {
    /// Removes the references to `ownerUIDs` (`$patch: delete` by the `uid` merge key).
    public static func deleteOwnerReferences(_ ownerUIDs: [String], dependentUID: String) -> JSONValue {
        .object(["metadata": .object([
            "ownerReferences": .array(ownerUIDs.map { .object(["$patch": "delete", "uid": .string($0)]) }),
            "uid": .string(dependentUID),
        ])])
    }

    /// Sets `blockOwnerDeletion: false` on every blocking reference of `owners`; nil when none blocks.
    public static func unblockOwnerReferences(_ owners: [OwnerReference], uid: String) -> JSONValue? {
        let blocking = owners.filter { $0.blockOwnerDeletion == true }
        guard !blocking.isEmpty else { return nil }
        return .object(["metadata": .object([
            "ownerReferences": .array(blocking.map { reference in
                var members: [String: JSONValue] = [
                    "apiVersion": .string(reference.apiVersion), "kind": .string(reference.kind),
                    "name": .string(reference.name), "uid": .string(reference.uid), "blockOwnerDeletion": false,
                ]
                if let controller = reference.controller { members["controller"] = .bool(controller) }
                return .object(members)
            }),
            "uid": .string(uid),
        ])])
    }

    /// A merge patch leaving `finalizers`, guarded by `resourceVersion`.
    public static func setFinalizers(_ finalizers: [String], resourceVersion: String) -> JSONValue {
        .object(["metadata": .object([
            "finalizers": .array(finalizers.map { .string($0) }),
            "resourceVersion": .string(resourceVersion),
        ])])
    }
}
