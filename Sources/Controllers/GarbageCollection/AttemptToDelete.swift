import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import KubeCore
import Logging

/// The collector's delete loop body (upstream `attemptToDeleteItem`): for the node with uid `key`, confirm it
/// at the API, finish its foreground deletion, or classify its owners and keep it, drop dangling references,
/// or delete it.
///
/// Value type; Sendable; safe for concurrent keys.
struct AttemptToDelete: Reconciler {
    let collector: GarbageCollector

    func reconcile(_ uid: String) async throws -> ReconcileResult {
        do {
            try await attempt(uid)
        } catch GarbageCollectorError.namespacedOwnerOfClusterScopedObject {
            // Upstream drops the item (and records an OwnerRefInvalidNamespace event).
            collector.logger.info("Cluster-scoped object references a namespaced owner; ignoring the reference",
                                  metadata: ["uid": "\(uid)"])
        }
        return .done
    }

    private func attempt(_ uid: String) async throws {
        guard let node = collector.node(uid) else { return }
        if node.beingDeleted, !node.deletingDependents { return }
        let identity = node.identity
        guard let type = DynamicResources.type(apiVersion: identity.apiVersion, kind: identity.kind) else {
            throw GarbageCollectorError.unknownKind(apiVersion: identity.apiVersion, kind: identity.kind)
        }
        let namespaced = type.resource.namespaced
        if namespaced, identity.namespace.isEmpty { throw GarbageCollectorError.namespacedOwnerOfClusterScopedObject }
        let namespace = namespaced ? identity.namespace : nil
        guard let latest = try await collector.resources.metadata(type, namespace: namespace, name: identity.name),
              latest.uid == identity.uid
        else {
            // Gone (or replaced by another object of that name): tell the graph, which requeues the dependents.
            collector.logger.debug("Object not found at the API; removing it from the graph",
                                   metadata: ["object": "\(identity)"])
            collector.apply(.virtualDelete(identity))
            return
        }
        if node.deletingDependents {
            try await finishForegroundDeletion(node, type: type, namespace: namespace)
        } else if !latest.ownerReferences.isEmpty {
            try await collectIfOrphaned(node, latest: latest, type: type, namespace: namespace)
        }
        if collector.node(uid)?.virtual == true { throw GarbageCollectorError.notObservedYet(identity) }
    }

    /// Upstream `processDeletingDependentsItem`.
    private func finishForegroundDeletion(_ node: GraphNode, type: any KubeResource.Type, namespace: String?) async throws {
        switch ForegroundDecision.decide(blockingDependents: collector.blockingDependents(of: node.identity.uid)) {
        case .removeFinalizer:
            collector.logger.debug("No blocking dependents left; removing the foregroundDeletion finalizer",
                                   metadata: ["object": "\(node.identity)"])
            try await collector.removeFinalizer(GarbageCollectionFinalizers.foregroundDeletion, from: node.identity,
                                                type: type, namespace: namespace)
        case .attemptToDelete(let uids):
            for uid in uids { collector.deleteQueue.add(uid) }
        }
    }

    private func collectIfOrphaned(_ node: GraphNode, latest: ObjectMeta, type: any KubeResource.Type,
                                   namespace: String?) async throws {
        var states: [String: OwnerState] = [:]
        for reference in latest.ownerReferences {
            states[reference.uid] = try await ownerState(reference, dependent: node.identity)
        }
        let classification = OwnerClassification(references: latest.ownerReferences, states: states)
        let decision = DeletionDecision.decide(
            classification: classification, finalizers: latest.finalizers,
            dependents: collector.dependents(of: node.identity.uid))
        let identity = node.identity
        switch decision {
        case .keep:
            return
        case .removeOwnerReferences(let uids):
            collector.logger.debug("Removing references to absent or deleting owners",
                                   metadata: ["object": "\(identity)", "owners": "\(uids)"])
            try await collector.resources.patch(
                type, namespace: namespace, name: identity.name, patchType: .strategicMerge,
                body: GarbageCollectionPatches.deleteOwnerReferences(uids, dependentUID: identity.uid))
        case .deleteInForeground(let unblock):
            if unblock, let patch = GarbageCollectionPatches.unblockOwnerReferences(latest.ownerReferences, uid: identity.uid) {
                collector.logger.debug("Owner and dependent both delete dependents; unblocking the object's references",
                                       metadata: ["object": "\(identity)"])
                try await collector.resources.patch(type, namespace: namespace, name: identity.name,
                                                    patchType: .strategicMerge, body: patch)
            }
            collector.logger.debug("Deleting object in the foreground", metadata: ["object": "\(identity)"])
            try await collector.deleteObject(identity, type: type, namespace: namespace, resourceVersion: latest.resourceVersion,
                                             owners: latest.ownerReferences, propagation: .foreground)
        case .delete(let propagation):
            collector.logger.debug("Deleting object whose owners are gone",
                                   metadata: ["object": "\(identity)", "propagation": "\(propagation.rawValue)"])
            try await collector.deleteObject(identity, type: type, namespace: namespace, resourceVersion: latest.resourceVersion,
                                             owners: latest.ownerReferences, propagation: propagation)
        }
    }

