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
        if !pod.hasExplicitSpreadConstraints {
            guard let owner = pod.controllerUID, !feasible.isEmpty else { return nil }
            return defaultScores(pod: pod, owner: owner, feasible: feasible, snapshot: snapshot)
        }
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
        if constraints.contains(where: { $0.topologyKey != hostnameKey }) {
            for node in nodes {
                addCounts(of: node) { _, constraint in
                    node.pods.reduce(0) { $0 + (constraint.counts($1, namespace: pod.namespace) ? 1 : 0) }
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
                    count = node.pods.reduce(0) { $0 + (constraint.counts($1, namespace: pod.namespace) ? 1 : 0) }
                } else {
                    count = pairCounts[index][value] ?? 0
                }
                score += Double(count) * normalizingWeights[index] + Double(constraint.maxSkew - 1)
            }
            scores[position] = Int64(score.rounded())
        }

        normalize(&scores, ignored: ignored)
        return scores
    }

    /// The system-default constraints (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway) over one
    /// owner's pods, computed with integer node and zone IDs: the same arithmetic as the generic path
    /// without hashing label strings per node.
    static func defaultScores(pod: PodInfo, owner: String, feasible: [Int], snapshot: ClusterSnapshot) -> [Int64] {
        let nodes = snapshot.nodes
        let ownerCounts = snapshot.ownerPodCounts(owner)
        // Candidate zone domains among the feasible nodes (nodes without a zone form the "" domain).
        var zoneIsCandidate = [Bool](repeating: false, count: snapshot.zoneCount)
        var zoneDomains = 0
        var hasZonelessNode = false
        for nodeIndex in feasible {
            let zone = nodes[nodeIndex].zoneID
            if zone >= 0 {
                if !zoneIsCandidate[zone] {
                    zoneIsCandidate[zone] = true
                    zoneDomains += 1
                }
            } else if !hasZonelessNode {
                hasZonelessNode = true
                zoneDomains += 1
            }
        }
        let hostnameWeight = log(Double(feasible.count + 2))
        let zoneWeight = log(Double(zoneDomains + 2))
        // Matching pods per candidate zone over every eligible node that has some.
        var zoneCounts = [Int](repeating: 0, count: snapshot.zoneCount)
        if zoneDomains > (hasZonelessNode ? 1 : 0) {
            let checksAffinity = !pod.requiredNodeAffinity.isEmpty
            for (nodeID, count) in ownerCounts {
                guard let node = snapshot.node(withID: nodeID), node.zoneID >= 0, zoneIsCandidate[node.zoneID] else { continue }
                if checksAffinity && !pod.requiredNodeAffinity.matches(nodeName: node.name, labels: node.labels) { continue }
                zoneCounts[node.zoneID] += count
            }
        }
        var scores = [Int64](repeating: 0, count: feasible.count)
        for (position, nodeIndex) in feasible.enumerated() {
            let node = nodes[nodeIndex]
            var score = 0.0
            if node.hasHostnameLabel {
                score += Double(ownerCounts[node.id] ?? 0) * hostnameWeight + 2
            }
            if node.zoneID >= 0 {
                score += Double(zoneCounts[node.zoneID]) * zoneWeight + 4
            }
            scores[position] = Int64(score.rounded())
        }
        normalize(&scores, ignored: nil)
        return scores
    }

    /// NormalizeScore: fewer matching pods → higher score; ignored nodes get 0.
    static func normalize(_ scores: inout [Int64], ignored: [Bool]?) {
        func isIgnored(_ position: Int) -> Bool { ignored?[position] ?? false }
        var minimum = Int64.max
        var maximum: Int64 = 0
        for position in scores.indices where !isIgnored(position) {
            minimum = min(minimum, scores[position])
            maximum = max(maximum, scores[position])
        }
        for position in scores.indices {
            if isIgnored(position) {
                scores[position] = 0
            } else if maximum == 0 {
                scores[position] = ScorePlugins.maxNodeScore
            } else {
                scores[position] = ScorePlugins.maxNodeScore * (maximum + minimum - scores[position]) / maximum
            }
        }
    }
}
