/// Upstream InterPodAffinity PreScore/Score/NormalizeScore: per topology pair, the weights of the
/// incoming pod's preferred terms matched by existing pods, plus existing pods' required (weight 1)
/// and preferred terms matched by the incoming pod; then min-max normalised. Pure; Sendable.
enum InterPodAffinityScoring {
    static let hardPodAffinityWeight: Int64 = 1

    /// nil when the plugin skips (no preferred terms and no existing pod with affinity).
    static func scores(pod: PodInfo, feasible: [Int], snapshot: ClusterSnapshot) -> [Int64]? {
        let hasConstraints = !pod.preferredAffinityTerms.isEmpty || !pod.preferredAntiAffinityTerms.isEmpty
        guard hasConstraints || snapshot.podsWithAffinity > 0 else { return nil }
        var topologyScore = TopologyCounts()
        func add(_ term: AffinityTerm, weight: Int64, node: NodeInfo) {
            if let value = node.labels[term.topologyKey] {
                topologyScore.increment(key: term.topologyKey, value: value, by: Int(weight))
            }
        }
        for node in snapshot.nodes {
            if node.labels.isEmpty { continue }
            if !hasConstraints && node.podsWithAffinity == 0 { continue }
            for existing in node.pods {
                if !hasConstraints && !existing.hasAffinity { continue }
                for weighted in pod.preferredAffinityTerms where weighted.term.matches(existing) {
                    add(weighted.term, weight: weighted.weight, node: node)
                }
                for weighted in pod.preferredAntiAffinityTerms where weighted.term.matches(existing) {
                    add(weighted.term, weight: -weighted.weight, node: node)
                }
                for term in existing.requiredAffinityTerms where term.matches(pod) {
                    add(term, weight: hardPodAffinityWeight, node: node)
                }
                for weighted in existing.preferredAffinityTerms where weighted.term.matches(pod) {
                    add(weighted.term, weight: weighted.weight, node: node)
                }
                for weighted in existing.preferredAntiAffinityTerms where weighted.term.matches(pod) {
                    add(weighted.term, weight: -weighted.weight, node: node)
                }
            }
        }
        topologyScore = topologyScore.filter { !$0.value.isEmpty }
        guard !topologyScore.isEmpty else { return nil }
        let nodes = snapshot.nodes
        var scores = feasible.map { nodeIndex -> Int64 in
            let labels = nodes[nodeIndex].labels
            var total: Int64 = 0
            for (key, values) in topologyScore {
                if let value = labels[key], let score = values[value] { total += Int64(score) }
            }
            return total
        }
        let minimum = scores.min() ?? 0
        let maximum = scores.max() ?? 0
        let spread = maximum - minimum
        for index in scores.indices {
            scores[index] = spread > 0
                ? Int64(Double(ScorePlugins.maxNodeScore) * (Double(scores[index] - minimum) / Double(spread)))
                : 0
        }
        return scores
    }
}
