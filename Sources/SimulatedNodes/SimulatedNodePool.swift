public import ControllerRuntime
import Foundation
import KubeAPI
public import KubeClient
import KubeCore
public import Logging
public import ServiceLifecycle
import Synchronization

/// Hollow nodes, like kwok: registers `configuration.count` Nodes, renews their Leases, reports them Ready,
/// and "runs" the pods bound to them — a bound pod becomes Running and Ready with a pod IP at once, and a pod
/// being deleted gracefully is removed (as a kubelet confirms a stopped pod). A node annotated
/// ``SimulatedNodeAnnotations/stopped`` behaves as powered off until the annotation goes.
///
/// Thread-safe; Sendable. `run()` may be called once; it needs the factory's Node and Pod informers, which
/// `init` requests (run the factory beside this service).
public final class SimulatedNodePool: ServiceLifecycle.Service, Sendable {
    static let nodeIndexName = "spec.nodeName"

    public let configuration: SimulatedNodeConfiguration
    private let client: APIClient
    private let nodes: Informer<Node>
    private let pods: Informer<Pod>
    private let queue = WorkQueue<ObjectKey>()
    private let logger: Logger
    private let indexByName: [String: Int]
    private let podSlots = Mutex<[Int: Int]>([:])
    private let leases = Mutex<[String: Lease]>([:])

    public init(configuration: SimulatedNodeConfiguration, client: APIClient, informers: InformerFactory, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        self.nodes = informers.informer(Node.self)
        self.pods = informers.informer(Pod.self)
        var indexByName: [String: Int] = [:]
        for index in 0..<configuration.count { indexByName[configuration.nodeName(index)] = index }
        self.indexByName = indexByName
        pods.addIndex(Self.nodeIndexName) { pod in pod.spec.nodeName.isEmpty ? [] : [pod.spec.nodeName] }
        pods.addHandler { [queue, indexByName] event in
            let pod = event.object
            guard indexByName[pod.spec.nodeName] != nil else { return }
            if case .deleted = event { return }
            queue.add(ObjectKey(pod))
        }
        nodes.addHandler { [queue, pods, indexByName] event in
            guard case .updated(let old, let new) = event, indexByName[new.metadata.name] != nil else { return }
            // A node coming back re-runs its pods.
            if Self.isStopped(old), !Self.isStopped(new) {
                for pod in pods.cache.byIndex(Self.nodeIndexName, value: new.metadata.name) { queue.add(ObjectKey(pod)) }
            }
        }
    }

    static func isStopped(_ node: Node) -> Bool {
        node.metadata.annotations[SimulatedNodeAnnotations.stopped] == "true"
    }

