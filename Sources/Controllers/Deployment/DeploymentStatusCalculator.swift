public import Foundation
public import KubeAPI
public import KubeCore

/// Upstream `calculateStatus`, `syncRolloutStatus`'s progress estimate (`DeploymentComplete`,
/// `DeploymentProgressing`, `DeploymentTimedOut`), `getReplicaFailures` and `requeueStuckDeployment`.
///
/// Stateless; Sendable.
public enum DeploymentStatusCalculator {
    /// Upstream `calculateStatus`: counts from the ReplicaSets, conditions copied, and Available set from
    /// the minimum availability.
    public static func calculate(deployment: Deployment, all: [ReplicaSet], new: ReplicaSet?, now: Date)
        -> DeploymentStatus
    {
        let available = DeploymentReplicaSets.availableReplicas(all)
        let total = DeploymentReplicaSets.specReplicas(all)
        var status = DeploymentStatus(
            observedGeneration: deployment.metadata.generation,
            replicas: DeploymentReplicaSets.statusReplicas(all),
            updatedReplicas: new.map { $0.status.replicas } ?? 0,
            readyReplicas: DeploymentReplicaSets.readyReplicas(all),
            availableReplicas: available,
            unavailableReplicas: max(total - available, 0),
            terminatingReplicas: deployment.status.terminatingReplicas,
            conditions: deployment.status.conditions,
            collisionCount: deployment.status.collisionCount)
        if available >= deployment.desiredReplicas - RollingUpdateBudget.maxUnavailable(deployment) {
            DeploymentConditions.set(
                DeploymentConditions.make(DeploymentConditions.available, status: "True",
                                          reason: DeploymentConditions.minimumReplicasAvailable,
                                          message: "Deployment has minimum availability.", now: now),
                in: &status)
        } else {
            DeploymentConditions.set(
                DeploymentConditions.make(DeploymentConditions.available, status: "False",
                                          reason: DeploymentConditions.minimumReplicasUnavailable,
                                          message: "Deployment does not have minimum availability.", now: now),
                in: &status)
        }
        return status
    }

    /// The status a rollout sync writes, and when to look again if it writes nothing.
    public struct RolloutStatus: Sendable, Equatable {
        public var status: DeploymentStatus
        public var requeue: DeploymentSync.Requeue?
    }

    /// Upstream `syncRolloutStatus`.
    public static func rolloutStatus(deployment: Deployment, all: [ReplicaSet], new: ReplicaSet?, now: Date)
        -> RolloutStatus
    {
        var status = calculate(deployment: deployment, all: all, new: new, now: now)
        if !deployment.hasProgressDeadline {
            DeploymentConditions.remove(DeploymentConditions.progressing, from: &status)
        }
        let current = DeploymentConditions.condition(DeploymentConditions.progressing, in: deployment.status)
        let isComplete = status.replicas == status.updatedReplicas
            && current?.reason == DeploymentConditions.newReplicaSetAvailableReason
        if deployment.hasProgressDeadline && !isComplete {
            let name = DeploymentSync.Event.quoted(deployment.metadata.name)
            if isDeploymentComplete(deployment, status) {
                let message = new.map { "ReplicaSet \(DeploymentSync.Event.quoted($0.metadata.name)) has successfully progressed." }
                    ?? "Deployment \(name) has successfully progressed."
                DeploymentConditions.set(
                    DeploymentConditions.make(DeploymentConditions.progressing, status: "True",
                                              reason: DeploymentConditions.newReplicaSetAvailableReason,
                                              message: message, now: now),
                    in: &status)
            } else if isProgressing(deployment, status) {
                let message = new.map { "ReplicaSet \(DeploymentSync.Event.quoted($0.metadata.name)) is progressing." }
                    ?? "Deployment \(name) is progressing."
                var condition = DeploymentConditions.make(
                    DeploymentConditions.progressing, status: "True",
                    reason: DeploymentConditions.replicaSetUpdatedReason, message: message, now: now)
                if let current {
                    if current.status == "True" { condition.lastTransitionTime = current.lastTransitionTime }
                    DeploymentConditions.remove(DeploymentConditions.progressing, from: &status)
                }
                DeploymentConditions.set(condition, in: &status)
            } else if isTimedOut(deployment, status, now: now) {
                let message = new.map { "ReplicaSet \(DeploymentSync.Event.quoted($0.metadata.name)) has timed out progressing." }
                    ?? "Deployment \(name) has timed out progressing."
                DeploymentConditions.set(
                    DeploymentConditions.make(DeploymentConditions.progressing, status: "False",
                                              reason: DeploymentConditions.timedOutReason, message: message, now: now),
                    in: &status)
            }
        }
        let failures = replicaFailures(all: all, new: new)
        if let first = failures.first {
            DeploymentConditions.set(first, in: &status)
        } else {
            DeploymentConditions.remove(DeploymentConditions.replicaFailure, from: &status)
        }
        let requeue = status == deployment.status ? stuckRequeue(deployment: deployment, status: status, now: now) : nil
        return RolloutStatus(status: status, requeue: requeue)
    }

