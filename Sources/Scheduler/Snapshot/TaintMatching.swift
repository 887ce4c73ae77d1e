public import KubeAPI

/// The effect of a taint or toleration. Value type; Sendable.
public enum TaintEffect: Sendable, Equatable {
    case noSchedule, preferNoSchedule, noExecute
    /// Toleration with an empty effect: matches every effect.
    case any
    case unknown

    init(_ text: String) {
        switch text {
        case "NoSchedule": self = .noSchedule
        case "PreferNoSchedule": self = .preferNoSchedule
        case "NoExecute": self = .noExecute
        case "": self = .any
        default: self = .unknown
        }
    }
}

/// A node taint, read once from the Node. Value type; Sendable.
public struct NodeTaint: Sendable, Equatable {
    public var key: String
    public var value: String
    public var effect: TaintEffect

    public init(key: String, value: String = "", effect: TaintEffect) {
        self.key = key
        self.value = value
        self.effect = effect
    }

    init(_ taint: Taint) {
        self.init(key: taint.key, value: taint.value, effect: TaintEffect(taint.effect))
    }
}

/// A pod toleration, read once from the PodSpec (upstream `Toleration.ToleratesTaint`). Value type; Sendable.
public struct PodToleration: Sendable, Equatable {
    public var key: String
    public var matchesAnyValue: Bool
    public var value: String
    public var effect: TaintEffect
    /// An operator other than "", Equal or Exists tolerates nothing.
    public var isValid: Bool

    init(_ toleration: Toleration) {
        key = toleration.key
        value = toleration.value
        effect = TaintEffect(toleration.effect)
        switch toleration.operator {
        case "", "Equal":
            matchesAnyValue = false
            isValid = true
        case "Exists":
            matchesAnyValue = true
            isValid = true
        default:
            matchesAnyValue = false
            isValid = false
        }
    }

    /// Upstream `ToleratesTaint`: effect (empty matches all), key (empty matches all), then value.
    func tolerates(_ taint: NodeTaint) -> Bool {
        guard isValid else { return false }
        if effect != .any && effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        return matchesAnyValue || value == taint.value
    }
}

extension Array where Element == PodToleration {
    func tolerate(_ taint: NodeTaint) -> Bool {
        for toleration in self where toleration.tolerates(taint) { return true }
        return false
    }

    /// Upstream `FindMatchingUntoleratedTaint` over NoSchedule/NoExecute taints: the first one not tolerated.
    func firstUntoleratedHardTaint(_ taints: [NodeTaint]) -> NodeTaint? {
        for taint in taints where taint.effect == .noSchedule || taint.effect == .noExecute {
            if !tolerate(taint) { return taint }
        }
        return nil
    }
}
