import Foundation
import Testing
import KubeAPI
import KubeCore
@testable import Controllers

@Suite struct ReplicaSetSyncTests {
    typealias F = WorkloadFixtures

    @Test func tooFewPods_createsFromTemplateWithControllerReference() {
        let owner = F.replicaSet(replicas: 3)
        let plan = ReplicaSetSync.plan(owner: owner, pods: [F.pod("a")], expectationsSatisfied: true, now: F.now)
        #expect(plan.podsToCreate == 2)
        let pod = try! #require(plan.podTemplate)
        #expect(pod.metadata.generateName == "web-")
        #expect(pod.metadata.labels == ["app": "web"])
        #expect(pod.metadata.ownerReferences == [
            OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "rs-uid", controller: true,
                           blockOwnerDeletion: true),
        ])
        #expect(pod.spec.containers.map(\.image) == ["nginx:1"])
    }

    @Test func failedAndTerminatingPodsAreNotActive_soTheyAreReplaced() {
        var terminating = F.pod("b")
        terminating.metadata.deletionTimestamp = F.time(1)
        let pods = [F.pod("a"), F.pod("f", phase: "Failed"), F.pod("s", phase: "Succeeded"), terminating]
        let plan = ReplicaSetSync.plan(owner: F.replicaSet(replicas: 3), pods: pods, expectationsSatisfied: true, now: F.now)
        #expect(plan.claimedPods.map(\.metadata.name) == ["a"])
        #expect(plan.podsToCreate == 2)
    }

    @Test func claims_adoptOrphansReleaseUnselectedIgnoreOthers() {
        let pods = [
            F.pod("owned"), F.pod("orphan", owner: nil), F.pod("foreign", owner: "other-uid"),
            F.pod("unselected", labels: ["app": "db"]), F.pod("stranger", labels: ["app": "db"], owner: nil),
        ]
        let plan = ReplicaSetSync.plan(owner: F.replicaSet(replicas: 2), pods: pods, expectationsSatisfied: true, now: F.now)
        #expect(plan.adoptions.map(\.metadata.name) == ["orphan"])
        #expect(plan.releases.map(\.metadata.name) == ["unselected"])
        #expect(plan.claimedPods.map(\.metadata.name) == ["owned", "orphan"])
        #expect(plan.podsToCreate == 0 && plan.podsToDelete.isEmpty)
    }

    @Test func deletingOwner_neitherAdoptsNorReleasesNorScales() {
        var owner = F.replicaSet(replicas: 5)
        owner.metadata.deletionTimestamp = F.time(1)
        let pods = [F.pod("orphan", owner: nil), F.pod("unselected", labels: ["app": "db"])]
        let plan = ReplicaSetSync.plan(owner: owner, pods: pods, expectationsSatisfied: true, now: F.now)
        #expect(plan.adoptions.isEmpty && plan.releases.isEmpty && plan.podsToCreate == 0)
    }

    @Test func unsatisfiedExpectations_onlyClaims() {
        let plan = ReplicaSetSync.plan(owner: F.replicaSet(replicas: 3), pods: [], expectationsSatisfied: false, now: F.now)
        #expect(plan.podsToCreate == 0)
    }

    @Test func burstLimitCapsCreations() {
        let plan = ReplicaSetSync.plan(owner: F.replicaSet(replicas: 800), pods: [], expectationsSatisfied: true, now: F.now)
        #expect(plan.podsToCreate == 500)
    }

    @Test(arguments: [
        // (description, pods, expected first deleted)
        ("unassigned before assigned", [F.pod("assigned"), F.pod("unassigned", node: "")], "unassigned"),
        ("pending before running", [F.pod("running"), F.pod("pending", phase: "Pending")], "pending"),
        ("unknown before running", [F.pod("running"), F.pod("unknown", phase: "Unknown")], "unknown"),
        ("not ready before ready", [F.pod("ready"), F.pod("notready", ready: false)], "notready"),
        ("ready recently before ready long", [F.pod("old", readySecondsAgo: 100_000), F.pod("recent", readySecondsAgo: 10)], "recent"),
        ("newer before older", [F.pod("older", readySecondsAgo: 50, createdSecondsAgo: 100_000), F.pod("newer", readySecondsAgo: 50, createdSecondsAgo: 60)], "newer"),
    ])
    func surplusPodsAreDeletedInUpstreamRankOrder(_ description: String, pods: [Pod], expected: String) {
        let plan = ReplicaSetSync.plan(owner: F.replicaSet(replicas: 1), pods: pods, expectationsSatisfied: true, now: F.now)
        #expect(plan.podsToDelete.map(\.metadata.name) == [expected], "\(description)")
    }

    @Test func lowerDeletionCostGoesFirst() {
        var cheap = F.pod("cheap")
        cheap.metadata.annotations[ActivePodRanking.deletionCostAnnotation] = "-10"
        let plan = ReplicaSetSync.plan(owner: F.replicaSet(replicas: 1), pods: [F.pod("normal"), cheap],
                                       expectationsSatisfied: true, now: F.now)
        #expect(plan.podsToDelete.map(\.metadata.name) == ["cheap"])
    }

    @Test func podsDoubledUpOnANodeGoFirst() {
        let pods = [F.pod("alone", node: "n1"), F.pod("crowded", node: "n2")]
        let related = pods + [F.pod("sibling", owner: "sibling-rs", node: "n2")]
        let plan = ReplicaSetSync.plan(owner: F.replicaSet(replicas: 1), pods: pods, relatedPods: related,
                                       expectationsSatisfied: true, now: F.now)
        #expect(plan.podsToDelete.map(\.metadata.name) == ["crowded"])
    }

    @Test func replicationControllerUsesItsEqualitySelector() {
        var controller = ReplicationController()
        controller.metadata.name = "rc"
        controller.metadata.uid = "rc-uid"
        controller.metadata.namespace = "default"
        controller.spec.replicas = 2
        controller.spec.selector = ["app": "web"]
        controller.spec.template = F.template()
        let plan = ReplicaSetSync.plan(owner: controller, pods: [F.pod("orphan", owner: nil)], expectationsSatisfied: true,
                                       now: F.now)
        #expect(plan.adoptions.map(\.metadata.name) == ["orphan"])
        #expect(plan.podsToCreate == 1)
        #expect(plan.podTemplate?.metadata.ownerReferences.first?.kind == "ReplicationController")
        #expect(plan.podTemplate?.metadata.ownerReferences.first?.apiVersion == "v1")
    }
}

