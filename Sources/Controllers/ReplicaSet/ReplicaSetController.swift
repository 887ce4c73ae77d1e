import Foundation
public import ControllerRuntime
public import KubeAPI
public import KubeClient
import KubeCore
public import Logging
import Synchronization

/// The ReplicaSet controller of upstream kube-controller-manager, generic over ReplicaSets and
/// ReplicationControllers: watches owners and pods, plans each sync with ``ReplicaSetSync`` and performs
/// it through the API (claims by patch, slow-start pod creation, ranked deletion, status), with
/// upstream's expectations so its own creations are never repeated before the informer sees them.
///
/// Thread-safe; Sendable. Build it before the informer factory runs; run ``service``.
public final class ReplicaSetController<Owner: ReplicatedPodOwner>: Reconciler, Sendable {
    public typealias Key = ObjectKey
    /// Pods and owners filed by their controller's UID.
    public static var controllerUIDIndex: String { "controllerUID" }

    public let queue = WorkQueue<ObjectKey>()
    private let client: APIClient
    private let owners: Informer<Owner>
    private let pods: Informer<Pod>
    private let events: EventRecorder
    private let logger: Logger
    private let burstReplicas: Int
    private let workers: Int
    private let waitForInformers: @Sendable () async -> Void
    private let expectations = Mutex(ControllerExpectations())

    /// - Parameters:
    ///   - events: the recorder for `SuccessfulCreate` / `SuccessfulDelete` (component
    ///     `replicaset-controller` or `replication-controller` upstream).
    public init(client: APIClient, informers: InformerFactory, events: EventRecorder, workers: Int = 5,
                burstReplicas: Int = ReplicaSetSync.burstReplicas, logger: Logger) {
        self.client = client
        self.owners = informers.informer(Owner.self)
        self.pods = informers.informer(Pod.self)
        self.events = events
        self.workers = workers
        self.burstReplicas = burstReplicas
        var logger = logger
        logger[metadataKey: "kind"] = "\(Owner.ownerKind)"
        self.logger = logger
        self.waitForInformers = { await informers.waitForSync() }
        let index: @Sendable (Pod) -> [String] = { pod in
            ControllerReference.controllerOf(pod.metadata).map { [$0.uid] } ?? []
        }
        pods.addIndex(Self.controllerUIDIndex, index)
        owners.addIndex(Self.controllerUIDIndex) { owner in
            ControllerReference.controllerOf(owner.metadata).map { [$0.uid] } ?? []
        }
        owners.addHandler { [weak self] event in self?.ownerChanged(event) }
        pods.addHandler { [weak self] event in self?.podChanged(event) }
    }

    /// The control loop to run (a `Service`).
    public var service: Controller<ReplicaSetController<Owner>> {
        Controller(name: "\(Owner.ownerKind.lowercased())-controller", queue: queue, reconciler: self,
                   workers: workers, waitForSync: waitForInformers, logger: logger)
    }

    // MARK: Informer events

    private func ownerChanged(_ event: InformerEvent<Owner>) {
        let key = ObjectKey(event.object)
        if case .deleted = event {
            expectations.withLock { $0.forget(key.description) }
        }
        queue.add(key)
    }

    private func resolve(_ reference: OwnerReference, namespace: String) -> Owner? {
        guard reference.kind == Owner.ownerKind,
              let owner = owners.cache.get(namespace: namespace, name: reference.name),
              owner.metadata.uid == reference.uid
        else { return nil }
        return owner
    }

    private func selectingOwners(_ pod: Pod) -> [Owner] {
        owners.cache.list(namespace: pod.metadata.namespace).filter {
            $0.podSelector?.matches(pod.metadata.labels) ?? false
        }
    }

