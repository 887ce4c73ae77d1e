/// Upstream PodTopologySpread PreFilter/Filter for `whenUnsatisfiable: DoNotSchedule`: matching
/// pods per topology domain over the eligible nodes, and the global minimum per constraint.
/// Value type; Sendable.
struct TopologySpreadPreFilter: Sendable {
    struct Entry: Sendable {
        let constraint: SpreadConstraint
        let countsByValue: [String: Int]
        let minimumMatch: Int
        let selfMatch: Int
    }

    let entries: [Entry]

    /// nil when the pod has no hard constraints.
    init?(pod: PodInfo, snapshot: ClusterSnapshot) {
        let constraints = pod.spreadConstraints.filter(\.hard)
        guard !constraints.isEmpty else { return nil }
        var counts = [[String: Int]](repeating: [:], count: constraints.count)
        let ownerCounts = constraints.map { constraint -> [Int: Int]? in
            if case .owner(let uid) = constraint.matching { return snapshot.ownerPodCounts(uid) }
            return nil
        }
        for node in snapshot.nodes {
            if !constraints.allSatisfy({ node.labels[$0.topologyKey] != nil }) { continue }
            for (index, constraint) in constraints.enumerated() {
                if !Self.nodeIsEligible(node, for: constraint, pod: pod) { continue }
                let value = node.labels[constraint.topologyKey] ?? ""
                let matching: Int
                if let owner = ownerCounts[index] {
                    matching = owner[node.id] ?? 0
                } else {
                    matching = node.pods.reduce(0) { $0 + (constraint.counts($1, namespace: pod.namespace) ? 1 : 0) }
                }
                counts[index][value, default: 0] += matching
            }
        }
        entries = constraints.enumerated().map { index, constraint in
            let domainCounts = counts[index]
            let minimum: Int
            if domainCounts.count < constraint.minDomains {
                minimum = 0
            } else {
                minimum = domainCounts.values.min() ?? Int(Int32.max)
            }
            return Entry(
                constraint: constraint,
                countsByValue: domainCounts,
                minimumMatch: minimum,
                selfMatch: constraint.selects(pod) ? 1 : 0
            )
        }
    }

    /// nodeAffinityPolicy / nodeTaintsPolicy: whether a node's pods and domain count at all.
    static func nodeIsEligible(_ node: NodeInfo, for constraint: SpreadConstraint, pod: PodInfo) -> Bool {
        if constraint.honorNodeAffinity && !pod.requiredNodeAffinity.matches(nodeName: node.name, labels: node.labels) {
            return false
        }
        if constraint.honorNodeTaints && pod.tolerations.firstUntoleratedHardTaint(node.taints) != nil { return false }
        return true
    }

    func filter(_ node: NodeInfo) -> FilterFailure? {
        for entry in entries {
            guard let value = node.labels[entry.constraint.topologyKey] else { return .spreadMissingLabel }
            let skew = (entry.countsByValue[value] ?? 0) + entry.selfMatch - entry.minimumMatch
            if skew > entry.constraint.maxSkew { return .spreadConstraints }
        }
        return nil
    }
}