    public func run() async throws {
        try await registerNodes()
        logger.info("Simulated nodes registered", metadata: ["count": "\(configuration.count)"])
        await nodes.waitUntilSynced()
        await pods.waitUntilSynced()
        let podController = Controller(
            name: "simulated-kubelet", queue: queue, reconciler: SimulatedPodReconciler(pool: self), workers: 4,
            logger: logger)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await podController.run() }
            group.addTask { [self] in try await heartbeatLoop() }
        }
    }

    // MARK: Nodes and leases

    private func registerNodes() async throws {
        let now = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var started = 0
            for index in 0..<configuration.count {
                if started >= 16 { try await group.next() }
                started += 1
                group.addTask { [self] in try await registerNode(index: index, now: now) }
            }
            try await group.waitForAll()
        }
    }

    private func registerNode(index: Int, now: Date) async throws {
        let node = SimulatedNodeObjects.node(index: index, configuration: configuration, now: now)
        do {
            let created = try await client.create(node)
            try await renewLease(nodeName: created.metadata.name, nodeUID: created.metadata.uid, now: now)
        } catch let error as APIError where error.reason == .alreadyExists {
            // Registered before (a restart): report fresh status.
            var existing = try await client.get(Node.self, name: node.metadata.name)
            existing.status = node.status
            let updated = try await client.updateStatus(existing)
            try await renewLease(nodeName: updated.metadata.name, nodeUID: updated.metadata.uid, now: now)
        }
    }

    /// Renews every running node's Lease once per interval, on a fixed cadence (a slow round does not push
    /// the next one back), up to 32 nodes at a time, as independent kubelets would.
    private func heartbeatLoop() async throws {
        var next = ContinuousClock.now + configuration.heartbeatInterval
        while true {
            try await Task.sleep(until: next, clock: .continuous)
            next += configuration.heartbeatInterval
            let now = Date()
            try await withThrowingTaskGroup(of: Void.self) { group in
                var running = 0
                for index in 0..<configuration.count {
                    if running >= 32 {
                        try await group.next()
                        running -= 1
                    }
                    running += 1
                    group.addTask { [self] in try await heartbeat(index: index, now: now) }
                }
                try await group.waitForAll()
            }
            if next < .now { next = .now }
        }
    }

    /// One node's heartbeat: its Lease, and its Ready condition again if the node lifecycle controller
    /// marked it Unknown.
    private func heartbeat(index: Int, now: Date) async throws {
        let name = configuration.nodeName(index)
        guard let node = nodes.cache.get(name: name), !Self.isStopped(node) else { return }
        do {
            try await renewLease(nodeName: name, nodeUID: node.metadata.uid, now: now)
            let ready = node.status.conditions.first { $0.type == "Ready" }
            let unreachable = node.spec.taints.contains { $0.key.hasPrefix("node.kubernetes.io/unreachable") }
            if ready?.status != "True" || unreachable {
                var updated = node
                updated.status.conditions = SimulatedNodeObjects.conditions(now: now)
                _ = try await client.updateStatus(updated)
                logger.info("Simulated node reports Ready again", metadata: ["node": "\(name)"])
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.debug("Heartbeat failed", metadata: ["node": "\(name)", "error": "\(error)"])
        }
    }

    private func renewLease(nodeName: String, nodeUID: String, now: Date) async throws {
        let fresh = SimulatedNodeObjects.lease(nodeName: nodeName, nodeUID: nodeUID, configuration: configuration, now: now)
        if var known = leases.withLock({ $0[nodeName] }) {
            known.spec = fresh.spec
            do {
                let updated = try await client.update(known)
                leases.withLock { $0[nodeName] = updated }
                return
            } catch let error as APIError where error.reason == .conflict || error.reason == .notFound {
                leases.withLock { _ = $0.removeValue(forKey: nodeName) }
            }
        }
        do {
            let created = try await client.create(fresh)
            leases.withLock { $0[nodeName] = created }
        } catch let error as APIError where error.reason == .alreadyExists {
            var existing = try await client.get(Lease.self, namespace: fresh.metadata.namespace, name: nodeName)
            existing.spec = fresh.spec
            let updated = try await client.update(existing)
            leases.withLock { $0[nodeName] = updated }
        }
    }

    // MARK: Pods

    /// Moves one pod bound to a simulated node towards what a kubelet would report.
    func syncPod(_ key: ObjectKey) async throws {
        guard let pod = pods.cache.get(key), let index = indexByName[pod.spec.nodeName],
              let node = nodes.cache.get(name: pod.spec.nodeName), !Self.isStopped(node)
        else { return }
        if pod.metadata.deletionTimestamp != nil {
            let options = DeleteOptions(gracePeriodSeconds: 0,
                                        preconditions: DeleteOptions.Preconditions(uid: pod.metadata.uid))
            do {
                try await client.delete(Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name,
                                        options: options)
            } catch let error as APIError where error.reason == .notFound || error.reason == .conflict {
                return
            }
            return
        }
        if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" { return }
        if pod.status.phase == "Running", pod.status.conditions.contains(where: { $0.type == "Ready" && $0.status == "True" }) {
            return
        }
        let podIP = pod.status.podIP.isEmpty ? nextPodIP(index: index) : pod.status.podIP
        var running = pod
        running.status = SimulatedNodeObjects.runningStatus(of: pod, index: index, podIP: podIP, now: Date())
        do {
            _ = try await client.updateStatus(running)
        } catch let error as APIError where error.reason == .notFound {
            return
        }
    }

    private func nextPodIP(index: Int) -> String {
        let slot = podSlots.withLock { slots in
            let slot = slots[index, default: 0]
            slots[index] = slot + 1
            return slot
        }
        return SimulatedNodeObjects.podIP(index: index, slot: slot)
    }
}

/// The reconcile step of the simulated kubelets: one pod at a time.
///
/// Sendable; the pool it calls is thread-safe.
struct SimulatedPodReconciler: Reconciler {
    let pool: SimulatedNodePool

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        try await pool.syncPod(key)
        return .done
    }
}
