import Foundation
import Testing
import KubeAPI
import KubeCore
@testable import Controllers

@Suite struct DeploymentSyncTests {
    typealias F = WorkloadFixtures

    /// The ReplicaSet a first sync creates, as the API server would store it.
    static func stored(_ replicaSet: ReplicaSet, uid: String, available: Int32? = nil) -> ReplicaSet {
        var copy = replicaSet
        copy.metadata.uid = uid
        copy.metadata.generation = 1
        copy.metadata.creationTimestamp = F.time(1000)
        let replicas = copy.spec.replicas ?? 0
        copy.status = ReplicaSetStatus(replicas: replicas, readyReplicas: available ?? replicas,
                                       availableReplicas: available ?? replicas, observedGeneration: 1)
        return copy
    }

    static func created(_ plan: DeploymentSync.Plan) -> [ReplicaSet] {
        plan.actions.compactMap { if case .createReplicaSet(let rs) = $0 { rs } else { nil } }
    }
    static func updated(_ plan: DeploymentSync.Plan) -> [ReplicaSet] {
        plan.actions.compactMap { if case .updateReplicaSet(let rs) = $0 { rs } else { nil } }
    }
    static func events(_ plan: DeploymentSync.Plan) -> [String] {
        plan.actions.compactMap { if case .event(let event) = $0 { event.message } else { nil } }
    }
    static func lastStatus(_ plan: DeploymentSync.Plan) -> Deployment? {
        plan.actions.compactMap { if case .updateStatus(let d) = $0 { d } else { nil } }.last
    }

