/// Everything the filter plugins precompute for one pod in one cycle (upstream PreFilter state),
/// so that the per-node check is a handful of integer comparisons and dictionary lookups.
/// Value type; Sendable; built by ``SchedulingAlgorithm`` and discarded after the cycle.
struct FilterCycleState: Sendable {
    let pod: PodInfo
    /// The pod tolerates `node.kubernetes.io/unschedulable:NoSchedule`.
    let toleratesUnschedulable: Bool
    let checksNodeAffinity: Bool
    let interPodAffinity: InterPodAffinityPreFilter?
    let topologySpread: TopologySpreadPreFilter?

    init(pod: PodInfo, snapshot: ClusterSnapshot) {
        self.pod = pod
        toleratesUnschedulable = pod.tolerations.tolerate(
            NodeTaint(key: "node.kubernetes.io/unschedulable", effect: .noSchedule)
        )
        checksNodeAffinity = !pod.requiredNodeAffinity.isEmpty
        interPodAffinity = InterPodAffinityPreFilter(pod: pod, snapshot: snapshot)
        topologySpread = TopologySpreadPreFilter(pod: pod, snapshot: snapshot)
    }

    /// Runs the default profile's filters in upstream order and returns the first failure.
    func filter(_ node: NodeInfo) -> FilterFailure? {
        // NodeUnschedulable
        if node.unschedulable && !toleratesUnschedulable { return .nodeUnschedulable }
        // NodeName
        if !pod.nodeName.isEmpty && pod.nodeName != node.name { return .nodeName }
        // TaintToleration
        if !node.taints.isEmpty, let taint = pod.tolerations.firstUntoleratedHardTaint(node.taints) {
            return .untoleratedTaint(key: taint.key, value: taint.value)
        }
        // NodeAffinity
        if checksNodeAffinity && !pod.requiredNodeAffinity.matches(nodeName: node.name, labels: node.labels) {
            return .nodeAffinity
        }
        // NodePorts
        if !pod.hostPorts.isEmpty && node.portsConflict(pod.hostPorts) { return .nodePorts }
        // NodeResourcesFit
        if let shortfall = Self.resourceShortfall(pod: pod, node: node) { return .resources(shortfall) }
        // PodTopologySpread
        if let topologySpread, let failure = topologySpread.filter(node) { return failure }
        // InterPodAffinity
        if let interPodAffinity, let failure = interPodAffinity.filter(node) { return failure }
        return nil
    }

    /// Upstream `fitsRequest`: pod count first, then cpu, memory, ephemeral storage and extended
    /// resources; a pod that requests nothing only needs a pod slot.
    static func resourceShortfall(pod: PodInfo, node: NodeInfo) -> ResourceShortfall? {
        let request = pod.requests
        let capacity = node.capacity
        let tooManyPods = capacity.podCount + 1 > capacity.allowedPodNumber
        let requestsNothing = request.milliCPU == 0 && request.memory == 0 && request.ephemeralStorage == 0
            && request.extended.isEmpty
        if requestsNothing {
            return tooManyPods ? ResourceShortfall(tooManyPods: true) : nil
        }
        var shortfall = ResourceShortfall(tooManyPods: tooManyPods)
        shortfall.cpu = request.milliCPU > 0 && request.milliCPU > capacity.allocatableCPU - capacity.requestedCPU
        shortfall.memory = request.memory > 0 && request.memory > capacity.allocatableMemory - capacity.requestedMemory
        shortfall.ephemeralStorage = request.ephemeralStorage > 0
            && request.ephemeralStorage > capacity.allocatableEphemeralStorage - capacity.requestedEphemeralStorage
        if !request.extended.isEmpty {
            let allocatable = node.allocatable
            let requested = node.requested
            for (name, amount) in request.extended.sorted(by: { $0.key < $1.key }) where amount > 0 {
                let free = (allocatable.extended[name] ?? 0) - (requested.extended[name] ?? 0)
                if amount > free { shortfall.extended.append(name) }
            }
        }
        return shortfall.isEmpty ? nil : shortfall
    }
}

/// Topology-pair counters keyed by topology key, then value.
typealias TopologyCounts = [String: [String: Int]]

extension Dictionary where Key == String, Value == [String: Int] {
    mutating func increment(key: String, value: String, by amount: Int = 1) {
        self[key, default: [:]][value, default: 0] += amount
    }

    func count(key: String, value: String) -> Int { self[key]?[value] ?? 0 }
}
