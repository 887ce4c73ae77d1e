public import KubeAPI
import KubeCore

/// The scheduler's state between API events and scheduling cycles (upstream `cache` + queue):
/// the live ``ClusterSnapshot``, the ``SchedulingQueue`` of pending pods, and the pods assumed onto
/// nodes while their binding is in flight. Informer events and binding results go in, scheduling
/// steps come out; time is a parameter. Value type; Sendable; not synchronised (the service keeps
/// it behind a lock).
public struct SchedulerCache: Sendable {
    /// What the scheduling loop must do after one cycle. Value type; Sendable.
    public enum Step: Sendable {
        /// The pod is assumed onto `nodeName`; POST the binding.
        case bind(pod: Pod, key: String, nodeName: String)
        /// The pod fits nowhere; report the failure (event and PodScheduled condition).
        case unschedulable(pod: Pod, key: String, failure: SchedulingFailure)
    }

    public let schedulerName: String
    public private(set) var snapshot = ClusterSnapshot()
    public private(set) var queue: SchedulingQueue
    public private(set) var algorithm: SchedulingAlgorithm
    /// Pending pods by key (the latest object seen).
    private var pendingPods: [String: Pod] = [:]
    /// Pod key → node, for pods assumed but not yet seen bound by the informer.
    public private(set) var assumed: [String: String] = [:]

    public init(configuration: SchedulerConfiguration) {
        schedulerName = configuration.schedulerName
        queue = SchedulingQueue(configuration: configuration.queue)
        algorithm = SchedulingAlgorithm(configuration: configuration.algorithm)
    }

    // MARK: Informer events

    /// A pod was added or changed. Returns true when the scheduling loop may have new work.
    @discardableResult
    public mutating func podUpserted(_ pod: Pod, now: ContinuousClock.Instant) -> Bool {
        let info = PodInfo(pod)
        let key = info.snapshotKey
        if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" {
            return podDeleted(pod, now: now)
        }
        if !pod.spec.nodeName.isEmpty {
            // Bound (by us or anyone): account for it where it really is.
            assumed[key] = nil
            pendingPods[key] = nil
            queue.delete(key)
            snapshot.addPod(info)
            return false
        }
        if assumed[key] != nil { return false }  // our binding is in flight
        guard isResponsible(for: pod) else {
            pendingPods[key] = nil
            queue.delete(key)
            return false
        }
        pendingPods[key] = pod
        queue.addOrUpdate(info, now: now)
        return true
    }

    /// A pod was deleted. Returns true when pending pods may now fit.
    @discardableResult
    public mutating func podDeleted(_ pod: Pod, now: ContinuousClock.Instant) -> Bool {
        let key = PodInfo.snapshotKey(of: pod)
        pendingPods[key] = nil
        queue.delete(key)
        assumed[key] = nil
        guard snapshot.removePod(snapshotKey: key) else { return false }
        queue.moveAllToActiveOrBackoff(now: now)
        return true
    }

    /// A node was added or changed. Returns true when pending pods may now fit.
    @discardableResult
    public mutating func nodeUpserted(old: Node?, new node: Node, now: ContinuousClock.Instant) -> Bool {
        snapshot.upsertNode(node)
        if let old, !Self.schedulingRelevantChange(old: old, new: node) { return false }
        queue.moveAllToActiveOrBackoff(now: now)
        return true
    }

    public mutating func nodeDeleted(_ node: Node) {
        snapshot.removeNode(named: node.metadata.name)
    }

    // MARK: Scheduling

    /// Pops the next pod and runs one scheduling cycle; a placement is assumed in the snapshot at
    /// once, so the next cycle already sees it. nil when no pod is ready.
    public mutating func scheduleNext(now: ContinuousClock.Instant, using random: inout some RandomNumberGenerator) -> Step? {
        while let queued = queue.pop(now: now) {
            guard let pod = pendingPods[queued.key] else {
                queue.delete(queued.key)
                continue
            }
            switch algorithm.schedule(queued.info, in: snapshot, using: &random) {
            case .scheduled(let result):
                snapshot.addPod(queued.info, toNode: result.nodeName)
                assumed[queued.key] = result.nodeName
                return .bind(pod: pod, key: queued.key, nodeName: result.nodeName)
            case .unschedulable(let failure):
                queue.requeueUnschedulable(queued.key, now: now)
                return .unschedulable(pod: pod, key: queued.key, failure: failure)
            }
        }
        return nil
    }

    /// The binding was accepted.
    public mutating func bindingSucceeded(key: String) {
        pendingPods[key] = nil
        queue.done(key)
    }

    /// The binding failed: forget the assumption and retry after the pod's backoff.
    public mutating func bindingFailed(key: String, now: ContinuousClock.Instant) {
        if assumed.removeValue(forKey: key) != nil {
            snapshot.removePod(snapshotKey: key)
        }
        queue.requeueAfterError(key, now: now)
    }

    /// When the queue next has a backoff or unschedulable timeout to act on.
    public func nextDeadline() -> ContinuousClock.Instant? { queue.nextDeadline() }

    // MARK: Rules

    /// Upstream `responsibleForPod` + the pending-pod filter: this scheduler's name (or none), not
    /// being deleted, no scheduling gates.
    func isResponsible(for pod: Pod) -> Bool {
        let name = pod.spec.schedulerName
        guard name.isEmpty || name == schedulerName else { return false }
        return pod.metadata.deletionTimestamp == nil && pod.spec.schedulingGates.isEmpty
    }

    /// A node change that can make a pod fit: allocatable, labels, taints or schedulability.
    static func schedulingRelevantChange(old: Node, new: Node) -> Bool {
        old.status.allocatable != new.status.allocatable || old.metadata.labels != new.metadata.labels
            || old.spec.taints != new.spec.taints || old.spec.unschedulable != new.spec.unschedulable
    }
}

extension PodInfo {
    /// The snapshot / queue key of a Pod without compiling it.
    static func snapshotKey(of pod: Pod) -> String {
        pod.metadata.uid.isEmpty ? pod.metadata.namespace + "/" + pod.metadata.name : pod.metadata.uid
    }
}
