/// What upstream's DefaultPreemption PostFilter reports when a pod fits nowhere, without
/// preempting anything (Swiftlet does not preempt yet): nodes that failed an unresolvable filter
/// are "not helpful"; a node whose lower-priority pods' removal would not make the pod fit has "No
/// preemption victims" or the filter reasons that remain. If removing victims would make the pod
/// fit somewhere, upstream would preempt and print no PostFilter message, so nil is returned.
/// Pure; Sendable.
enum PreemptionDiagnosis {
    static func message(
        pod: PodInfo,
        snapshot: ClusterSnapshot,
        failures: [String: FilterFailure],
        state: FilterCycleState?
    ) -> String? {
        if pod.preemptionNever { return "preemption: " + FilterReason.preemptionNever }
        var reasons: [String: [String]] = [:]
        for node in snapshot.nodes {
            guard let failure = failures[node.name] else { continue }
            if failure.isUnresolvable {
                reasons[node.name] = [FilterReason.preemptionNotHelpful]
                continue
            }
            let victims = node.pods.filter { $0.priority < pod.priority }
            if victims.isEmpty {
                reasons[node.name] = [FilterReason.noPreemptionVictims]
                continue
            }
            var trimmed = node
            for victim in victims { _ = trimmed.remove(snapshotKey: victim.snapshotKey) }
            if let state, let remaining = state.filter(trimmed) {
                reasons[node.name] = remaining.reasons
            } else {
                return nil
            }
        }
        let inner = SchedulingFailure.fitErrorMessage(
            numAllNodes: snapshot.nodeCount,
            reasonsByNode: reasons,
            preFilterMessage: nil,
            postFilterMessage: nil
        )
        return "preemption: " + inner
    }
}