    private func podChanged(_ event: InformerEvent<Pod>) {
        switch event {
        case .added(let pod):
            if pod.metadata.deletionTimestamp != nil {
                podDeleted(pod)
            } else if let reference = ControllerReference.controllerOf(pod.metadata) {
                guard let owner = resolve(reference, namespace: pod.metadata.namespace) else { return }
                let key = ObjectKey(owner)
                expectations.withLock { $0.creationObserved(key.description) }
                queue.add(key)
            } else {
                for owner in selectingOwners(pod) { queue.add(ObjectKey(owner)) }
            }
        case .updated(let old, let new):
            if old.metadata.resourceVersion == new.metadata.resourceVersion { return }
            let labelsChanged = old.metadata.labels != new.metadata.labels
            if new.metadata.deletionTimestamp != nil {
                podDeleted(new)
                if labelsChanged { podDeleted(old) }
                return
            }
            let oldReference = ControllerReference.controllerOf(old.metadata)
            let newReference = ControllerReference.controllerOf(new.metadata)
            if oldReference != newReference, let oldReference,
               let owner = resolve(oldReference, namespace: old.metadata.namespace)
            {
                queue.add(ObjectKey(owner))
            }
            if let newReference {
                guard let owner = resolve(newReference, namespace: new.metadata.namespace) else { return }
                queue.add(ObjectKey(owner))
                if !PodReadiness.isReady(old) && PodReadiness.isReady(new) && owner.minReadySeconds > 0 {
                    queue.add(ObjectKey(owner), after: .seconds(Int64(owner.minReadySeconds) + 1))
                }
                return
            }
            if labelsChanged || oldReference != newReference {
                for owner in selectingOwners(new) { queue.add(ObjectKey(owner)) }
            }
        case .deleted(let pod):
            podDeleted(pod)
        }
    }

    private func podDeleted(_ pod: Pod) {
        guard let reference = ControllerReference.controllerOf(pod.metadata),
              let owner = resolve(reference, namespace: pod.metadata.namespace)
        else { return }
        let key = ObjectKey(owner)
        expectations.withLock {
            $0.deletionObserved(key.description, podKey: "\(pod.metadata.namespace)/\(pod.metadata.name)")
        }
        queue.add(key)
    }

