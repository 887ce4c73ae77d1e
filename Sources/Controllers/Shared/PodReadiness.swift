public import Foundation
public import KubeAPI
import KubeCore

/// Upstream `podutil.IsPodReady` / `IsPodAvailable` and `controller.IsPodActive`: the pod facts every
/// workload controller counts by.
///
/// Stateless; Sendable.
public enum PodReadiness {
    /// The pod's `Ready` condition, if it has one.
    public static func readyCondition(of pod: Pod) -> PodCondition? {
        pod.status.conditions.first { $0.type == "Ready" }
    }

    /// True when the pod has a `Ready` condition with status `True`.
    public static func isReady(_ pod: Pod) -> Bool {
        readyCondition(of: pod)?.status == "True"
    }

    /// Ready, and ready for longer than `minReadySeconds` before `now` (upstream compares strictly).
    public static func isAvailable(_ pod: Pod, minReadySeconds: Int32, now: Date) -> Bool {
        guard let condition = readyCondition(of: pod), condition.status == "True" else { return false }
        if minReadySeconds == 0 { return true }
        guard let transition = condition.lastTransitionTime else { return false }
        return transition.date.addingTimeInterval(TimeInterval(minReadySeconds)) < now
    }

    /// Neither Succeeded nor Failed, and not being deleted.
    public static func isActive(_ pod: Pod) -> Bool {
        pod.status.phase != "Succeeded" && pod.status.phase != "Failed" && pod.metadata.deletionTimestamp == nil
    }

    /// Being deleted, and not yet in a terminal phase (upstream `IsPodTerminating`).
    public static func isTerminating(_ pod: Pod) -> Bool {
        pod.metadata.deletionTimestamp != nil && pod.status.phase != "Succeeded" && pod.status.phase != "Failed"
    }

    /// When a ready pod became ready; nil when it is not ready.
    public static func readySince(_ pod: Pod) -> Date? {
        guard let condition = readyCondition(of: pod), condition.status == "True" else { return nil }
        return condition.lastTransitionTime?.date
    }
}
