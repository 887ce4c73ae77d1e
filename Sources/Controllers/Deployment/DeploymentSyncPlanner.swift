import Foundation
import KubeAPI
import KubeCore

/// The working state of one planned Deployment sync: upstream's `syncDeployment` call tree over a
/// Deployment and ReplicaSet list that are updated as each planned write would update them.
///
/// Value type; used by one caller.
struct DeploymentSyncPlanner {
    typealias Action = DeploymentSync.Action

    var deployment: Deployment
    let now: Date
    var plan = DeploymentSync.Plan()
    /// The Deployment's ReplicaSets as the planned writes leave them.
    var replicaSets: [ReplicaSet] = []

    init(deployment: Deployment, now: Date) {
        self.deployment = deployment
        self.now = now
    }

    var desired: Int32 { deployment.desiredReplicas }

    mutating func run(replicaSets all: [ReplicaSet], pods: [Pod]) {
        if let selector = deployment.spec.selector, selector == LabelSelector() {
            event("Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
            if deployment.status.observedGeneration < deployment.metadata.generation {
                deployment.status.observedGeneration = deployment.metadata.generation
                plan.actions.append(.updateStatus(deployment))
            }
            return
        }
        claimReplicaSets(all)
        let podMap = podsByReplicaSet(pods)
        if deployment.metadata.deletionTimestamp != nil {
            syncStatusOnly()
            return
        }
        checkPausedConditions()
        if deployment.spec.paused {
            sync()
            return
        }
        if isScalingEvent() {
            sync()
            return
        }
        switch deployment.spec.strategy.type {
        case "Recreate":
            rolloutRecreate(podMap: podMap)
        case "RollingUpdate", "":
            rolloutRolling()
        default:
            plan.failure = "unexpected deployment strategy type: \(deployment.spec.strategy.type)"
        }
    }

    // MARK: Claims

    /// Upstream `getReplicaSetsForDeployment` (ClaimReplicaSets).
    mutating func claimReplicaSets(_ all: [ReplicaSet]) {
        let selector = (try? LabelSelectorExpression(deployment.spec.selector)) ?? .nothing
        let reference = ControllerReference.make(
            ownerMetadata: deployment.metadata, apiVersion: DeploymentSync.controllerKind.apiVersion,
            kind: DeploymentSync.controllerKind.kind)
        for replicaSet in all {
            let selected = selector.matches(replicaSet.metadata.labels)
            switch OwnerClaim.decide(dependent: replicaSet.metadata, owner: deployment.metadata, selected: selected) {
            case .owned:
                replicaSets.append(replicaSet)
            case .adopt:
                plan.actions.append(.adoptReplicaSet(replicaSet))
                var adopted = replicaSet
                adopted.metadata.ownerReferences.append(reference)
                replicaSets.append(adopted)
            case .release:
                plan.actions.append(.releaseReplicaSet(replicaSet))
            case .ignore:
                break
            }
        }
    }

    /// Upstream `getPodMapForDeployment`: selected pods grouped by their controlling ReplicaSet's UID.
    func podsByReplicaSet(_ pods: [Pod]) -> [String: [Pod]] {
        let selector = (try? LabelSelectorExpression(deployment.spec.selector)) ?? .nothing
        var map: [String: [Pod]] = [:]
        for replicaSet in replicaSets { map[replicaSet.metadata.uid] = [] }
        for pod in pods where selector.matches(pod.metadata.labels) {
            guard let reference = ControllerReference.controllerOf(pod.metadata), map[reference.uid] != nil else { continue }
            map[reference.uid]?.append(pod)
        }
        return map
    }

    // MARK: Bookkeeping

    mutating func event(_ type: String, _ reason: String, _ message: String) {
        plan.actions.append(.event(DeploymentSync.Event(type: type, reason: reason, message: message)))
    }

    /// Records a ReplicaSet write in the working list.
    mutating func store(_ replicaSet: ReplicaSet) {
        if let index = replicaSets.firstIndex(where: { $0.metadata.name == replicaSet.metadata.name }) {
            replicaSets[index] = replicaSet
        } else {
            replicaSets.append(replicaSet)
        }
    }

    func current(_ replicaSet: ReplicaSet) -> ReplicaSet {
        replicaSets.first { $0.metadata.name == replicaSet.metadata.name } ?? replicaSet
    }

    var newReplicaSet: ReplicaSet? { DeploymentReplicaSets.findNew(deployment, in: replicaSets) }
    var oldReplicaSets: [ReplicaSet] { DeploymentReplicaSets.findOld(deployment, in: replicaSets) }

    // MARK: Paused, scaling, status only

    /// Upstream `checkPausedConditions`.
    mutating func checkPausedConditions() {
        guard deployment.hasProgressDeadline else { return }
        let condition = DeploymentConditions.condition(DeploymentConditions.progressing, in: deployment.status)
        if condition?.reason == DeploymentConditions.timedOutReason { return }
        let pausedExists = condition?.reason == DeploymentConditions.pausedReason
        if deployment.spec.paused && !pausedExists {
            setCondition(DeploymentConditions.progressing, "Unknown", DeploymentConditions.pausedReason,
                         "Deployment is paused")
        } else if !deployment.spec.paused && pausedExists {
            setCondition(DeploymentConditions.progressing, "Unknown", DeploymentConditions.resumedReason,
                         "Deployment is resumed")
        } else {
            return
        }
        plan.actions.append(.updateStatus(deployment))
    }

    mutating func setCondition(_ type: String, _ status: String, _ reason: String, _ message: String) {
        DeploymentConditions.set(
            DeploymentConditions.make(type, status: status, reason: reason, message: message, now: now),
            in: &deployment.status)
    }

    /// Upstream `isScalingEvent`.
    mutating func isScalingEvent() -> Bool {
        let (new, old) = allReplicaSetsAndSyncRevision(createIfMissing: false)
        for replicaSet in DeploymentReplicaSets.active(old + (new.map { [$0] } ?? [])) {
            guard let annotated = DeploymentAnnotations.integer(DeploymentAnnotations.desiredReplicas, of: replicaSet)
            else { continue }
            if annotated != desired { return true }
        }
        return false
    }

    /// Upstream `syncStatusOnly`.
    mutating func syncStatusOnly() {
        let (new, old) = allReplicaSetsAndSyncRevision(createIfMissing: false)
        syncDeploymentStatus(all: old + (new.map { [$0] } ?? []), new: new)
    }

    /// Upstream `sync`: scaling events and paused Deployments.
    mutating func sync() {
        let (new, old) = allReplicaSetsAndSyncRevision(createIfMissing: false)
        scale(new: new, old: old)
        if deployment.spec.paused {
            cleanup(old: old.map(current))
        }
        let newNow = new.map(current)
        syncDeploymentStatus(all: old.map(current) + (newNow.map { [$0] } ?? []), new: newNow)
    }

    // MARK: The new ReplicaSet

    /// Upstream `getAllReplicaSetsAndSyncRevision`.
    mutating func allReplicaSetsAndSyncRevision(createIfMissing: Bool) -> (new: ReplicaSet?, old: [ReplicaSet]) {
        let old = oldReplicaSets
        let new = newReplicaSet(old: old, createIfMissing: createIfMissing)
        return (new, old)
    }

    /// Upstream `getNewReplicaSet`.
    mutating func newReplicaSet(old: [ReplicaSet], createIfMissing: Bool) -> ReplicaSet? {
        let newRevision = String(DeploymentAnnotations.maxRevision(old) + 1)
        if var existing = newReplicaSet {
            let annotationsChanged = DeploymentAnnotations.setNewReplicaSetAnnotations(
                deployment, replicaSet: &existing, newRevision: newRevision, exists: true)
            if annotationsChanged || existing.spec.minReadySeconds != deployment.spec.minReadySeconds {
                existing.spec.minReadySeconds = deployment.spec.minReadySeconds
                plan.actions.append(.updateReplicaSet(existing))
                store(existing)
                return existing
            }
            var needsUpdate = setDeploymentRevision(existing.metadata.annotations[DeploymentAnnotations.revision] ?? "")
            if deployment.hasProgressDeadline,
               DeploymentConditions.condition(DeploymentConditions.progressing, in: deployment.status) == nil
            {
                setCondition(DeploymentConditions.progressing, "True", DeploymentConditions.foundNewReplicaSetReason,
                             "Found new replica set \(GoQuote.quote(existing.metadata.name))")
                needsUpdate = true
            }
            if needsUpdate { plan.actions.append(.updateStatus(deployment)) }
            return existing
        }
        guard createIfMissing else { return nil }

        var template = deployment.spec.template
        let hash = PodTemplateHash.compute(template, collisionCount: deployment.status.collisionCount)
        template.metadata.labels[PodTemplateHash.labelKey] = hash
        var selector = deployment.spec.selector ?? LabelSelector()
        selector.matchLabels[PodTemplateHash.labelKey] = hash
        var created = ReplicaSet()
        created.metadata.name = "\(deployment.metadata.name)-\(hash)"
        created.metadata.namespace = deployment.metadata.namespace
        created.metadata.ownerReferences = [
            ControllerReference.make(ownerMetadata: deployment.metadata,
                                     apiVersion: DeploymentSync.controllerKind.apiVersion,
                                     kind: DeploymentSync.controllerKind.kind),
        ]
        created.metadata.labels = template.metadata.labels
        created.spec = ReplicaSetSpec(replicas: 0, minReadySeconds: deployment.spec.minReadySeconds,
                                      selector: selector, template: template)
        guard let replicas = DeploymentReplicaSets.newReplicaSetReplicas(deployment, all: old + [created], new: created)
        else {
            plan.failure = "deployment type \(deployment.spec.strategy.type) isn't supported"
            return nil
        }
        created.spec.replicas = replicas
        DeploymentAnnotations.setNewReplicaSetAnnotations(deployment, replicaSet: &created, newRevision: newRevision,
                                                          exists: false)
        plan.actions.append(.createReplicaSet(created))
        if replicas > 0 {
            event("Normal", "ScalingReplicaSet", "Scaled up replica set \(created.metadata.name) from 0 to \(replicas)")
        }
        var needsUpdate = setDeploymentRevision(newRevision)
        if deployment.hasProgressDeadline {
            setCondition(DeploymentConditions.progressing, "True", DeploymentConditions.newReplicaSetReason,
                         "Created new replica set \(GoQuote.quote(created.metadata.name))")
            needsUpdate = true
        }
        if needsUpdate { plan.actions.append(.updateStatus(deployment)) }
        var stored = created
        stored.metadata.creationTimestamp = RFC3339Time(now)
        store(stored)
        return stored
    }

    /// Upstream `SetDeploymentRevision`.
    mutating func setDeploymentRevision(_ revision: String) -> Bool {
        guard deployment.metadata.annotations[DeploymentAnnotations.revision] != revision else { return false }
        deployment.metadata.annotations[DeploymentAnnotations.revision] = revision
        return true
    }

    // MARK: Scaling

    /// Upstream `scaleReplicaSet`: writes when the size or the replicas annotations differ; an event
    /// only for a size change. Returns the ReplicaSet as written and whether its size changed.
    @discardableResult
    mutating func scaleReplicaSet(_ replicaSet: ReplicaSet, to newScale: Int32) -> (scaled: Bool, replicaSet: ReplicaSet) {
        let oldScale = DeploymentReplicaSets.replicas(replicaSet)
        let maxReplicas = desired + RollingUpdateBudget.maxSurge(deployment)
        let sizeChanges = oldScale != newScale
        guard sizeChanges || DeploymentAnnotations.replicasAnnotationsNeedUpdate(
            replicaSet, desired: desired, max: maxReplicas)
        else { return (false, replicaSet) }
        var updated = replicaSet
        updated.spec.replicas = newScale
        DeploymentAnnotations.setReplicasAnnotations(&updated, desired: desired, max: maxReplicas)
        plan.actions.append(.updateReplicaSet(updated))
        store(updated)
        if sizeChanges {
            let direction = oldScale < newScale ? "up" : "down"
            event("Normal", "ScalingReplicaSet",
                  "Scaled \(direction) replica set \(updated.metadata.name) from \(oldScale) to \(newScale)")
        }
        return (sizeChanges, updated)
    }

    /// Upstream `scaleReplicaSetAndRecordEvent`.
    @discardableResult
    mutating func scaleAndRecord(_ replicaSet: ReplicaSet, to newScale: Int32) -> (scaled: Bool, replicaSet: ReplicaSet) {
        if DeploymentReplicaSets.replicas(replicaSet) == newScale { return (false, replicaSet) }
        return scaleReplicaSet(replicaSet, to: newScale)
    }

    /// Upstream `scale`: proportional scaling of every active ReplicaSet.
    mutating func scale(new: ReplicaSet?, old: [ReplicaSet]) {
        if let activeOrLatest = DeploymentReplicaSets.activeOrLatest(new: new, old: old) {
            if DeploymentReplicaSets.replicas(activeOrLatest) == desired { return }
            scaleAndRecord(activeOrLatest, to: desired)
            return
        }
        if DeploymentReplicaSets.isSaturated(deployment, new) {
            for replicaSet in DeploymentReplicaSets.active(old) {
                scaleAndRecord(replicaSet, to: 0)
            }
            return
        }
        guard deployment.isRollingUpdate else { return }
        var all = DeploymentReplicaSets.active(old + (new.map { [$0] } ?? []))
        let allReplicas = DeploymentReplicaSets.specReplicas(all)
        let allowedSize = desired > 0 ? desired + RollingUpdateBudget.maxSurge(deployment) : 0
        let toAdd = allowedSize - allReplicas
        if toAdd > 0 {
            all.sort(by: DeploymentReplicaSets.bySizeNewer)
        } else if toAdd < 0 {
            all.sort(by: DeploymentReplicaSets.bySizeOlder)
        }
        var added: Int32 = 0
        var sizes: [String: Int32] = [:]
        for replicaSet in all {
            if toAdd != 0 {
                let proportion = DeploymentReplicaSets.proportion(replicaSet, deployment: deployment, toAdd: toAdd,
                                                                  added: added)
                sizes[replicaSet.metadata.name] = DeploymentReplicaSets.replicas(replicaSet) + proportion
                added += proportion
            } else {
                sizes[replicaSet.metadata.name] = DeploymentReplicaSets.replicas(replicaSet)
            }
        }
        for (index, replicaSet) in all.enumerated() {
            var size = sizes[replicaSet.metadata.name] ?? 0
            if index == 0 && toAdd != 0 {
                size = max(size + toAdd - added, 0)
            }
            scaleReplicaSet(replicaSet, to: size)
        }
    }

    // MARK: Rolling update

    /// Upstream `rolloutRolling`.
    mutating func rolloutRolling() {
        let (createdOrFound, old) = allReplicaSetsAndSyncRevision(createIfMissing: true)
        guard let new = createdOrFound else { return }
        if reconcileNewReplicaSet(new) {
            syncRolloutStatus()
            return
        }
        if reconcileOldReplicaSets(old: DeploymentReplicaSets.active(old.map(current)), new: current(new)) {
            syncRolloutStatus()
            return
        }
        if deploymentComplete(deployment.status) {
            cleanup(old: old.map(current))
        }
        syncRolloutStatus()
    }

    /// Upstream `reconcileNewReplicaSet`.
    mutating func reconcileNewReplicaSet(_ new: ReplicaSet) -> Bool {
        let replicas = DeploymentReplicaSets.replicas(new)
        if replicas == desired { return false }
        if replicas > desired { return scaleAndRecord(new, to: desired).scaled }
        guard let count = DeploymentReplicaSets.newReplicaSetReplicas(deployment, all: replicaSets, new: new) else {
            return false
        }
        return scaleAndRecord(new, to: count).scaled
    }

    /// Upstream `reconcileOldReplicaSets`.
    mutating func reconcileOldReplicaSets(old: [ReplicaSet], new: ReplicaSet) -> Bool {
        let oldCount = DeploymentReplicaSets.specReplicas(old)
        if oldCount == 0 { return false }
        let allCount = DeploymentReplicaSets.specReplicas(old + [new])
        let minAvailable = desired - RollingUpdateBudget.maxUnavailable(deployment)
        let newUnavailable = DeploymentReplicaSets.replicas(new) - new.status.availableReplicas
        let maxScaledDown = allCount - minAvailable - newUnavailable
        if maxScaledDown <= 0 { return false }
        let (cleaned, cleanupCount) = cleanupUnhealthyReplicas(old: old, maxCleanup: maxScaledDown)
        let scaledDown = scaleDownOldReplicaSetsForRollingUpdate(all: cleaned + [current(new)], old: cleaned)
        return cleanupCount + scaledDown > 0
    }

    /// Upstream `cleanupUnhealthyReplicas`.
    mutating func cleanupUnhealthyReplicas(old: [ReplicaSet], maxCleanup: Int32) -> ([ReplicaSet], Int32) {
        var sorted = old.sorted(by: DeploymentReplicaSets.byCreation)
        var total: Int32 = 0
        for index in sorted.indices {
            if total >= maxCleanup { break }
            let target = sorted[index]
            let replicas = DeploymentReplicaSets.replicas(target)
            if replicas == 0 || replicas == target.status.availableReplicas { continue }
            let count = min(maxCleanup - total, replicas - target.status.availableReplicas)
            let newCount = replicas - count
            if newCount > replicas { return (sorted, total) }
            sorted[index] = scaleAndRecord(target, to: newCount).replicaSet
            total += count
        }
        return (sorted, total)
    }

    /// Upstream `scaleDownOldReplicaSetsForRollingUpdate`.
    mutating func scaleDownOldReplicaSetsForRollingUpdate(all: [ReplicaSet], old: [ReplicaSet]) -> Int32 {
        let minAvailable = desired - RollingUpdateBudget.maxUnavailable(deployment)
        let available = DeploymentReplicaSets.availableReplicas(all)
        if available <= minAvailable { return 0 }
        var total: Int32 = 0
        let target = available - minAvailable
        for replicaSet in old.sorted(by: DeploymentReplicaSets.byCreation) {
            if total >= target { break }
            let replicas = DeploymentReplicaSets.replicas(replicaSet)
            if replicas == 0 { continue }
            let count = min(replicas, target - total)
            scaleAndRecord(replicaSet, to: replicas - count)
            total += count
        }
        return total
    }

    // MARK: Recreate

    /// Upstream `rolloutRecreate`.
    mutating func rolloutRecreate(podMap: [String: [Pod]]) {
        var (new, old) = allReplicaSetsAndSyncRevision(createIfMissing: false)
        var scaledDown = false
        for replicaSet in DeploymentReplicaSets.active(old) where DeploymentReplicaSets.replicas(replicaSet) != 0 {
            if scaleAndRecord(replicaSet, to: 0).scaled { scaledDown = true }
        }
        if scaledDown {
            syncRolloutStatus()
            return
        }
        if oldPodsRunning(new: new, old: old, podMap: podMap) {
            syncRolloutStatus()
            return
        }
        if new == nil {
            (new, old) = allReplicaSetsAndSyncRevision(createIfMissing: true)
            if new == nil { return }
        }
        if let new { scaleAndRecord(current(new), to: desired) }
        if deploymentComplete(deployment.status) {
            cleanup(old: old.map(current))
        }
        syncRolloutStatus()
    }

    /// Upstream `oldPodsRunning`.
    func oldPodsRunning(new: ReplicaSet?, old: [ReplicaSet], podMap: [String: [Pod]]) -> Bool {
        if DeploymentReplicaSets.statusReplicas(old) > 0 { return true }
        for (uid, pods) in podMap {
            if let new, new.metadata.uid == uid { continue }
            if pods.contains(where: { $0.status.phase != "Failed" && $0.status.phase != "Succeeded" }) { return true }
        }
        return false
    }

    // MARK: Cleanup

    /// Upstream `cleanupDeployment`: deletes the oldest ReplicaSets beyond `revisionHistoryLimit`, only
    /// those scaled to zero whose status caught up.
    mutating func cleanup(old: [ReplicaSet]) {
        guard deployment.hasRevisionHistoryLimit, let limit = deployment.spec.revisionHistoryLimit else { return }
        let cleanable = old.filter { $0.metadata.deletionTimestamp == nil }
        let surplus = cleanable.count - Int(limit)
        if surplus <= 0 { return }
        for replicaSet in cleanable.sorted(by: DeploymentReplicaSets.byRevision).prefix(surplus) {
            if replicaSet.status.replicas != 0 || DeploymentReplicaSets.replicas(replicaSet) != 0
                || replicaSet.metadata.generation > replicaSet.status.observedGeneration
            {
                continue
            }
            plan.actions.append(.deleteReplicaSet(replicaSet))
            replicaSets.removeAll { $0.metadata.name == replicaSet.metadata.name }
        }
    }

    // MARK: Status

    /// Upstream `DeploymentComplete`.
    func deploymentComplete(_ status: DeploymentStatus) -> Bool {
        status.updatedReplicas == desired && status.replicas == desired && status.availableReplicas == desired
            && status.observedGeneration >= deployment.metadata.generation
    }

    /// Upstream `syncDeploymentStatus`.
    mutating func syncDeploymentStatus(all: [ReplicaSet], new: ReplicaSet?) {
        let status = DeploymentStatusCalculator.calculate(deployment: deployment, all: all, new: new, now: now)
        guard status != deployment.status else { return }
        deployment.status = status
        plan.actions.append(.updateStatus(deployment))
    }

    /// Upstream `syncRolloutStatus` with its progress estimate and stuck-rollout requeue.
    mutating func syncRolloutStatus() {
        let new = newReplicaSet
        let all = oldReplicaSets + (new.map { [$0] } ?? [])
        let result = DeploymentStatusCalculator.rolloutStatus(deployment: deployment, all: all, new: new, now: now)
        if result.status == deployment.status {
            plan.requeue = result.requeue
            return
        }
        deployment.status = result.status
        plan.actions.append(.updateStatus(deployment))
    }
}
