public import Foundation
public import KubeAPI
public import KubeCore

/// Upstream `calculateStatus` and the no-op check of `updateReplicaSetStatus` for ReplicaSets and
/// ReplicationControllers.
///
/// Stateless; Sendable.
public enum ReplicaSetStatusCalculator {
    public static let replicaFailureCondition = "ReplicaFailure"
    public static let failedCreateReason = "FailedCreate"
    public static let failedDeleteReason = "FailedDelete"

    /// The owner's new status from its active claimed pods and the error of managing replicas, if any.
    /// `observedGeneration` is left as it was; ``statusToWrite(owner:calculated:)`` sets it.
    public static func calculate<Owner: ReplicatedPodOwner>(
        owner: Owner, activePods: [Pod], manageReplicasError: String?, now: Date
    ) -> ReplicaSetStatus {
        var status = owner.replicaStatus
        let templateLabels = owner.podTemplate.metadata.labels
        var fullyLabeled: Int32 = 0
        var ready: Int32 = 0
        var available: Int32 = 0
        for pod in activePods {
            if templateLabels.allSatisfy({ pod.metadata.labels[$0.key] == $0.value }) { fullyLabeled += 1 }
            if PodReadiness.isReady(pod) {
                ready += 1
                if PodReadiness.isAvailable(pod, minReadySeconds: owner.minReadySeconds, now: now) { available += 1 }
            }
        }
        let failure = status.conditions.first { $0.type == replicaFailureCondition }
        if let manageReplicasError, failure == nil {
            let difference = activePods.count - Int(owner.desiredReplicas)
            let reason = difference < 0 ? failedCreateReason : (difference > 0 ? failedDeleteReason : "")
            let condition = ReplicaSetCondition(
                type: replicaFailureCondition, status: "True", lastTransitionTime: RFC3339Time(now), reason: reason,
                message: manageReplicasError)
            status.conditions = status.conditions.filter { $0.type != replicaFailureCondition } + [condition]
        } else if manageReplicasError == nil, failure != nil {
            status.conditions = status.conditions.filter { $0.type != replicaFailureCondition }
        }
        status.replicas = Int32(activePods.count)
        status.fullyLabeledReplicas = fullyLabeled
        status.readyReplicas = ready
        status.availableReplicas = available
        return status
    }

    /// Upstream `updateReplicaSetStatus`: nil when nothing changed and the generation was observed
    /// (the steady state writes nothing), else the status to write with `observedGeneration` set.
    public static func statusToWrite<Owner: ReplicatedPodOwner>(owner: Owner, calculated: ReplicaSetStatus)
        -> ReplicaSetStatus?
    {
        let current = owner.replicaStatus
        if current.replicas == calculated.replicas
            && current.fullyLabeledReplicas == calculated.fullyLabeledReplicas
            && current.readyReplicas == calculated.readyReplicas
            && current.availableReplicas == calculated.availableReplicas
            && current.terminatingReplicas == calculated.terminatingReplicas
            && owner.metadata.generation == current.observedGeneration
            && current.conditions == calculated.conditions
        {
            return nil
        }
        var status = calculated
        status.observedGeneration = owner.metadata.generation
        return status
    }

    /// Upstream's last-line resync: after `minReadySeconds` when every wanted pod is ready but not all
    /// are available yet.
    public static func requeueDelay<Owner: ReplicatedPodOwner>(owner: Owner, status: ReplicaSetStatus,
                                                              manageReplicasFailed: Bool) -> Duration?
    {
        guard !manageReplicasFailed, owner.minReadySeconds > 0,
              status.readyReplicas == owner.desiredReplicas, status.availableReplicas != owner.desiredReplicas
        else { return nil }
        return .seconds(Int64(owner.minReadySeconds))
    }
}
