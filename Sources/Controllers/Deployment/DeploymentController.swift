import Foundation
public import ControllerRuntime
public import KubeAPI
public import KubeClient
import KubeCore
public import Logging
import Synchronization

/// The Deployment controller of upstream kube-controller-manager: watches Deployments, ReplicaSets and
/// pods, plans each sync with ``DeploymentSync`` and performs the planned writes in order through the API,
/// stopping at the first failure (the key is then retried with backoff). Later writes to an object use the
/// resource version an earlier write of the same sync returned.
///
/// Thread-safe; Sendable. Build it before the informer factory runs; run ``service``.
public final class DeploymentController: Reconciler, Sendable {
    public typealias Key = ObjectKey
    public static var controllerUIDIndex: String { "controllerUID" }

    public let queue = WorkQueue<ObjectKey>()
    private let client: APIClient
    private let deployments: Informer<Deployment>
    private let replicaSets: Informer<ReplicaSet>
    private let pods: Informer<Pod>
    private let events: EventRecorder
    private let logger: Logger
    private let workers: Int
    private let waitForInformers: @Sendable () async -> Void

    /// - Parameters:
    ///   - events: the recorder for `ScalingReplicaSet` events (component `deployment-controller` upstream).
    public init(client: APIClient, informers: InformerFactory, events: EventRecorder, workers: Int = 5,
                logger: Logger) {
        self.client = client
        self.deployments = informers.informer(Deployment.self)
        self.replicaSets = informers.informer(ReplicaSet.self)
        self.pods = informers.informer(Pod.self)
        self.events = events
        self.workers = workers
        var logger = logger
        logger[metadataKey: "controller"] = "deployment"
        self.logger = logger
        self.waitForInformers = { await informers.waitForSync() }
        replicaSets.addIndex(Self.controllerUIDIndex) { replicaSet in
            ControllerReference.controllerOf(replicaSet.metadata).map { [$0.uid] } ?? []
        }
        deployments.addHandler { [weak self] event in self?.queue.add(ObjectKey(event.object)) }
        replicaSets.addHandler { [weak self] event in self?.replicaSetChanged(event) }
        pods.addHandler { [weak self] event in
            if case .deleted(let pod) = event { self?.podDeleted(pod) }
        }
    }

    /// The control loop to run (a `Service`).
    public var service: Controller<DeploymentController> {
        Controller(name: "deployment-controller", queue: queue, reconciler: self, workers: workers,
                   waitForSync: waitForInformers, logger: logger)
    }

    // MARK: Informer events

    private func owner(of metadata: ObjectMeta) -> Deployment? {
        guard let reference = ControllerReference.controllerOf(metadata), reference.kind == "Deployment",
              let deployment = deployments.cache.get(namespace: metadata.namespace, name: reference.name),
              deployment.metadata.uid == reference.uid
        else { return nil }
        return deployment
    }

    private func selecting(_ replicaSet: ReplicaSet) -> [Deployment] {
        deployments.cache.list(namespace: replicaSet.metadata.namespace).filter {
            ((try? LabelSelectorExpression($0.spec.selector)) ?? .nothing).matches(replicaSet.metadata.labels)
        }
    }

    private func replicaSetChanged(_ event: InformerEvent<ReplicaSet>) {
        var targets: [Deployment] = []
        if case .updated(let old, let new) = event {
            if old.metadata.resourceVersion == new.metadata.resourceVersion { return }
            if ControllerReference.controllerOf(old.metadata) != ControllerReference.controllerOf(new.metadata),
               let previous = owner(of: old.metadata)
            {
                targets.append(previous)
            }
        }
        let replicaSet = event.object
        if let deployment = owner(of: replicaSet.metadata) {
            targets.append(deployment)
        } else if ControllerReference.controllerOf(replicaSet.metadata) == nil, !isDeleted(event) {
            targets += selecting(replicaSet)
        }
        for deployment in targets { queue.add(ObjectKey(deployment)) }
    }

    private func isDeleted(_ event: InformerEvent<ReplicaSet>) -> Bool {
        if case .deleted = event { return true }
        return false
    }

    /// Upstream `deletePod`: a Recreate Deployment waits for its old pods to go.
    private func podDeleted(_ pod: Pod) {
        guard let reference = ControllerReference.controllerOf(pod.metadata), reference.kind == "ReplicaSet",
              let replicaSet = replicaSets.cache.get(namespace: pod.metadata.namespace, name: reference.name),
              replicaSet.metadata.uid == reference.uid,
              let deployment = owner(of: replicaSet.metadata), deployment.spec.strategy.type == "Recreate"
        else { return }
        queue.add(ObjectKey(deployment))
    }