    // MARK: Reconcile

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let owner = owners.cache.get(key) else {
            expectations.withLock { $0.forget(key.description) }
            return .done
        }
        let now = Date()
        let satisfied = expectations.withLock { $0.isSatisfied(key.description, now: now) }
        let namespacePods = pods.cache.list(namespace: key.namespace)
        let plan = ReplicaSetSync.plan(owner: owner, pods: namespacePods, relatedPods: relatedPods(of: owner),
                                       expectationsSatisfied: satisfied, burstReplicas: burstReplicas, now: now)
        guard plan.selectorValid else {
            logger.warning("Owner selector cannot be converted", metadata: ["owner": "\(key)"])
            return .done
        }
        var claimed = plan.claimedPods
        try await claim(plan, owner: owner, claimed: &claimed)
        var manageError: (any Error)?
        if plan.podsToCreate > 0, let template = plan.podTemplate {
            manageError = await createPods(plan.podsToCreate, template: template, owner: owner, key: key, now: now)
        } else if !plan.podsToDelete.isEmpty {
            manageError = await deletePods(plan.podsToDelete, owner: owner, key: key, now: now)
        }
        let status = ReplicaSetStatusCalculator.calculate(
            owner: owner, activePods: claimed, manageReplicasError: manageError.map { "\($0)" }, now: now)
        if let write = ReplicaSetStatusCalculator.statusToWrite(owner: owner, calculated: status) {
            var updated = owner
            updated.replicaStatus = write
            _ = try await client.updateStatus(updated)
        }
        if let manageError { throw manageError }
        if let delay = ReplicaSetStatusCalculator.requeueDelay(owner: owner, status: status, manageReplicasFailed: false) {
            return .requeue(after: delay)
        }
        return .done
    }

    /// Upstream `getIndirectlyRelatedPods`: pods of every owner sharing this owner's controller.
    private func relatedPods(of owner: Owner) -> [Pod] {
        guard let controller = ControllerReference.controllerOf(owner.metadata) else { return [] }
        let siblings = owners.cache.byIndex(Self.controllerUIDIndex, value: controller.uid)
        var seen = Set<String>()
        var related: [Pod] = []
        for sibling in siblings {
            for pod in pods.cache.byIndex(Self.controllerUIDIndex, value: sibling.metadata.uid)
            where seen.insert(pod.metadata.uid).inserted {
                related.append(pod)
            }
        }
        return related
    }

    private func claim(_ plan: ReplicaSetSync.Plan, owner: Owner, claimed: inout [Pod]) async throws {
        if !plan.adoptions.isEmpty {
            let fresh = try await client.get(Owner.self, namespace: owner.metadata.namespace, name: owner.metadata.name)
            guard fresh.metadata.uid == owner.metadata.uid, fresh.metadata.deletionTimestamp == nil else {
                throw ControllersError.cannotAdopt(owner: owner.metadata.name)
            }
        }
        let reference = ControllerReference.make(ownerMetadata: owner.metadata, apiVersion: Owner.ownerAPIVersion,
                                                 kind: Owner.ownerKind)
        var firstError: (any Error)?
        for pod in plan.adoptions {
            do {
                _ = try await client.patch(Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name,
                                           type: .strategicMerge,
                                           patch: ControllerReference.adoptionPatch(reference, dependentUID: pod.metadata.uid))
            } catch {
                claimed.removeAll { $0.metadata.uid == pod.metadata.uid }
                if (error as? APIError)?.reason != .notFound { firstError = firstError ?? error }
            }
        }
        for pod in plan.releases {
            do {
                _ = try await client.patch(Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name,
                                           type: .strategicMerge,
                                           patch: ControllerReference.releasePatch(ownerUID: owner.metadata.uid,
                                                                                   dependentUID: pod.metadata.uid))
            } catch let error as APIError where error.reason == .notFound || error.reason == .invalid {
                continue
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
    }

    /// Upstream `manageReplicas` (too few): slow-start batches; skipped creations lower the expectations.
    private func createPods(_ count: Int, template: Pod, owner: Owner, key: ObjectKey, now: Date) async -> (any Error)? {
        expectations.withLock { $0.expectCreations(key.description, count: count, now: now) }
        var successes = 0
        var failure: (any Error)?
        for batch in SlowStartBatch.batchSizes(count: count) {
            let results = await withTaskGroup(of: Result<Pod, any Error>.self) { group in
                for _ in 0..<batch {
                    group.addTask { [client] in
                        do { return .success(try await client.create(template)) } catch { return .failure(error) }
                    }
                }
                var results: [Result<Pod, any Error>] = []
                for await result in group { results.append(result) }
                return results
            }
            for result in results {
                switch result {
                case .success(let pod):
                    successes += 1
                    events.record(owner, type: .normal, reason: "SuccessfulCreate", message: "Created pod: \(pod.metadata.name)")
                case .failure(let error):
                    events.record(owner, type: .warning, reason: "FailedCreate", message: "Error creating: \(error)")
                    failure = failure ?? error
                }
            }
            if failure != nil { break }
        }
        let skipped = count - successes
        if skipped > 0 {
            expectations.withLock { expectations in
                for _ in 0..<skipped { expectations.creationObserved(key.description) }
            }
        }
        return failure
    }

    /// Upstream `manageReplicas` (too many): all chosen pods deleted at once.
    private func deletePods(_ victims: [Pod], owner: Owner, key: ObjectKey, now: Date) async -> (any Error)? {
        let podKeys = victims.map { "\($0.metadata.namespace)/\($0.metadata.name)" }
        expectations.withLock { $0.expectDeletions(key.description, podKeys: podKeys, now: now) }
        let failures = await withTaskGroup(of: (any Error)?.self) { group in
            for pod in victims {
                group.addTask { [self] in
                    do {
                        try await client.delete(Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name)
                        events.record(owner, type: .normal, reason: "SuccessfulDelete",
                                      message: "Deleted pod: \(pod.metadata.name)")
                        return nil
                    } catch {
                        expectations.withLock {
                            $0.deletionObserved(key.description, podKey: "\(pod.metadata.namespace)/\(pod.metadata.name)")
                        }
                        if (error as? APIError)?.reason == .notFound { return nil }
                        events.record(owner, type: .warning, reason: "FailedDelete", message: "Error deleting: \(error)")
                        return error
                    }
                }
            }
            var errors: [any Error] = []
            for await error in group { if let error { errors.append(error) } }
            return errors
        }
        return failures.first
    }
}