    /// Upstream `isDangling`: the absent-owner cache, then a live read of the owner (by uid).
    private func ownerState(_ reference: OwnerReference, dependent: ObjectIdentity) async throws -> OwnerState {
        var key = ObjectIdentity(owner: reference, namespace: "")
        if collector.isAbsent(key) { return .absent }
        key.namespace = dependent.namespace
        if collector.isAbsent(key) { return .absent }
        guard let type = DynamicResources.type(apiVersion: reference.apiVersion, kind: reference.kind) else {
            throw GarbageCollectorError.unknownKind(apiVersion: reference.apiVersion, kind: reference.kind)
        }
        let namespaced = type.resource.namespaced
        if !namespaced { key.namespace = "" }
        if dependent.namespace.isEmpty, namespaced { throw GarbageCollectorError.namespacedOwnerOfClusterScopedObject }
        let owner = try await collector.resources.metadata(
            type, namespace: namespaced ? dependent.namespace : nil, name: reference.name)
        guard let owner, owner.uid == reference.uid else {
            collector.recordAbsent(key)
            return .absent
        }
        let waiting = owner.deletionTimestamp != nil
            && owner.finalizers.contains(GarbageCollectionFinalizers.foregroundDeletion)
        return .present(waitingForDependents: waiting)
    }
}

/// The collector's orphan loop body (upstream `attemptToOrphanWorker`): removes the owner's uid from every
/// dependent's ownerReferences, then the owner's `orphan` finalizer.
///
/// Value type; Sendable; safe for concurrent keys.
struct AttemptToOrphan: Reconciler {
    let collector: GarbageCollector

    func reconcile(_ uid: String) async throws -> ReconcileResult {
        guard let owner = collector.node(uid) else { return .done }
        var failures: [String] = []
        for dependent in collector.dependents(of: uid) {
            let identity = dependent.identity
            guard let type = DynamicResources.type(apiVersion: identity.apiVersion, kind: identity.kind) else { continue }
            do {
                try await collector.resources.patch(
                    type, namespace: type.resource.namespaced ? identity.namespace : nil, name: identity.name,
                    patchType: .strategicMerge,
                    body: GarbageCollectionPatches.deleteOwnerReferences([uid], dependentUID: identity.uid))
            } catch let error as APIError where error.reason == .notFound {
                continue
            } catch {
                failures.append("orphaning \(identity) failed: \(error)")
            }
        }
        if !failures.isEmpty { throw OrphaningError(failures: failures) }
        guard let type = DynamicResources.type(apiVersion: owner.identity.apiVersion, kind: owner.identity.kind) else {
            throw GarbageCollectorError.unknownKind(apiVersion: owner.identity.apiVersion, kind: owner.identity.kind)
        }
        try await collector.removeFinalizer(
            GarbageCollectionFinalizers.orphan, from: owner.identity, type: type,
            namespace: type.resource.namespaced ? owner.identity.namespace : nil)
        return .done
    }
}

/// Some dependents could not be orphaned; the owner is retried.
///
/// Value type; Sendable.
struct OrphaningError: Error, CustomStringConvertible {
    var failures: [String]
    var description: String { failures.joined(separator: "; ") }
}

extension GarbageCollector {
    /// Removes `finalizer` from the live object (merge patch guarded by its resourceVersion, retried on
    /// conflicts); nothing when the object or the finalizer is gone.
    func removeFinalizer(_ finalizer: String, from identity: ObjectIdentity, type: any KubeResource.Type,
                         namespace: String?) async throws {
        var attempts = 0
        while true {
            guard let latest = try await resources.metadata(type, namespace: namespace, name: identity.name),
                  latest.uid == identity.uid, latest.finalizers.contains(finalizer)
            else { return }
            do {
                try await resources.patch(
                    type, namespace: namespace, name: identity.name, patchType: .merge,
                    body: GarbageCollectionPatches.setFinalizers(latest.finalizers.filter { $0 != finalizer },
                                                                 resourceVersion: latest.resourceVersion))
                return
            } catch let error as APIError where error.reason == .conflict && attempts < 5 {
                attempts += 1
            } catch let error as APIError where error.reason == .notFound {
                return
            }
        }
    }

    /// Upstream `deleteObject`: preconditions on uid and the resourceVersion the decision was made at; on a
    /// conflict, deletes anyway when the owners are still those the decision saw.
    func deleteObject(_ identity: ObjectIdentity, type: any KubeResource.Type, namespace: String?,
                      resourceVersion: String, owners: [OwnerReference],
                      propagation: DeleteOptions.Propagation) async throws {
        var options = DeleteOptions(
            propagationPolicy: propagation,
            preconditions: .init(uid: identity.uid, resourceVersion: resourceVersion.isEmpty ? nil : resourceVersion))
        do {
            try await resources.delete(type, namespace: namespace, name: identity.name, options: options)
        } catch let error as APIError where error.reason == .notFound {
            return
        } catch let error as APIError where error.reason == .conflict && !resourceVersion.isEmpty {
            guard let live = try await resources.metadata(type, namespace: namespace, name: identity.name) else { return }
            guard live.uid == identity.uid, live.resourceVersion != resourceVersion, live.ownerReferences == owners
            else { throw error }
            options.preconditions?.resourceVersion = nil
            do {
                try await resources.delete(type, namespace: namespace, name: identity.name, options: options)
            } catch let error as APIError where error.reason == .notFound {
                return
            }
        }
    }
}
