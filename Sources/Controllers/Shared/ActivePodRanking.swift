public import Foundation
public import KubeAPI
import KubeCore

/// Upstream `controller.ActivePodsWithRanks`: the order in which a ReplicaSet deletes surplus pods, the
/// first pods being the cheapest to lose. With upstream's default feature gates (`PodDeletionCost`,
/// `LogarithmicScaleDown`):
///
/// 1. unassigned < assigned; 2. Pending < Unknown < Running; 3. not ready < ready;
/// 4. lower `controller.kubernetes.io/pod-deletion-cost` < higher; 5. more related pods on the same node
/// (higher rank) < fewer; 6. ready more recently < ready longer (on a log₂ scale of the age);
/// 7. more container restarts < fewer; 8. created more recently < earlier (log₂ scale), ties by UID.
///
/// Stateless; Sendable.
public enum ActivePodRanking {
    public static let deletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost"

    /// One pod and its rank (the number of related active pods on its node).
    public struct RankedPod: Sendable {
        public var pod: Pod
        public var rank: Int

        public init(pod: Pod, rank: Int) {
            self.pod = pod
            self.rank = rank
        }
    }

    /// `pods` ordered for deletion: the first element is deleted first. The sort is stable.
    public static func sortedForDeletion(_ pods: [RankedPod], now: Date) -> [RankedPod] {
        let indexed = pods.enumerated().map { ($0.offset, $0.element) }
        return indexed.sorted { lhs, rhs in
            if isLess(lhs.1, rhs.1, now: now) { return true }
            if isLess(rhs.1, lhs.1, now: now) { return false }
            return lhs.0 < rhs.0
        }.map(\.1)
    }

    /// Upstream `getPodsRankedByRelatedPodsOnSameNode`: each pod's rank is the number of active pods in
    /// `related` on the same node.
    public static func rankedByRelatedPodsOnSameNode(_ pods: [Pod], related: [Pod]) -> [RankedPod] {
        var perNode: [String: Int] = [:]
        for pod in related where PodReadiness.isActive(pod) {
            perNode[pod.spec.nodeName, default: 0] += 1
        }
        return pods.map { RankedPod(pod: $0, rank: perNode[$0.spec.nodeName] ?? 0) }
    }

    static func phaseOrdinal(_ phase: String) -> Int {
        switch phase {
        case "Unknown": 1
        case "Running": 2
        default: 0
        }
    }

    /// Upstream `GetDeletionCostFromPodAnnotations`: 0 when absent or not a valid int32.
    static func deletionCost(_ pod: Pod) -> Int32 {
        guard let text = pod.metadata.annotations[deletionCostAnnotation] else { return 0 }
        return Int32(text) ?? 0
    }

    static func isLess(_ first: RankedPod, _ second: RankedPod, now: Date) -> Bool {
        let pi = first.pod
        let pj = second.pod
        // 1. Unassigned < assigned.
        if pi.spec.nodeName != pj.spec.nodeName && (pi.spec.nodeName.isEmpty || pj.spec.nodeName.isEmpty) {
            return pi.spec.nodeName.isEmpty
        }
        // 2. Pending < Unknown < Running.
        let phaseI = phaseOrdinal(pi.status.phase)
        let phaseJ = phaseOrdinal(pj.status.phase)
        if phaseI != phaseJ { return phaseI < phaseJ }
        // 3. Not ready < ready.
        let readyI = PodReadiness.isReady(pi)
        let readyJ = PodReadiness.isReady(pj)
        if readyI != readyJ { return !readyI }
        // 4. Lower deletion cost < higher.
        let costI = deletionCost(pi)
        let costJ = deletionCost(pj)
        if costI != costJ { return costI < costJ }
        // 5. Doubled up < not doubled up.
        if first.rank != second.rank { return first.rank > second.rank }
        // 6. Ready more recently < ready longer.
        if readyI && readyJ {
            let timeI = PodReadiness.readySince(pi)
            let timeJ = PodReadiness.readySince(pj)
            if timeI != timeJ {
                if let timeI, let timeJ {
                    let difference = logarithmicRankDifference(timeI, timeJ, now: now)
                    if difference == 0 { return pi.metadata.uid < pj.metadata.uid }
                    return difference < 0
                }
                return afterOrZero(timeI, timeJ)
            }
        }
        // 7. More restarts < fewer.
        if let result = compareMaxContainerRestarts(pi, pj) { return result }
        // 8. Newer < older.
        let createdI = pi.metadata.creationTimestamp?.date
        let createdJ = pj.metadata.creationTimestamp?.date
        if createdI != createdJ {
            if let createdI, let createdJ {
                let difference = logarithmicRankDifference(createdI, createdJ, now: now)
                if difference == 0 { return pi.metadata.uid < pj.metadata.uid }
                return difference < 0
            }
            return afterOrZero(createdI, createdJ)
        }
        return false
    }

    /// Upstream `afterOrZero`: a zero (missing) time sorts first; otherwise the later time first.
    static func afterOrZero(_ first: Date?, _ second: Date?) -> Bool {
        guard let first, let second else { return first == nil }
        return first > second
    }

    /// Upstream `logarithmicRankDiff`: ⌊log₂(age in ns)⌋ of each time, −1 for ages ≤ 0, subtracted.
    static func logarithmicRankDifference(_ first: Date, _ second: Date, now: Date) -> Int64 {
        func rank(_ time: Date) -> Int64 {
            let nanoseconds = (now.timeIntervalSince(time) * 1_000_000_000).rounded()
            guard nanoseconds > 0 else { return -1 }
            return Int64(log2(nanoseconds))
        }
        return rank(first) - rank(second)
    }

    static func maxContainerRestarts(_ pod: Pod) -> (regular: Int32, sidecar: Int32) {
        let regular = pod.status.containerStatuses.map(\.restartCount).max() ?? 0
        let sidecars = Set(pod.spec.initContainers.filter { $0.restartPolicy == "Always" }.map(\.name))
        let sidecar = pod.status.initContainerStatuses.filter { sidecars.contains($0.name) }.map(\.restartCount).max() ?? 0
        return (max(regular, 0), max(sidecar, 0))
    }

    static func compareMaxContainerRestarts(_ first: Pod, _ second: Pod) -> Bool? {
        let restartsI = maxContainerRestarts(first)
        let restartsJ = maxContainerRestarts(second)
        if restartsI.regular != restartsJ.regular { return restartsI.regular > restartsJ.regular }
        if restartsI.sidecar != restartsJ.sidecar { return restartsI.sidecar > restartsJ.sidecar }
        return nil
    }
}
