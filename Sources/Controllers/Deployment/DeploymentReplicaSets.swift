public import KubeAPI
public import KubeCore

/// Upstream helpers over a Deployment's ReplicaSets (`deploymentutil` and `controller_utils`): finding
/// the new and old ones, ordering, counting, and proportional scaling.
///
/// Stateless; Sendable.
public enum DeploymentReplicaSets {
    /// Upstream `ReplicaSetsByCreationTimestamp`: oldest first, then by name.
    public static func byCreation(_ first: ReplicaSet, _ second: ReplicaSet) -> Bool {
        let firstTime = first.metadata.creationTimestamp?.secondsSince1970 ?? Int64.min
        let secondTime = second.metadata.creationTimestamp?.secondsSince1970 ?? Int64.min
        if firstTime == secondTime { return first.metadata.name < second.metadata.name }
        return firstTime < secondTime
    }

    /// Upstream `ReplicaSetsBySizeOlder`: larger first, then older first.
    public static func bySizeOlder(_ first: ReplicaSet, _ second: ReplicaSet) -> Bool {
        if replicas(first) == replicas(second) { return byCreation(first, second) }
        return replicas(first) > replicas(second)
    }

    /// Upstream `ReplicaSetsBySizeNewer`: larger first, then newer first.
    public static func bySizeNewer(_ first: ReplicaSet, _ second: ReplicaSet) -> Bool {
        if replicas(first) == replicas(second) { return byCreation(second, first) }
        return replicas(first) > replicas(second)
    }

    /// Upstream `ReplicaSetsByRevision`: lower revision first; creation order on ties or parse errors.
    public static func byRevision(_ first: ReplicaSet, _ second: ReplicaSet) -> Bool {
        guard let firstRevision = DeploymentAnnotations.revision(of: first.metadata),
              let secondRevision = DeploymentAnnotations.revision(of: second.metadata),
              firstRevision != secondRevision
        else { return byCreation(first, second) }
        return firstRevision < secondRevision
    }

    /// `spec.replicas`, 1 when unset.
    public static func replicas(_ replicaSet: ReplicaSet) -> Int32 { replicaSet.spec.replicas ?? 1 }

    /// Upstream `FindNewReplicaSet`: the oldest ReplicaSet whose template equals the Deployment's
    /// (ignoring the hash label).
    public static func findNew(_ deployment: Deployment, in replicaSets: [ReplicaSet]) -> ReplicaSet? {
        replicaSets.sorted(by: byCreation).first {
            PodTemplateHash.equalIgnoringHash($0.spec.template, deployment.spec.template)
        }
    }

    /// Upstream `FindOldReplicaSets`' second result: every ReplicaSet but the new one.
    public static func findOld(_ deployment: Deployment, in replicaSets: [ReplicaSet]) -> [ReplicaSet] {
        let newUID = findNew(deployment, in: replicaSets)?.metadata.uid
        return replicaSets.filter { newUID == nil || $0.metadata.uid != newUID }
    }

    /// Upstream `FilterActiveReplicaSets`: those with `spec.replicas > 0`.
    public static func active(_ replicaSets: [ReplicaSet]) -> [ReplicaSet] {
        replicaSets.filter { replicas($0) > 0 }
    }

    public static func specReplicas(_ replicaSets: [ReplicaSet]) -> Int32 { replicaSets.reduce(0) { $0 + replicas($1) } }
    public static func statusReplicas(_ replicaSets: [ReplicaSet]) -> Int32 { replicaSets.reduce(0) { $0 + $1.status.replicas } }
    public static func readyReplicas(_ replicaSets: [ReplicaSet]) -> Int32 { replicaSets.reduce(0) { $0 + $1.status.readyReplicas } }
    public static func availableReplicas(_ replicaSets: [ReplicaSet]) -> Int32 {
        replicaSets.reduce(0) { $0 + $1.status.availableReplicas }
    }

    /// Upstream `FindActiveOrLatest`: the only active ReplicaSet, or the newest when none is active;
    /// nil when several are active.
    public static func activeOrLatest(new: ReplicaSet?, old: [ReplicaSet]) -> ReplicaSet? {
        if new == nil && old.isEmpty { return nil }
        let oldNewestFirst = old.sorted { byCreation($1, $0) }
        let all = active(oldNewestFirst + (new.map { [$0] } ?? []))
        switch all.count {
        case 0: return new ?? oldNewestFirst.first
        case 1: return all[0]
        default: return nil
        }
    }

    /// Upstream `IsSaturated`: the new ReplicaSet has (and is annotated with) all desired replicas, all available.
    public static func isSaturated(_ deployment: Deployment, _ replicaSet: ReplicaSet?) -> Bool {
        guard let replicaSet,
              let desired = replicaSet.metadata.annotations[DeploymentAnnotations.desiredReplicas].flatMap({ Int($0) })
        else { return false }
        return replicas(replicaSet) == deployment.desiredReplicas && Int32(clamping: desired) == deployment.desiredReplicas
            && replicaSet.status.availableReplicas == deployment.desiredReplicas
    }

    /// Upstream `NewRSNewReplicas`: how large the new ReplicaSet may be now; nil for an unknown strategy.
    public static func newReplicaSetReplicas(_ deployment: Deployment, all: [ReplicaSet], new: ReplicaSet) -> Int32? {
        switch deployment.spec.strategy.type {
        case "RollingUpdate", "":
            let surge = RollingUpdateBudget.resolveFenceposts(
                maxSurge: deployment.spec.strategy.rollingUpdate?.maxSurge, maxUnavailable: .int(1),
                desired: deployment.desiredReplicas).surge
            let current = specReplicas(all)
            let maxTotal = deployment.desiredReplicas + surge
            if current >= maxTotal { return replicas(new) }
            let scaleUp = min(maxTotal - current, deployment.desiredReplicas - replicas(new))
            return replicas(new) + scaleUp
        case "Recreate":
            return deployment.desiredReplicas
        default:
            return nil
        }
    }

    /// Upstream `GetReplicaSetProportion`.
    public static func proportion(_ replicaSet: ReplicaSet, deployment: Deployment, toAdd: Int32, added: Int32) -> Int32 {
        if replicas(replicaSet) == 0 || toAdd == 0 || toAdd == added { return 0 }
        let fraction = fractionOf(replicaSet, deployment: deployment)
        let allowed = toAdd - added
        return toAdd > 0 ? min(fraction, allowed) : max(fraction, allowed)
    }

    /// Upstream `getReplicaSetFraction`.
    static func fractionOf(_ replicaSet: ReplicaSet, deployment: Deployment) -> Int32 {
        if deployment.desiredReplicas == 0 { return -replicas(replicaSet) }
        let deploymentReplicas = deployment.desiredReplicas + RollingUpdateBudget.maxSurge(deployment)
        let annotated = DeploymentAnnotations.integer(DeploymentAnnotations.maxReplicas, of: replicaSet)
            ?? deployment.status.replicas
        guard annotated != 0 else { return 0 }
        let size = Double(replicas(replicaSet)) * Double(deploymentReplicas) / Double(annotated)
        return Int32(size.rounded(.toNearestOrAwayFromZero)) - replicas(replicaSet)
    }
}
