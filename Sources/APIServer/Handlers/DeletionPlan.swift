import KubeCore

/// Upstream `metav1.DeletionPropagation`: what a delete does to the object's dependents.
///
/// Value type; Sendable.
enum DeletionPropagation: String, Sendable, Equatable {
    /// Dependents lose their owner reference (the garbage collector's `orphan` finalizer).
    case orphan = "Orphan"
    /// The object goes at once; the garbage collector removes dependents afterwards.
    case background = "Background"
    /// The object stays (`foregroundDeletion` finalizer) until its blocking dependents are gone.
    case foreground = "Foreground"
}

/// What one delete request does to a stored object, decided the way upstream's generic registry store
/// (`deletionFinalizersForGarbageCollection`, `markAsDeleting`) and the namespace REST storage do.
///
/// Value type; Sendable; pure (`now` is a parameter).
enum DeletionPlan: Sendable, Equatable {
    /// Leave the object as it is and answer with it (a terminating namespace still holding spec finalizers,
    /// or an object already marked exactly so).
    case keep(JSONValue)
    /// Write this marked object (deletionTimestamp, finalizers); it stays until its finalizers are removed.
    case mark(JSONValue)
    /// Remove the object from storage now.
    case remove

    static let orphanFinalizer = "orphan"
    static let foregroundFinalizer = "foregroundDeletion"

    /// The garbage-collection default of a kind when the client names no policy (upstream strategies'
    /// `DefaultGarbageCollectionPolicy`): `Orphan` for core/v1 ReplicationControllers and batch/v1 Jobs (kept for
    /// backward compatibility), dependents deleted for everything else.
    static func defaultOrphans(_ kind: GroupKind) -> Bool {
        switch (kind.group, kind.kind) {
        case ("", "ReplicationController"), ("batch", "Job"): true
        default: false
        }
    }

    static func plan(for object: JSONValue, kind: GroupKind, propagationPolicy: DeletionPropagation?,
                     orphanDependents: Bool?, gracePeriodSeconds: Int64? = nil, now: RFC3339Time) -> DeletionPlan {
        if let grace = gracePeriodSeconds, grace > 0 {
            return gracefulPlan(for: object, kind: kind, propagationPolicy: propagationPolicy,
                                orphanDependents: orphanDependents, gracePeriodSeconds: grace, now: now)
        }
        if kind.group.isEmpty, kind.kind == "Namespace" {
            if let plan = namespacePlan(for: object, propagationPolicy: propagationPolicy,
                                        orphanDependents: orphanDependents, now: now) {
                return plan
            }
        }
        let finalizers = gcFinalizers(
            object.finalizers, orphanByDefault: defaultOrphans(kind), propagationPolicy: propagationPolicy,
            orphanDependents: orphanDependents)
        if finalizers.isEmpty { return .remove }
        var marked = object
        if Set(finalizers) != Set(object.finalizers) {
            marked.set(["metadata", "finalizers"], .array(finalizers.map { .string($0) }))
        }
        // markAsDeleting: generation moves once, the earliest deletionTimestamp stays, no grace period.
        if !object.isBeingDeleted {
            if let generation = object["metadata"]?["generation"]?.integerValue, generation > 0 {
                marked.set(["metadata", "generation"], .integer(generation + 1))
            }
            marked.set(["metadata", "deletionTimestamp"], .string(now.description))
        }
        marked.set(["metadata", "deletionGracePeriodSeconds"], .integer(0))
        return marked == object ? .keep(object) : .mark(marked)
    }

    /// A graceful delete (pods on a node): the object is marked with `deletionTimestamp = now + grace` and
    /// `deletionGracePeriodSeconds = grace` and stays until the node confirms with a delete of grace 0. A
    /// second graceful delete may only shorten the period (upstream `BeforeDelete`).
    static func gracefulPlan(for object: JSONValue, kind: GroupKind, propagationPolicy: DeletionPropagation?,
                             orphanDependents: Bool?, gracePeriodSeconds grace: Int64, now: RFC3339Time)
        -> DeletionPlan
    {
        var marked = object
        let finalizers = gcFinalizers(
            object.finalizers, orphanByDefault: defaultOrphans(kind), propagationPolicy: propagationPolicy,
            orphanDependents: orphanDependents)
        if Set(finalizers) != Set(object.finalizers) {
            marked.set(["metadata", "finalizers"], .array(finalizers.map { .string($0) }))
        }
        if object.isBeingDeleted {
            let existing = object["metadata"]?["deletionGracePeriodSeconds"]?.integerValue ?? 0
            if existing > 0, grace < existing,
               let stamp = object["metadata"]?["deletionTimestamp"]?.stringValue,
               let time = try? RFC3339Time(parsing: stamp) {
                let shortened = RFC3339Time(secondsSince1970: time.secondsSince1970 - existing + grace)
                marked.set(["metadata", "deletionTimestamp"], .string(shortened.description))
                marked.set(["metadata", "deletionGracePeriodSeconds"], .integer(grace))
            }
        } else {
            if let generation = object["metadata"]?["generation"]?.integerValue, generation > 0 {
                marked.set(["metadata", "generation"], .integer(generation + 1))
            }
            let deadline = RFC3339Time(secondsSince1970: now.secondsSince1970 + grace)
            marked.set(["metadata", "deletionTimestamp"], .string(deadline.description))
            marked.set(["metadata", "deletionGracePeriodSeconds"], .integer(grace))
        }
        return marked == object ? .keep(object) : .mark(marked)
    }