    /// Upstream `DeploymentComplete`.
    public static func isDeploymentComplete(_ deployment: Deployment, _ status: DeploymentStatus) -> Bool {
        let desired = deployment.desiredReplicas
        return status.updatedReplicas == desired && status.replicas == desired && status.availableReplicas == desired
            && status.observedGeneration >= deployment.metadata.generation
    }

    /// Upstream `DeploymentProgressing`: more updated, fewer old, more ready or more available pods.
    public static func isProgressing(_ deployment: Deployment, _ status: DeploymentStatus) -> Bool {
        let old = deployment.status
        return status.updatedReplicas > old.updatedReplicas
            || status.replicas - status.updatedReplicas < old.replicas - old.updatedReplicas
            || status.readyReplicas > old.readyReplicas
            || status.availableReplicas > old.availableReplicas
    }

    /// Upstream `DeploymentTimedOut`.
    public static func isTimedOut(_ deployment: Deployment, _ status: DeploymentStatus, now: Date) -> Bool {
        guard deployment.hasProgressDeadline, let seconds = deployment.spec.progressDeadlineSeconds,
              let condition = DeploymentConditions.condition(DeploymentConditions.progressing, in: status)
        else { return false }
        if condition.reason == DeploymentConditions.newReplicaSetAvailableReason { return false }
        if condition.reason == DeploymentConditions.timedOutReason { return true }
        guard let from = condition.lastUpdateTime else { return false }
        return from.date.addingTimeInterval(TimeInterval(seconds)) < now
    }

    /// Upstream `getReplicaFailures`: the new ReplicaSet's ReplicaFailure conditions, else any old one's.
    public static func replicaFailures(all: [ReplicaSet], new: ReplicaSet?) -> [DeploymentCondition] {
        let fromNew = (new?.status.conditions ?? []).filter { $0.type == DeploymentConditions.replicaFailure }
        if !fromNew.isEmpty { return fromNew.map(DeploymentConditions.fromReplicaSetCondition) }
        return all.flatMap { $0.status.conditions.filter { $0.type == DeploymentConditions.replicaFailure } }
            .map(DeploymentConditions.fromReplicaSetCondition)
    }

    /// Upstream `requeueStuckDeployment`: when a rollout without progress should be checked against its
    /// deadline (one second after it, or at once through the rate limiter when less than a second is left).
    public static func stuckRequeue(deployment: Deployment, status: DeploymentStatus, now: Date) -> DeploymentSync.Requeue? {
        guard deployment.hasProgressDeadline, let seconds = deployment.spec.progressDeadlineSeconds,
              let current = DeploymentConditions.condition(DeploymentConditions.progressing, in: deployment.status)
        else { return nil }
        if isDeploymentComplete(deployment, status) || current.reason == DeploymentConditions.timedOutReason { return nil }
        let lastUpdate = current.lastUpdateTime?.date ?? Date(timeIntervalSince1970: 0)
        let after = lastUpdate.addingTimeInterval(TimeInterval(seconds)).timeIntervalSince(now)
        if after < 1 { return .rateLimited }
        return .after(.milliseconds(Int64((after + 1) * 1000)))
    }
}

extension DeploymentSync.Event {
    /// Go's `%q` of a name.
    static func quoted(_ text: String) -> String { GoQuote.quote(text) }
}
