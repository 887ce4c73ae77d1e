/// Upstream InterPodAffinity PreFilter/Filter: counts, per topology pair, the existing pods whose
/// required anti-affinity selects the incoming pod, and the existing pods the incoming pod's
/// required affinity / anti-affinity terms select. Value type; Sendable.
struct InterPodAffinityPreFilter: Sendable {
    let affinityTerms: [AffinityTerm]
    let antiAffinityTerms: [AffinityTerm]
    let existingAntiAffinityCounts: TopologyCounts
    let affinityCounts: TopologyCounts
    let antiAffinityCounts: TopologyCounts
    /// The pod matches all its own affinity terms (lets the first pod of a self-affine group in).
    let podMatchesOwnAffinity: Bool

    /// nil when neither the pod nor any existing pod has required (anti-)affinity.
    init?(pod: PodInfo, snapshot: ClusterSnapshot) {
        let podHasTerms = !pod.requiredAffinityTerms.isEmpty || !pod.requiredAntiAffinityTerms.isEmpty
        guard podHasTerms || snapshot.podsWithRequiredAntiAffinity > 0 else { return nil }
        affinityTerms = pod.requiredAffinityTerms
        antiAffinityTerms = pod.requiredAntiAffinityTerms
        var existing = TopologyCounts()
        var affinity = TopologyCounts()
        var antiAffinity = TopologyCounts()
        for node in snapshot.nodes {
            if node.podsWithRequiredAntiAffinity > 0 {
                for existingPod in node.pods where existingPod.hasRequiredAntiAffinity {
                    for term in existingPod.requiredAntiAffinityTerms where term.matches(pod) {
                        if let value = node.labels[term.topologyKey] { existing.increment(key: term.topologyKey, value: value) }
                    }
                }
            }
            guard podHasTerms else { continue }
            for existingPod in node.pods {
                if !pod.requiredAffinityTerms.isEmpty,
                    pod.requiredAffinityTerms.allSatisfy({ $0.matches(existingPod) })
                {
                    for term in pod.requiredAffinityTerms {
                        if let value = node.labels[term.topologyKey] { affinity.increment(key: term.topologyKey, value: value) }
                    }
                }
                for term in pod.requiredAntiAffinityTerms where term.matches(existingPod) {
                    if let value = node.labels[term.topologyKey] { antiAffinity.increment(key: term.topologyKey, value: value) }
                }
            }
        }
        existingAntiAffinityCounts = existing
        affinityCounts = affinity
        antiAffinityCounts = antiAffinity
        podMatchesOwnAffinity = !pod.requiredAffinityTerms.isEmpty && pod.requiredAffinityTerms.allSatisfy { $0.matches(pod) }
    }

    func filter(_ node: NodeInfo) -> FilterFailure? {
        if !satisfiesPodAffinity(node) { return .podAffinity }
        if !antiAffinityCounts.isEmpty {
            for term in antiAffinityTerms {
                if let value = node.labels[term.topologyKey], antiAffinityCounts.count(key: term.topologyKey, value: value) > 0 {
                    return .podAntiAffinity
                }
            }
        }
        if !existingAntiAffinityCounts.isEmpty {
            for (key, values) in existingAntiAffinityCounts {
                if let value = node.labels[key], (values[value] ?? 0) > 0 { return .existingPodsAntiAffinity }
            }
        }
        return nil
    }

    private func satisfiesPodAffinity(_ node: NodeInfo) -> Bool {
        guard !affinityTerms.isEmpty else { return true }
        var podsExist = true
        for term in affinityTerms {
            guard let value = node.labels[term.topologyKey] else { return false }
            if affinityCounts.count(key: term.topologyKey, value: value) <= 0 { podsExist = false }
        }
        if podsExist { return true }
        // The first pod of a group with affinity to itself may go anywhere that has the topology labels.
        return affinityCounts.isEmpty && podMatchesOwnAffinity
    }
}
