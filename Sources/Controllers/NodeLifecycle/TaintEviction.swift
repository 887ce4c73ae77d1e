public import Foundation
public import KubeAPI
import KubeCore

/// When a pod must leave a node because of its NoExecute taints (upstream `NoExecuteTaintManager`): at once
/// if it does not tolerate one of them, after the smallest `tolerationSeconds` of the tolerations that match
/// (counted from the taint's `timeAdded`), never if they all tolerate forever. Pure.
///
/// Stateless namespace.
public enum TaintEviction {
    public enum Decision: Sendable, Equatable {
        case keep
        case evictNow
        case evictAt(Date)
    }

    public static func decide(pod: Pod, taints: [Taint], now: Date) -> Decision {
        let noExecute = taints.filter { $0.effect == "NoExecute" }
        guard !noExecute.isEmpty else { return .keep }
        var deadline: Date?
        for taint in noExecute {
            let matching = pod.spec.tolerations.filter { tolerates($0, taint) }
            guard !matching.isEmpty else { return .evictNow }
            let limited = matching.compactMap(\.tolerationSeconds)
            // Any matching toleration without a limit tolerates forever (upstream takes the minimum only
            // when every matching toleration has one).
            guard limited.count == matching.count, let seconds = limited.min() else { continue }
            let added = taint.timeAdded?.date ?? now
            let due = added.addingTimeInterval(TimeInterval(max(0, seconds)))
            deadline = deadline.map { min($0, due) } ?? due
        }
        guard let deadline else { return .keep }
        return deadline <= now ? .evictNow : .evictAt(deadline)
    }

    /// Upstream `Toleration.ToleratesTaint`.
    public static func tolerates(_ toleration: Toleration, _ taint: Taint) -> Bool {
        if !toleration.effect.isEmpty, toleration.effect != taint.effect { return false }
        if !toleration.key.isEmpty, toleration.key != taint.key { return false }
        switch toleration.operator {
        case "Exists": return true
        case "Equal", "": return toleration.value == taint.value
        default: return false
        }
    }
}