    /// The grace period of a pod delete (upstream pod strategy `CheckGracefulDelete`): the request's, else the
    /// pod's `terminationGracePeriodSeconds` (30 by default); 0 for a pod on no node or already finished, so it
    /// goes at once. A negative request counts as 1 second. Nil for every other kind.
    static func podGracePeriod(for object: JSONValue, kind: GroupKind, requested: Int64?) -> Int64? {
        guard kind.group.isEmpty, kind.kind == "Pod" else { return nil }
        if let requested, requested <= 0 { return requested == 0 ? 0 : 1 }
        let nodeName = object["spec"]?["nodeName"]?.stringValue ?? ""
        let phase = object["status"]?["phase"]?.stringValue ?? ""
        if nodeName.isEmpty || phase == "Succeeded" || phase == "Failed" { return 0 }
        return requested ?? object["spec"]?["terminationGracePeriodSeconds"]?.integerValue ?? 30
    }

    /// Namespace REST `Delete`: the first delete marks the namespace `Terminating` (adding the GC finalizers only
    /// when the options ask for them); later ones wait while spec finalizers remain, then fall through to the
    /// generic path (nil).
    static func namespacePlan(for namespace: JSONValue, propagationPolicy: DeletionPropagation?,
                              orphanDependents: Bool?, now: RFC3339Time) -> DeletionPlan? {
        if !namespace.isBeingDeleted {
            var marked = namespace
            marked.set(["metadata", "deletionTimestamp"], .string(now.description))
            marked.set(["status", "phase"], "Terminating")
            var finalizers = namespace.finalizers
            let orphan: Bool = orphanDependents
                ?? propagationPolicy.map { $0 == .orphan } ?? finalizers.contains(orphanFinalizer)
            let foreground: Bool = orphanDependents.map { !$0 }
                ?? propagationPolicy.map { $0 == .foreground } ?? finalizers.contains(foregroundFinalizer)
            for (finalizer, wanted) in [(orphanFinalizer, orphan), (foregroundFinalizer, foreground)] {
                if wanted, !finalizers.contains(finalizer) { finalizers.append(finalizer) }
                if !wanted { finalizers.removeAll { $0 == finalizer } }
            }
            if finalizers != namespace.finalizers {
                marked.set(["metadata", "finalizers"], .array(finalizers.map { .string($0) }))
            }
            return .mark(marked)
        }
        if !namespaceSpecFinalizers(namespace).isEmpty { return .keep(namespace) }
        return nil
    }

    /// The object's finalizers with `orphan` / `foregroundDeletion` set as the options, the existing finalizers
    /// and the kind's default decide, in that order of priority (upstream `shouldOrphanDependents`,
    /// `shouldDeleteDependents`).
    static func gcFinalizers(_ existing: [String], orphanByDefault: Bool, propagationPolicy: DeletionPropagation?,
                             orphanDependents: Bool?) -> [String] {
        let existingChoice: Bool? = existing.lazy.compactMap { finalizer -> Bool? in
            finalizer == orphanFinalizer ? true : finalizer == foregroundFinalizer ? false : nil
        }.first
        let orphan = orphanDependents ?? propagationPolicy.map { $0 == .orphan } ?? existingChoice ?? orphanByDefault
        let foreground = orphanDependents != nil ? false
            : propagationPolicy.map { $0 == .foreground } ?? (existingChoice.map { !$0 } ?? false)
        var result = existing.filter { $0 != orphanFinalizer && $0 != foregroundFinalizer }
        if orphan { result.append(orphanFinalizer) }
        if foreground { result.append(foregroundFinalizer) }
        return Set(result) == Set(existing) ? existing : result
    }

    /// A namespace's `spec.finalizers` (the namespace controller's `kubernetes` and any others).
    static func namespaceSpecFinalizers(_ namespace: JSONValue) -> [String] {
        if case .array(let values)? = namespace["spec"]?["finalizers"] { return values.compactMap(\.stringValue) }
        return []
    }

    /// Whether an update that leaves `object` like this completes its deletion: it is being deleted and no
    /// finalizer is left (for namespaces, none in `spec.finalizers` either — upstream
    /// `ShouldDeleteNamespaceDuringUpdate`).
    static func updateCompletesDeletion(_ object: JSONValue, kind: GroupKind) -> Bool {
        guard object.isBeingDeleted, object.finalizers.isEmpty else { return false }
        if kind.group.isEmpty, kind.kind == "Namespace" { return namespaceSpecFinalizers(object).isEmpty }
        return true
    }
}
