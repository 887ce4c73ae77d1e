import KubeAPI
import KubeCore

/// A compiled topology spread constraint (upstream `topologySpreadConstraint`). Value type; Sendable.
struct SpreadConstraint: Sendable {
    enum Matching: Sendable {
        /// Pods selected by a label selector (in the incoming pod's namespace).
        case selector(LabelSelectorExpression)
        /// Pods with the same controller owner (Swiftlet's stand-in for upstream's default selector
        /// built from the Services / ReplicaSets / StatefulSets that select the pod).
        case owner(uid: String)
    }

    let maxSkew: Int
    let minDomains: Int
    let topologyKey: String
    let hard: Bool
    let matching: Matching
    /// nodeAffinityPolicy Honor (default): only nodes that match the pod's node selector/affinity count.
    let honorNodeAffinity: Bool
    /// nodeTaintsPolicy Honor: only nodes whose taints the pod tolerates count (default Ignore).
    let honorNodeTaints: Bool

    init(maxSkew: Int, topologyKey: String, hard: Bool, matching: Matching) {
        self.maxSkew = maxSkew
        self.minDomains = 1
        self.topologyKey = topologyKey
        self.hard = hard
        self.matching = matching
        honorNodeAffinity = true
        honorNodeTaints = false
    }

    init(_ constraint: TopologySpreadConstraint, podLabels: [String: String]) {
        maxSkew = Int(constraint.maxSkew)
        minDomains = Int(constraint.minDomains ?? 1)
        topologyKey = constraint.topologyKey
        hard = constraint.whenUnsatisfiable != "ScheduleAnyway"
        var selector = (try? LabelSelectorExpression(constraint.labelSelector)) ?? .nothing
        var extra: [LabelRequirement] = []
        for key in constraint.matchLabelKeys {
            if let value = podLabels[key], let requirement = try? LabelRequirement(key: key, operator: .in, values: [value]) {
                extra.append(requirement)
            }
        }
        if !extra.isEmpty { selector = selector.adding(extra) }
        matching = .selector(selector)
        honorNodeAffinity = constraint.nodeAffinityPolicy != "Ignore"
        honorNodeTaints = constraint.nodeTaintsPolicy == "Honor"
    }

    /// Whether an existing pod counts for this constraint (same namespace, not terminating, selected).
    func counts(_ pod: PodInfo, namespace: String) -> Bool {
        guard !pod.isTerminating, pod.namespace == namespace else { return false }
        switch matching {
        case .selector(let selector): return selector.matches(pod.labels)
        case .owner(let uid): return pod.controllerUID == uid
        }
    }

    /// Whether the incoming pod itself would count (the "self match" of the skew formula).
    func selects(_ pod: PodInfo) -> Bool {
        switch matching {
        case .selector(let selector): return selector.matches(pod.labels)
        case .owner(let uid): return pod.controllerUID == uid
        }
    }
}