    // MARK: Reconcile

    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard let deployment = deployments.cache.get(key) else { return .done }
        let now = Date()
        let plan = DeploymentSync.plan(deployment: deployment,
                                       replicaSets: replicaSets.cache.list(namespace: key.namespace),
                                       pods: pods.cache.list(namespace: key.namespace), now: now)
        if let failure = plan.failure {
            logger.warning("Deployment cannot be synced", metadata: ["deployment": "\(key)", "reason": "\(failure)"])
        }
        try await perform(plan.actions, deployment: deployment, now: now)
        switch plan.requeue {
        case .after(let delay)?: return .requeue(after: delay)
        case .rateLimited?: return .requeue(after: .seconds(1))
        case nil: return .done
        }
    }

    /// Performs the planned writes in order; throws at the first failure, as upstream returns its first error.
    private func perform(_ actions: [DeploymentSync.Action], deployment: Deployment, now: Date) async throws {
        var versions: [String: String] = [:]
        var deploymentVersion = deployment.metadata.resourceVersion
        var adoptionChecked = false
        let namespace = deployment.metadata.namespace
        func fresh(_ replicaSet: ReplicaSet) -> ReplicaSet {
            var copy = replicaSet
            if let version = versions[replicaSet.metadata.name] { copy.metadata.resourceVersion = version }
            return copy
        }
        for action in actions {
            switch action {
            case .adoptReplicaSet(let replicaSet):
                if !adoptionChecked {
                    let current = try await client.get(Deployment.self, namespace: namespace, name: deployment.metadata.name)
                    guard current.metadata.uid == deployment.metadata.uid, current.metadata.deletionTimestamp == nil else {
                        throw ControllersError.cannotAdopt(owner: deployment.metadata.name)
                    }
                    adoptionChecked = true
                }
                let reference = ControllerReference.make(ownerMetadata: deployment.metadata, apiVersion: "apps/v1",
                                                         kind: "Deployment")
                let patched = try await client.patch(
                    ReplicaSet.self, namespace: namespace, name: replicaSet.metadata.name, type: .strategicMerge,
                    patch: ControllerReference.adoptionPatch(reference, dependentUID: replicaSet.metadata.uid))
                versions[patched.metadata.name] = patched.metadata.resourceVersion
            case .releaseReplicaSet(let replicaSet):
                do {
                    let patched = try await client.patch(
                        ReplicaSet.self, namespace: namespace, name: replicaSet.metadata.name, type: .strategicMerge,
                        patch: ControllerReference.releasePatch(ownerUID: deployment.metadata.uid,
                                                                dependentUID: replicaSet.metadata.uid))
                    versions[patched.metadata.name] = patched.metadata.resourceVersion
                } catch let error as APIError where error.reason == .notFound || error.reason == .invalid {
                    continue
                }
            case .createReplicaSet(let replicaSet):
                do {
                    let created = try await client.create(replicaSet)
                    versions[created.metadata.name] = created.metadata.resourceVersion
                } catch let error as APIError where error.reason == .alreadyExists {
                    if let existing = replicaSets.cache.get(namespace: namespace, name: replicaSet.metadata.name),
                       DeploymentSync.isOwnNewReplicaSet(existing, deployment: deployment)
                    {
                        return
                    }
                    var bumped = DeploymentSync.collisionStatus(deployment: deployment)
                    bumped.metadata.resourceVersion = deploymentVersion
                    _ = try? await client.updateStatus(bumped)
                    throw error
                } catch {
                    let failure = DeploymentSync.replicaSetCreationFailed(
                        deployment: deployment, replicaSetName: replicaSet.metadata.name, error: "\(error)", now: now)
                    if var status = failure.status {
                        status.metadata.resourceVersion = deploymentVersion
                        _ = try? await client.updateStatus(status)
                    }
                    events.record(deployment, type: .warning, reason: failure.event.reason, message: failure.event.message)
                    throw error
                }
            case .updateReplicaSet(let replicaSet):
                let updated = try await client.update(fresh(replicaSet))
                versions[updated.metadata.name] = updated.metadata.resourceVersion
            case .deleteReplicaSet(let replicaSet):
                do {
                    try await client.delete(ReplicaSet.self, namespace: namespace, name: replicaSet.metadata.name)
                } catch let error as APIError where error.reason == .notFound {
                    continue
                }
            case .updateStatus(var updated):
                updated.metadata.resourceVersion = deploymentVersion
                let written = try await client.updateStatus(updated)
                deploymentVersion = written.metadata.resourceVersion
            case .event(let event):
                events.record(deployment, type: event.type == "Warning" ? .warning : .normal, reason: event.reason,
                              message: event.message)
            }
        }
    }
}
