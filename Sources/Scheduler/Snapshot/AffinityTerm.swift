import KubeAPI
import KubeCore

/// A compiled inter-pod (anti-)affinity term (upstream `framework.AffinityTerm`): which pods it
/// selects (namespaces + label selector) and over which topology key. Value type; Sendable.
///
/// Swiftlet has no namespace labels in the scheduler: a non-empty `namespaceSelector` selects no
/// extra namespaces; an empty one (`{}`) selects every namespace, as upstream.
struct AffinityTerm: Sendable {
    let namespaces: Set<String>
    let allNamespaces: Bool
    let selector: LabelSelectorExpression
    let topologyKey: String

    init(_ term: PodAffinityTerm, ownerNamespace: String, ownerLabels: [String: String]) {
        var selector = (try? LabelSelectorExpression(term.labelSelector)) ?? .nothing
        // matchLabelKeys / mismatchLabelKeys add `key in (v)` / `key notin (v)` from the owner's labels.
        var extra: [LabelRequirement] = []
        if term.labelSelector != nil {
            for key in term.matchLabelKeys {
                if let value = ownerLabels[key], let requirement = try? LabelRequirement(key: key, operator: .in, values: [value]) {
                    extra.append(requirement)
                }
            }
            for key in term.mismatchLabelKeys {
                if let value = ownerLabels[key], let requirement = try? LabelRequirement(key: key, operator: .notIn, values: [value]) {
                    extra.append(requirement)
                }
            }
        }
        if !extra.isEmpty { selector = selector.adding(extra) }
        self.selector = selector
        topologyKey = term.topologyKey
        if let namespaceSelector = term.namespaceSelector {
            allNamespaces = namespaceSelector.matchLabels.isEmpty && namespaceSelector.matchExpressions.isEmpty
            namespaces = Set(term.namespaces)
        } else {
            allNamespaces = false
            namespaces = term.namespaces.isEmpty ? [ownerNamespace] : Set(term.namespaces)
        }
    }

    /// Upstream `AffinityTerm.Matches`: the pod's namespace is selected and its labels match.
    func matches(namespace: String, labels: [String: String]) -> Bool {
        guard allNamespaces || namespaces.contains(namespace) else { return false }
        return selector.matches(labels)
    }

    func matches(_ pod: PodInfo) -> Bool { matches(namespace: pod.namespace, labels: pod.labels) }
}

/// An affinity term with its preference weight. Value type; Sendable.
struct WeightedAffinityTerm: Sendable {
    let term: AffinityTerm
    let weight: Int64
}
