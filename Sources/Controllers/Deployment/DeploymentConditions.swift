public import Foundation
public import KubeAPI
public import KubeCore

/// Upstream Deployment condition types, reasons and `SetDeploymentCondition` semantics.
///
/// Stateless; Sendable.
public enum DeploymentConditions {
    public static let available = "Available"
    public static let progressing = "Progressing"
    public static let replicaFailure = "ReplicaFailure"

    public static let replicaSetUpdatedReason = "ReplicaSetUpdated"
    public static let failedReplicaSetCreateReason = "ReplicaSetCreateError"
    public static let newReplicaSetReason = "NewReplicaSetCreated"
    public static let foundNewReplicaSetReason = "FoundNewReplicaSet"
    public static let newReplicaSetAvailableReason = "NewReplicaSetAvailable"
    public static let timedOutReason = "ProgressDeadlineExceeded"
    public static let pausedReason = "DeploymentPaused"
    public static let resumedReason = "DeploymentResumed"
    public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
    public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"

    /// Upstream `NewDeploymentCondition`: both times `now`.
    public static func make(_ type: String, status: String, reason: String, message: String, now: Date)
        -> DeploymentCondition
    {
        let time = RFC3339Time(now)
        return DeploymentCondition(type: type, status: status, lastUpdateTime: time, lastTransitionTime: time,
                                   reason: reason, message: message)
    }

    public static func condition(_ type: String, in status: DeploymentStatus) -> DeploymentCondition? {
        status.conditions.first { $0.type == type }
    }

    /// Upstream `SetDeploymentCondition`: no change when status and reason are the same; keeps
    /// `lastTransitionTime` when only the reason changes; the condition moves to the end.
    public static func set(_ condition: DeploymentCondition, in status: inout DeploymentStatus) {
        var condition = condition
        if let current = self.condition(condition.type, in: status) {
            if current.status == condition.status && current.reason == condition.reason { return }
            if current.status == condition.status { condition.lastTransitionTime = current.lastTransitionTime }
        }
        status.conditions = status.conditions.filter { $0.type != condition.type } + [condition]
    }

    public static func remove(_ type: String, from status: inout DeploymentStatus) {
        status.conditions = status.conditions.filter { $0.type != type }
    }

    /// Upstream `ReplicaSetToDeploymentCondition`.
    public static func fromReplicaSetCondition(_ condition: ReplicaSetCondition) -> DeploymentCondition {
        DeploymentCondition(type: condition.type, status: condition.status,
                            lastUpdateTime: condition.lastTransitionTime,
                            lastTransitionTime: condition.lastTransitionTime, reason: condition.reason,
                            message: condition.message)
    }
}
