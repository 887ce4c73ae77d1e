import Foundation

/// Upstream PodTopologySpread PreScore/Score/NormalizeScore for `ScheduleAnyway` constraints, or,
/// for a pod without constraints, the system defaults (hostname maxSkew 3, zone maxSkew 5) over the
/// pods of the same controller. Pure; Sendable.
enum PodTopologySpreadScoring {
    static let hostnameKey = "kubernetes.io/hostname"
    static let zoneKey = "topology.kubernetes.io/zone"

    static func constraints(for pod: PodInfo) -> [SpreadConstraint] {
        if pod.hasExplicitSpreadConstraints { return pod.spreadConstraints.filter { !$0.hard } }
        guard let owner = pod.controllerUID else { return [] }
        return [
            SpreadConstraint(maxSkew: 3, topologyKey: hostnameKey, hard: false, matching: .owner(uid: owner)),
            SpreadConstraint(maxSkew: 5, topologyKey: zoneKey, hard: false, matching: .owner(uid: owner)),
        ]
    }

    /// Normalised scores per feasible node; nil when the plugin skips (no soft constraints).
    static func scores(pod: PodInfo, feasible: [Int], snapshot: ClusterSnapshot) -> [Int64]? {
        let constraints = constraints(for: pod)
        guard !constraints.isEmpty, !feasible.isEmpty else { return nil }
        let nodes = snapshot.nodes
        let requireAllTopologies = pod.hasExplicitSpreadConstraints
        func hasAllKeys(_ node: NodeInfo) -> Bool { constraints.allSatisfy { node.labels[$0.topologyKey] != nil } }

        // PreScore: the candidate domains (from feasible nodes) and their normalising weights.
        var ignored = [Bool](repeating: false, count: feasible.count)
        var ignoredCount = 0
        var pairCounts = [[String: Int]](repeating: [:], count: constraints.count)
        for (position, nodeIndex) in feasible.enumerated() {
            let node = nodes[nodeIndex]
            if requireAllTopologies && !hasAllKeys(node) {
                ignored[position] = true
                ignoredCount += 1
                continue
            }
            for (index, constraint) in constraints.enumerated() where constraint.topologyKey != hostnameKey {
                let value = node.labels[constraint.topologyKey] ?? ""
                if pairCounts[index][value] == nil { pairCounts[index][value] = 0 }
            }
        }
        let normalizingWeights = constraints.enumerated().map { index, constraint in
            let size = constraint.topologyKey == hostnameKey ? feasible.count - ignoredCount : pairCounts[index].count
            return log(Double(size + 2))
        }

        // Count matching pods per candidate domain over every eligible node of the cluster.
        func addCounts(of node: NodeInfo, matching: (Int, SpreadConstraint) -> Int) {
            if requireAllTopologies && !hasAllKeys(node) { return }
            for (index, constraint) in constraints.enumerated() where constraint.topologyKey != hostnameKey {
                if !TopologySpreadPreFilter.nodeIsEligible(node, for: constraint, pod: pod) { continue }
                let value = node.labels[constraint.topologyKey] ?? ""
                guard pairCounts[index][value] != nil else { continue }
                pairCounts[index][value, default: 0] += matching(index, constraint)
            }
        }
        let needsDomainCounts = constraints.contains { $0.topologyKey != hostnameKey }
        var ownerCounts: [String: Int] = [:]
        if case .owner(let uid) = constraints[0].matching { ownerCounts = snapshot.ownerPodCounts(uid) }
        if needsDomainCounts {
            if pod.hasExplicitSpreadConstraints {
                for node in nodes {
                    addCounts(of: node) { _, constraint in
                        node.pods.reduce(0) { $0 + (constraint.counts($1, namespace: pod.namespace) ? 1 : 0) }
                    }
                }
            } else {
                // Default constraints count one owner's pods: visit only the nodes that have some.
                for (nodeName, count) in ownerCounts {
                    guard let node = snapshot.nodeInfo(named: nodeName) else { continue }
                    addCounts(of: node) { _, _ in count }
                }
            }
        }

        // Score.
        var scores = [Int64](repeating: 0, count: feasible.count)
        for (position, nodeIndex) in feasible.enumerated() where !ignored[position] {
            let node = nodes[nodeIndex]
            var score = 0.0
            for (index, constraint) in constraints.enumerated() {
                guard let value = node.labels[constraint.topologyKey] else { continue }
                let count: Int
                if constraint.topologyKey == hostnameKey {
                    if case .owner = constraint.matching {
                        count = ownerCounts[node.name] ?? 0
                    } else {
                        count = node.pods.reduce(0) { $0 + (constraint.counts($1, namespace: pod.namespace) ? 1 : 0) }
                    }
                } else {
                    count = pairCounts[index][value] ?? 0
                }
                score += Double(count) * normalizingWeights[index] + Double(constraint.maxSkew - 1)
            }
            scores[position] = Int64(score.rounded())
        }

        // NormalizeScore: fewer matching pods → higher score; ignored nodes get 0.
        var minimum = Int64.max
        var maximum: Int64 = 0
        for position in scores.indices where !ignored[position] {
            minimum = min(minimum, scores[position])
            maximum = max(maximum, scores[position])
        }
        for position in scores.indices {
            if ignored[position] {
                scores[position] = 0
            } else if maximum == 0 {
                scores[position] = ScorePlugins.maxNodeScore
            } else {
                scores[position] = ScorePlugins.maxNodeScore * (maximum + minimum - scores[position]) / maximum
            }
        }
        return scores
    }
}
