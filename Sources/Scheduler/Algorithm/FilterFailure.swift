/// Which of the fit resources a node lacks (upstream `InsufficientResource` reasons). Value type; Sendable.
struct ResourceShortfall: Sendable, Equatable {
    var tooManyPods = false
    var cpu = false
    var memory = false
    var ephemeralStorage = false
    var extended: [String] = []

    var isEmpty: Bool { !tooManyPods && !cpu && !memory && !ephemeralStorage && extended.isEmpty }

    /// Reasons in upstream order: pods, cpu, memory, ephemeral-storage, then extended resources.
    var reasons: [String] {
        var result: [String] = []
        if tooManyPods { result.append(FilterReason.tooManyPods) }
        if cpu { result.append("Insufficient cpu") }
        if memory { result.append("Insufficient memory") }
        if ephemeralStorage { result.append("Insufficient ephemeral-storage") }
        for name in extended { result.append("Insufficient " + name) }
        return result
    }
}

/// Why one node was filtered out: the first failing filter plugin, as upstream's framework stops at
/// the first non-success status. Cheap to create (no strings are formatted until a message is
/// needed). Value type; Sendable.
enum FilterFailure: Sendable, Equatable {
    case nodeUnschedulable
    case nodeName
    case untoleratedTaint(key: String, value: String)
    case nodeAffinity
    case nodePorts
    case resources(ResourceShortfall)
    case podAffinity
    case podAntiAffinity
    case existingPodsAntiAffinity
    case spreadConstraints
    case spreadMissingLabel
    /// Outside the PreFilter result (e.g. a DaemonSet pod's node-name affinity).
    case notInPreFilterResult(plugins: String)
    /// A PreFilter plugin rejected the pod for every node.
    case preFilter(message: String)

    /// Upstream `UnschedulableAndUnresolvable`: preemption cannot help on this node.
    var isUnresolvable: Bool {
        switch self {
        case .nodeUnschedulable, .nodeName, .untoleratedTaint, .nodeAffinity, .podAffinity, .spreadMissingLabel,
            .notInPreFilterResult, .preFilter:
            return true
        case .nodePorts, .resources, .podAntiAffinity, .existingPodsAntiAffinity, .spreadConstraints:
            return false
        }
    }

    /// The status reasons, worded exactly as the upstream plugins word them.
    var reasons: [String] {
        switch self {
        case .nodeUnschedulable: return [FilterReason.nodeUnschedulable]
        case .nodeName: return [FilterReason.nodeName]
        case .untoleratedTaint(let key, let value): return ["node(s) had untolerated taint {\(key): \(value)}"]
        case .nodeAffinity: return [FilterReason.nodeAffinity]
        case .nodePorts: return [FilterReason.nodePorts]
        case .resources(let shortfall): return shortfall.reasons
        case .podAffinity: return [FilterReason.podAffinity]
        case .podAntiAffinity: return [FilterReason.podAntiAffinity]
        case .existingPodsAntiAffinity: return [FilterReason.existingPodsAntiAffinity]
        case .spreadConstraints: return [FilterReason.spreadConstraints]
        case .spreadMissingLabel: return [FilterReason.spreadMissingLabel]
        case .notInPreFilterResult(let plugins): return ["node(s) didn't satisfy plugin(s) [\(plugins)]"]
        case .preFilter(let message): return [message]
        }
    }
}

/// Upstream's filter reason strings (pkg/scheduler/framework/plugins/*, v1.32).
enum FilterReason {
    static let nodeUnschedulable = "node(s) were unschedulable"
    static let nodeName = "node(s) didn't match the requested node name"
    static let nodeAffinity = "node(s) didn't match Pod's node affinity/selector"
    static let nodePorts = "node(s) didn't have free ports for the requested pod ports"
    static let tooManyPods = "Too many pods"
    static let podAffinity = "node(s) didn't match pod affinity rules"
    static let podAntiAffinity = "node(s) didn't match pod anti-affinity rules"
    static let existingPodsAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules"
    static let spreadConstraints = "node(s) didn't match pod topology spread constraints"
    static let spreadMissingLabel = "node(s) didn't match pod topology spread constraints (missing required label)"
    static let nodeAffinityConflict = "pod affinity terms conflict"
    static let preemptionNotHelpful = "Preemption is not helpful for scheduling"
    static let noPreemptionVictims = "No preemption victims found for incoming pod"
    static let preemptionNever = "not eligible due to preemptionPolicy=Never."
    static let noNodesAvailable = "no nodes available to schedule pods"
}