    @Test func firstSync_createsHashedReplicaSetWithRevisionAndReplicaAnnotations() throws {
        var deployment = F.deployment(replicas: 3)
        deployment.metadata.annotations = [
            "kubernetes.io/change-cause": "kubectl set image", DeploymentAnnotations.lastAppliedConfiguration: "{}",
        ]
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [], pods: [], now: F.now)
        let replicaSet = try #require(Self.created(plan).first)
        let hash = PodTemplateHash.compute(deployment.spec.template, collisionCount: nil)
        #expect(replicaSet.metadata.name == "web-\(hash)")
        #expect(replicaSet.metadata.labels == ["app": "web", "pod-template-hash": hash])
        #expect(replicaSet.spec.selector?.matchLabels == ["app": "web", "pod-template-hash": hash])
        #expect(replicaSet.spec.template.metadata.labels["pod-template-hash"] == hash)
        #expect(replicaSet.spec.replicas == 3)
        #expect(replicaSet.metadata.annotations == [
            "deployment.kubernetes.io/revision": "1", "deployment.kubernetes.io/desired-replicas": "3",
            "deployment.kubernetes.io/max-replicas": "4", "kubernetes.io/change-cause": "kubectl set image",
        ])
        #expect(replicaSet.metadata.ownerReferences.first?.kind == "Deployment")
        #expect(Self.events(plan).first == "Scaled up replica set web-\(hash) from 0 to 3")
        let status = try #require(Self.lastStatus(plan))
        #expect(status.metadata.annotations[DeploymentAnnotations.revision] == "1")
        let progressing = DeploymentConditions.condition("Progressing", in: status.status)
        #expect(progressing?.reason == "NewReplicaSetCreated")
        #expect(progressing?.message == "Created new replica set \"web-\(hash)\"")
    }

    @Test func hashIsStableAlphabeticAndChangesWithCollisionCount() {
        let template = F.template()
        let hash = PodTemplateHash.compute(template, collisionCount: nil)
        #expect(hash == PodTemplateHash.compute(template, collisionCount: nil))
        #expect(hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(hash != PodTemplateHash.compute(template, collisionCount: 1))
        #expect(PodTemplateHash.safeEncode("0123456789") == "456789bcdf")
    }

    @Test(arguments: [
        (IntOrString.string("25%"), IntOrString.string("25%"), Int32(10), Int32(3), Int32(2)),
        (.int(0), .string("1%"), 10, 0, 1),
        (.string("1%"), .int(0), 10, 1, 0),
        (.int(2), .int(1), 5, 2, 1),
    ])
    func fenceposts(surge: IntOrString, unavailable: IntOrString, desired: Int32, expectedSurge: Int32,
                    expectedUnavailable: Int32) {
        let result = RollingUpdateBudget.resolveFenceposts(maxSurge: surge, maxUnavailable: unavailable, desired: desired)
        #expect(result.surge == expectedSurge && result.unavailable == expectedUnavailable)
    }

    /// A converged deployment: one ReplicaSet with everything available and the status written.
    static func converged() -> (Deployment, ReplicaSet) {
        var deployment = F.deployment(replicas: 3)
        let first = DeploymentSync.plan(deployment: deployment, replicaSets: [], pods: [], now: F.now)
        let replicaSet = stored(created(first)[0], uid: "rs-1")
        deployment = lastStatus(first)!
        var plan = DeploymentSync.plan(deployment: deployment, replicaSets: [replicaSet], pods: [], now: F.now)
        for _ in 0..<3 where !plan.actions.isEmpty {
            deployment = lastStatus(plan) ?? deployment
            plan = DeploymentSync.plan(deployment: deployment, replicaSets: [replicaSet], pods: [], now: F.now)
        }
        return (deployment, replicaSet)
    }

    @Test func convergedDeployment_plansNothing() {
        let (deployment, replicaSet) = Self.converged()
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [replicaSet], pods: [], now: F.now)
        #expect(plan.actions.isEmpty)
        #expect(plan.requeue == nil)
        #expect(deployment.status.replicas == 3 && deployment.status.availableReplicas == 3)
        #expect(DeploymentConditions.condition("Available", in: deployment.status)?.reason == "MinimumReplicasAvailable")
        let progressing = DeploymentConditions.condition("Progressing", in: deployment.status)
        #expect(progressing?.reason == "NewReplicaSetAvailable")
        #expect(progressing?.message == "ReplicaSet \"\(replicaSet.metadata.name)\" has successfully progressed.")
    }

    @Test func templateChange_rollingUpdateSurgesNewReplicaSetWithNextRevision() throws {
        var (deployment, oldReplicaSet) = Self.converged()
        deployment.spec.template = F.template(image: "nginx:2")
        deployment.metadata.generation = 2
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [oldReplicaSet], pods: [], now: F.now)
        let new = try #require(Self.created(plan).first)
        #expect(new.spec.replicas == 1) // 3 + 25% surge (1) - 3 existing
        #expect(new.metadata.annotations[DeploymentAnnotations.revision] == "2")
        #expect(Self.updated(plan).isEmpty) // old is scaled down only once new pods are available
    }

    @Test func rollingUpdate_scalesOldDownWithinMaxUnavailable() {
        var (deployment, old) = Self.converged()
        deployment.spec.template = F.template(image: "nginx:2")
        let first = DeploymentSync.plan(deployment: deployment, replicaSets: [old], pods: [], now: F.now)
        let new = Self.stored(Self.created(first)[0], uid: "rs-2", available: 0)
        deployment = Self.lastStatus(first)!
        old.metadata.annotations[DeploymentAnnotations.revision] = "1"
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [old, new], pods: [], now: F.now)
        // maxUnavailable = 0 (25% of 3 rounded down), so nothing may go until the new pod is available.
        #expect(Self.updated(plan).isEmpty)
        let availableNew = Self.stored(Self.created(first)[0], uid: "rs-2", available: 1)
        let next = DeploymentSync.plan(deployment: deployment, replicaSets: [old, availableNew], pods: [], now: F.now)
        #expect(Self.updated(next).map { $0.spec.replicas } == [2])
        #expect(Self.events(next) == ["Scaled down replica set \(old.metadata.name) from 3 to 2"])
    }

    @Test func rollbackReusesOldReplicaSetWithNewRevisionAndHistory() throws {
        var (deployment, first) = Self.converged()
        deployment.spec.template = F.template(image: "nginx:2")
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [first], pods: [], now: F.now)
        var second = Self.stored(Self.created(plan)[0], uid: "rs-2")
        second.spec.replicas = 3
        var scaledDownFirst = first
        scaledDownFirst.spec.replicas = 0
        scaledDownFirst.status = ReplicaSetStatus(observedGeneration: 1)
        deployment.spec.template = F.template(image: "nginx:1") // kubectl rollout undo
        let undo = DeploymentSync.plan(deployment: deployment, replicaSets: [scaledDownFirst, second], pods: [], now: F.now)
        let reused = try #require(Self.updated(undo).first)
        #expect(reused.metadata.name == first.metadata.name)
        #expect(reused.metadata.annotations[DeploymentAnnotations.revision] == "3")
        #expect(reused.metadata.annotations[DeploymentAnnotations.revisionHistory] == "1")
    }

    @Test func recreate_scalesOldToZeroFirstAndWaitsForOldPods() {
        var deployment = F.deployment(replicas: 2, strategy: "Recreate")
        var old = F.replicaSet(name: "web-old", uid: "old-uid", replicas: 2)
        old.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "web",
                                                       uid: "deploy-uid", controller: true)]
        old.spec.template = F.template(image: "nginx:0")
        old.status = ReplicaSetStatus(replicas: 2, availableReplicas: 2, observedGeneration: 1)
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [old], pods: [], now: F.now)
        #expect(Self.updated(plan).map { $0.spec.replicas } == [0])
        #expect(Self.created(plan).isEmpty)
        deployment = Self.lastStatus(plan) ?? deployment
        old.spec.replicas = 0
        old.status.replicas = 0
        let pods = [F.pod("old-pod", owner: "old-uid")]
        let waiting = DeploymentSync.plan(deployment: deployment, replicaSets: [old], pods: pods, now: F.now)
        #expect(Self.created(waiting).isEmpty)
        let ready = DeploymentSync.plan(deployment: deployment, replicaSets: [old], pods: [], now: F.now)
        #expect(Self.created(ready).map { $0.spec.replicas } == [2])
    }

    @Test func scalingMidRollout_isProportional() {
        var deployment = F.deployment(replicas: 10, maxSurge: 3, maxUnavailable: 2)
        func owned(_ name: String, _ uid: String, _ replicas: Int32, image: String, revision: String) -> ReplicaSet {
            var rs = F.replicaSet(name: name, uid: uid, replicas: replicas)
            rs.spec.template = F.template(image: image)
            rs.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: "web",
                                                          uid: "deploy-uid", controller: true)]
            rs.metadata.annotations = [DeploymentAnnotations.desiredReplicas: "10",
                                       DeploymentAnnotations.maxReplicas: "13", DeploymentAnnotations.revision: revision]
            rs.metadata.creationTimestamp = F.time(revision == "1" ? 100 : 50)
            return rs
        }
        deployment.spec.template = F.template(image: "nginx:2")
        let old = owned("web-old", "u1", 8, image: "nginx:1", revision: "1")
        let new = owned("web-new", "u2", 5, image: "nginx:2", revision: "2")
        deployment.spec.replicas = 20 // maxSurge 3 → 23 allowed, 10 to add
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [old, new], pods: [], now: F.now)
        let sizes = Dictionary(uniqueKeysWithValues: Self.updated(plan).map { ($0.metadata.name, $0.spec.replicas ?? 0) })
        #expect(sizes["web-old"]! + sizes["web-new"]! == 23)
        #expect(sizes == ["web-old": 14, "web-new": 9])
        #expect(Self.updated(plan).allSatisfy { $0.metadata.annotations[DeploymentAnnotations.desiredReplicas] == "20" })
    }

    @Test func pausedDeployment_setsPausedConditionAndDoesNotRollOut() {
        var (deployment, replicaSet) = Self.converged()
        deployment.spec.paused = true
        deployment.spec.template = F.template(image: "nginx:2")
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [replicaSet], pods: [], now: F.now)
        #expect(Self.created(plan).isEmpty)
        let status = Self.lastStatus(plan)
        #expect(DeploymentConditions.condition("Progressing", in: status!.status)?.reason == "DeploymentPaused")
        deployment = status!
        deployment.spec.paused = false
        let resumed = DeploymentSync.plan(deployment: deployment, replicaSets: [replicaSet], pods: [], now: F.now)
        let firstStatus = resumed.actions.first { if case .updateStatus = $0 { true } else { false } }
        if case .updateStatus(let resumedDeployment)? = firstStatus {
            #expect(DeploymentConditions.condition("Progressing", in: resumedDeployment.status)?.reason == "DeploymentResumed")
        } else {
            Issue.record("no status write on resume")
        }
        #expect(Self.created(resumed).count == 1)
    }

    @Test func stuckRollout_timesOutAfterProgressDeadline() {
        var (deployment, old) = Self.converged()
        deployment.spec.template = F.template(image: "nginx:2")
        let first = DeploymentSync.plan(deployment: deployment, replicaSets: [old], pods: [], now: F.now)
        let new = Self.stored(Self.created(first)[0], uid: "rs-2", available: 0)
        deployment = Self.lastStatus(first)!
        old.metadata.annotations[DeploymentAnnotations.revision] = "1"
        let waiting = DeploymentSync.plan(deployment: deployment, replicaSets: [old, new], pods: [], now: F.now)
        if let status = Self.lastStatus(waiting) { deployment = status }
        let settled = DeploymentSync.plan(deployment: deployment, replicaSets: [old, new], pods: [], now: F.now)
        #expect(settled.requeue == .after(.seconds(601)))
        let late = DeploymentSync.plan(deployment: deployment, replicaSets: [old, new], pods: [],
                                       now: F.now.addingTimeInterval(601))
        let progressing = DeploymentConditions.condition("Progressing", in: Self.lastStatus(late)!.status)
        #expect(progressing?.reason == "ProgressDeadlineExceeded")
        #expect(progressing?.status == "False")
        #expect(progressing?.message == "ReplicaSet \"\(new.metadata.name)\" has timed out progressing.")
    }

    @Test func cleanupKeepsRevisionHistoryLimit() {
        var (deployment, current) = Self.converged()
        deployment.spec.revisionHistoryLimit = 1
        current.metadata.annotations[DeploymentAnnotations.revision] = "3"
        func old(_ name: String, _ revision: String) -> ReplicaSet {
            var rs = F.replicaSet(name: name, uid: name, replicas: 0)
            rs.spec.template = F.template(image: name)
            rs.metadata.ownerReferences = current.metadata.ownerReferences
            rs.metadata.annotations[DeploymentAnnotations.revision] = revision
            rs.status.observedGeneration = 1
            return rs
        }
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [old("a", "2"), old("b", "1"), current],
                                       pods: [], now: F.now)
        let deleted = plan.actions.compactMap { if case .deleteReplicaSet(let rs) = $0 { rs.metadata.name } else { nil } }
        #expect(deleted == ["b"])
    }

    @Test func orphanReplicaSetIsAdopted() {
        let deployment = F.deployment(replicas: 1)
        let orphan = F.replicaSet(name: "web-x", uid: "x", replicas: 1)
        let plan = DeploymentSync.plan(deployment: deployment, replicaSets: [orphan], pods: [], now: F.now)
        #expect(plan.actions.first == .adoptReplicaSet(orphan))
    }
}