@Suite struct ReplicaSetStatusCalculatorTests {
    typealias F = WorkloadFixtures

    @Test func countsReadyAvailableAndFullyLabeled() {
        let owner = F.replicaSet(replicas: 3, minReadySeconds: 30)
        let pods = [
            F.pod("available", readySecondsAgo: 60), F.pod("justReady", readySecondsAgo: 10),
            F.pod("notReady", ready: false), F.pod("partial", labels: ["app": "web"]),
        ]
        var partial = pods[3]
        partial.metadata.labels = ["app": "web"]
        let status = ReplicaSetStatusCalculator.calculate(owner: owner, activePods: pods, manageReplicasError: nil, now: F.now)
        #expect(status.replicas == 4)
        #expect(status.readyReplicas == 3)
        #expect(status.availableReplicas == 2)
        #expect(status.fullyLabeledReplicas == 4)
        let write = ReplicaSetStatusCalculator.statusToWrite(owner: owner, calculated: status)
        #expect(write?.observedGeneration == 1)
    }

    @Test func createFailureSetsReplicaFailureAndSuccessClearsIt() {
        var owner = F.replicaSet(replicas: 2)
        let failed = ReplicaSetStatusCalculator.calculate(owner: owner, activePods: [], manageReplicasError: "quota", now: F.now)
        #expect(failed.conditions.map(\.reason) == ["FailedCreate"])
        #expect(failed.conditions.first?.message == "quota")
        owner.status = failed
        let recovered = ReplicaSetStatusCalculator.calculate(owner: owner, activePods: [], manageReplicasError: nil, now: F.now)
        #expect(recovered.conditions.isEmpty)
    }

    @Test func convergedStatusWritesNothing() {
        var owner = F.replicaSet(replicas: 1)
        let pods = [F.pod("a")]
        let status = ReplicaSetStatusCalculator.calculate(owner: owner, activePods: pods, manageReplicasError: nil, now: F.now)
        owner.status = ReplicaSetStatusCalculator.statusToWrite(owner: owner, calculated: status)!
        let again = ReplicaSetStatusCalculator.calculate(owner: owner, activePods: pods, manageReplicasError: nil, now: F.now)
        #expect(ReplicaSetStatusCalculator.statusToWrite(owner: owner, calculated: again) == nil)
    }

    @Test func requeuesAfterMinReadySecondsWhileReadyButNotAvailable() {
        let owner = F.replicaSet(replicas: 1, minReadySeconds: 30)
        let status = ReplicaSetStatusCalculator.calculate(owner: owner, activePods: [F.pod("a", readySecondsAgo: 5)],
                                                          manageReplicasError: nil, now: F.now)
        #expect(ReplicaSetStatusCalculator.requeueDelay(owner: owner, status: status, manageReplicasFailed: false) == .seconds(30))
    }
}

@Suite struct ControllerExpectationsTests {
    @Test func creationsMustBeObservedOrExpire() {
        var expectations = ControllerExpectations()
        let start = WorkloadFixtures.now
        expectations.expectCreations("default/web", count: 2, now: start)
        #expect(!expectations.isSatisfied("default/web", now: start))
        expectations.creationObserved("default/web")
        expectations.creationObserved("default/web")
        #expect(expectations.isSatisfied("default/web", now: start))
        expectations.expectCreations("default/web", count: 1, now: start)
        #expect(expectations.isSatisfied("default/web", now: start.addingTimeInterval(301)))
    }

    @Test func deletionsCountOncePerExpectedPod() {
        var expectations = ControllerExpectations()
        expectations.expectDeletions("k", podKeys: ["default/a", "default/b"], now: WorkloadFixtures.now)
        expectations.deletionObserved("k", podKey: "default/a")
        expectations.deletionObserved("k", podKey: "default/a")
        expectations.deletionObserved("k", podKey: "default/x")
        #expect(!expectations.isSatisfied("k", now: WorkloadFixtures.now))
        expectations.deletionObserved("k", podKey: "default/b")
        #expect(expectations.isSatisfied("k", now: WorkloadFixtures.now))
    }

    @Test func slowStartBatchesDouble() {
        #expect(SlowStartBatch.batchSizes(count: 10) == [1, 2, 4, 3])
        #expect(SlowStartBatch.batchSizes(count: 0) == [])
    }
}
