public import ControllerRuntime
import Foundation
import KubeAPI
public import KubeClient
import KubeCore
public import Logging
public import ServiceLifecycle

/// The node lifecycle controller: a node whose Lease stops renewing for `gracePeriod` goes Ready=Unknown
/// ("Kubelet stopped posting node status."), gets the `node.kubernetes.io/unreachable` NoSchedule and
/// NoExecute taints (`not-ready` when the kubelet reports Ready=False), its pods are marked not Ready, and pods
/// that do not tolerate the NoExecute taint long enough are deleted (upstream taint eviction) so their
/// controllers recreate them elsewhere. A node that reports Ready again loses the taints.
///
/// Sendable; `run()` may be called once, beside the informer factory it was given.
public struct NodeLifecycleController: ServiceLifecycle.Service {
    static let nodeIndexName = "spec.nodeName"

    private let controller: Controller<NodeLifecycleReconciler>

    public init(client: APIClient, informers: InformerFactory, events: EventRecorder, gracePeriod: Duration,
                logger: Logger) {
        let nodes = informers.informer(Node.self)
        let leases = informers.informer(Lease.self)
        let pods = informers.informer(Pod.self)
        pods.addIndex(Self.nodeIndexName) { pod in pod.spec.nodeName.isEmpty ? [] : [pod.spec.nodeName] }
        let queue = WorkQueue<ObjectKey>()
        nodes.addHandler { event in
            if case .deleted = event { return }
            queue.add(ObjectKey(name: event.object.metadata.name))
        }
        leases.addHandler { event in
            guard event.object.metadata.namespace == "kube-node-lease" else { return }
            queue.add(ObjectKey(name: event.object.metadata.name))
        }
        pods.addHandler { event in
            guard case .added(let pod) = event, !pod.spec.nodeName.isEmpty else { return }
            // A pod bound to a tainted node may have to leave it.
            if let node = nodes.cache.get(name: pod.spec.nodeName), node.spec.taints.contains(where: { $0.effect == "NoExecute" }) {
                queue.add(ObjectKey(name: pod.spec.nodeName))
            }
        }
        let seconds = Double(gracePeriod.components.seconds) + Double(gracePeriod.components.attoseconds) / 1e18
        let reconciler = NodeLifecycleReconciler(
            client: client, nodes: nodes.cache, leases: leases.cache, pods: pods.cache, events: events,
            gracePeriod: seconds, logger: logger)
        controller = Controller(
            name: "node-lifecycle", queue: queue, reconciler: reconciler, workers: 2,
            waitForSync: { await nodes.waitUntilSynced(); await leases.waitUntilSynced(); await pods.waitUntilSynced() },
            logger: logger)
    }

    public func run() async throws {
        try await controller.run()
    }
}

/// One node's reconcile: health, taints, pod readiness, evictions.
///
/// Sendable; reads informer caches, writes through the API client.
struct NodeLifecycleReconciler: Reconciler {
    let client: APIClient
    let nodes: ObjectCache<Node>
    let leases: ObjectCache<Lease>
    let pods: ObjectCache<Pod>
    let events: EventRecorder
    let gracePeriod: TimeInterval
    let logger: Logger

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard var node = nodes.get(key) else { return .done }
        let now = Date()
        let lease = leases.get(namespace: "kube-node-lease", name: node.metadata.name)
        let decision = NodeHealth.evaluate(node: node, lease: lease, now: now, gracePeriod: gracePeriod)
        if let conditions = decision.conditions {
            let wasReady = node.status.conditions.first { $0.type == "Ready" }?.status == "True"
            node.status.conditions = conditions
            node = try await client.updateStatus(node)
            if wasReady {
                events.record(node, type: .normal, reason: "NodeNotReady",
                              message: "Node \(node.metadata.name) status is now: NodeNotReady")
                logger.info("Node stopped posting status", metadata: ["node": "\(node.metadata.name)"])
            }
        }
        if let taints = decision.taints {
            node.spec.taints = taints
            node = try await client.update(node)
        }
        var recheck = decision.recheckAfter
        let podsOnNode = pods.byIndex(NodeLifecycleController.nodeIndexName, value: node.metadata.name)
        if decision.readyStatus != "True" {
            try await markNotReady(podsOnNode, now: now)
        }
        for pod in podsOnNode where pod.metadata.deletionTimestamp == nil {
            switch TaintEviction.decide(pod: pod, taints: node.spec.taints, now: now) {
            case .keep:
                continue
            case .evictAt(let date):
                recheck = min(recheck, max(0.05, date.timeIntervalSince(now)))
            case .evictNow:
                try await evict(pod)
            }
        }
        return .requeue(after: .milliseconds(Int64(recheck * 1000)))
    }

    /// Upstream `MarkPodsNotReady`: the Ready condition of pods on an unresponsive node turns False.
    private func markNotReady(_ pods: [Pod], now: Date) async throws {
        for var pod in pods where pod.metadata.deletionTimestamp == nil {
            guard let index = pod.status.conditions.firstIndex(where: { $0.type == "Ready" }),
                  pod.status.conditions[index].status == "True"
            else { continue }
            pod.status.conditions[index].status = "False"
            pod.status.conditions[index].lastTransitionTime = RFC3339Time(now)
            pod.status.conditions[index].reason = ""
            pod.status.conditions[index].message = ""
            do {
                _ = try await client.updateStatus(pod)
            } catch let error as APIError where error.reason == .notFound || error.reason == .conflict {
                continue
            }
        }
    }

    private func evict(_ pod: Pod) async throws {
        events.record(pod, type: .normal, reason: "TaintManagerEviction",
                      message: "Marking for deletion Pod \(pod.metadata.namespace)/\(pod.metadata.name)")
        do {
            try await client.delete(Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name,
                                    options: DeleteOptions(preconditions: DeleteOptions.Preconditions(uid: pod.metadata.uid)))
            logger.info("Pod evicted from tainted node", metadata: [
                "pod": "\(pod.metadata.namespace)/\(pod.metadata.name)", "node": "\(pod.spec.nodeName)",
            ])
        } catch let error as APIError where error.reason == .notFound || error.reason == .conflict {
            return
        }
    }
}
