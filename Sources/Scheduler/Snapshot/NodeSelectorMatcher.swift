import KubeAPI

/// One compiled `NodeSelectorRequirement` over node labels or fields (upstream
/// `nodeSelectorRequirementsAsSelector` / `...AsFieldSelector`). Value type; Sendable.
struct NodeRequirementMatcher: Sendable {
    enum Operation: Sendable {
        case `in`(Set<String>)
        case notIn(Set<String>)
        case exists
        case doesNotExist
        case greaterThan(Int64)
        case lessThan(Int64)
        /// An invalid requirement: the term it belongs to matches nothing.
        case invalid
    }

    let key: String
    let operation: Operation

    init(_ requirement: NodeSelectorRequirement, isField: Bool) {
        key = requirement.key
        if isField {
            // Only metadata.name with In / NotIn and exactly one value is a valid field requirement.
            guard requirement.key == "metadata.name", requirement.values.count == 1 else {
                operation = .invalid
                return
            }
            switch requirement.operator {
            case "In": operation = .in(Set(requirement.values))
            case "NotIn": operation = .notIn(Set(requirement.values))
            default: operation = .invalid
            }
            return
        }
        switch requirement.operator {
        case "In": operation = requirement.values.isEmpty ? .invalid : .in(Set(requirement.values))
        case "NotIn": operation = requirement.values.isEmpty ? .invalid : .notIn(Set(requirement.values))
        case "Exists": operation = requirement.values.isEmpty ? .exists : .invalid
        case "DoesNotExist": operation = requirement.values.isEmpty ? .doesNotExist : .invalid
        case "Gt", "Lt":
            guard requirement.values.count == 1, let bound = Int64(requirement.values[0]) else {
                operation = .invalid
                return
            }
            operation = requirement.operator == "Gt" ? .greaterThan(bound) : .lessThan(bound)
        default: operation = .invalid
        }
    }

    func matches(_ value: String?) -> Bool {
        switch operation {
        case .in(let values):
            guard let value else { return false }
            return values.contains(value)
        case .notIn(let values):
            guard let value else { return true }
            return !values.contains(value)
        case .exists: return value != nil
        case .doesNotExist: return value == nil
        case .greaterThan(let bound):
            guard let value, let number = Int64(value) else { return false }
            return number > bound
        case .lessThan(let bound):
            guard let value, let number = Int64(value) else { return false }
            return number < bound
        case .invalid: return false
        }
    }
}

/// One compiled `NodeSelectorTerm`: its expressions and fields are ANDed; a term without either
/// matches nothing. Value type; Sendable.
struct NodeSelectorTermMatcher: Sendable {
    let expressions: [NodeRequirementMatcher]
    let fields: [NodeRequirementMatcher]

    init(_ term: NodeSelectorTerm) {
        expressions = term.matchExpressions.map { NodeRequirementMatcher($0, isField: false) }
        fields = term.matchFields.map { NodeRequirementMatcher($0, isField: true) }
    }

    var isEmpty: Bool { expressions.isEmpty && fields.isEmpty }

    func matches(nodeName: String, labels: [String: String]) -> Bool {
        if isEmpty { return false }
        for requirement in expressions where !requirement.matches(labels[requirement.key]) { return false }
        for requirement in fields where !requirement.matches(nodeName) { return false }
        return true
    }
}

/// A pod's required node constraints: `spec.nodeSelector` AND (any of the required node-affinity
/// terms) (upstream `nodeaffinity.RequiredNodeAffinity`). Value type; Sendable.
struct RequiredNodeAffinity: Sendable {
    let nodeSelector: [(key: String, value: String)]
    /// nil when the pod has no required node affinity; an empty array matches no node.
    let terms: [NodeSelectorTermMatcher]?

    init(_ spec: PodSpec) {
        nodeSelector = spec.nodeSelector.map { (key: $0.key, value: $0.value) }
        if let selector = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution {
            terms = selector.nodeSelectorTerms.map(NodeSelectorTermMatcher.init)
        } else {
            terms = nil
        }
    }

    /// True when the pod constrains nodes at all.
    var isEmpty: Bool { nodeSelector.isEmpty && terms == nil }

    func matches(nodeName: String, labels: [String: String]) -> Bool {
        for entry in nodeSelector where labels[entry.key] != entry.value { return false }
        guard let terms else { return true }
        for term in terms where term.matches(nodeName: nodeName, labels: labels) { return true }
        return false
    }

    /// Upstream NodeAffinity PreFilter: when every required term names nodes with
    /// `matchFields metadata.name In`, only those nodes can match. nil = no restriction.
    func nodeNameRestriction(_ spec: PodSpec) -> Set<String>? {
        guard let selector = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution else { return nil }
        var union: Set<String>?
        for term in selector.nodeSelectorTerms {
            var termNames: Set<String>?
            for field in term.matchFields where field.key == "metadata.name" && field.operator == "In" {
                let names = Set(field.values)
                termNames = termNames.map { $0.intersection(names) } ?? names
            }
            guard let termNames else { return nil }
            union = (union ?? []).union(termNames)
        }
        return union
    }
}

/// A pod's preferred node-affinity terms with their weights (zero weights and empty terms dropped).
/// Value type; Sendable.
struct PreferredNodeAffinity: Sendable {
    let terms: [(weight: Int64, term: NodeSelectorTermMatcher)]

    init(_ spec: PodSpec) {
        var terms: [(weight: Int64, term: NodeSelectorTermMatcher)] = []
        for preferred in spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [] {
            let matcher = NodeSelectorTermMatcher(preferred.preference)
            if preferred.weight == 0 || matcher.isEmpty { continue }
            terms.append((weight: Int64(preferred.weight), term: matcher))
        }
        self.terms = terms
    }

    func score(nodeName: String, labels: [String: String]) -> Int64 {
        var total: Int64 = 0
        for entry in terms where entry.term.matches(nodeName: nodeName, labels: labels) { total += entry.weight }
        return total
    }
}
