import Controllers
import KubeAPI
import KubeClient
import KubeCore
import Testing

/// What the collector does with a dependent once its owners are classified (upstream attemptToDeleteItem)
/// and with an owner deleting in the foreground.
@Suite struct GarbageCollectorDecisionTests {
    static func reference(_ uid: String) -> OwnerReference {
        OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: uid, uid: uid, blockOwnerDeletion: true)
    }

    static func node(_ uid: String, deletingDependents: Bool = false) -> GraphNode {
        GraphNode(identity: ObjectIdentity(apiVersion: "v1", kind: "Pod", name: uid, uid: uid, namespace: "ns"),
                  deletingDependents: deletingDependents)
    }

    @Test func solidOwnersKeepTheObject() {
        let classification = OwnerClassification(references: [Self.reference("a")], states: ["a": .present(waitingForDependents: false)])
        #expect(DeletionDecision.decide(classification: classification, finalizers: [], dependents: []) == .keep)
    }

    @Test func aSolidOwnerBesideAbsentOnesOnlyDropsTheirReferences() {
        let classification = OwnerClassification(
            references: [Self.reference("a"), Self.reference("gone"), Self.reference("waiting")],
            states: ["a": .present(waitingForDependents: false), "gone": .absent, "waiting": .present(waitingForDependents: true)])
        #expect(classification.dangling.map(\.uid) == ["gone"])
        #expect(DeletionDecision.decide(classification: classification, finalizers: [], dependents: [])
                == .removeOwnerReferences(["gone", "waiting"]))
    }

    @Test func allOwnersGoneDeletesInTheBackground() {
        let classification = OwnerClassification(references: [Self.reference("gone")], states: [:])
        #expect(DeletionDecision.decide(classification: classification, finalizers: [], dependents: [])
                == .delete(.background))
        #expect(DeletionDecision.decide(classification: classification, finalizers: ["orphan"], dependents: [])
                == .delete(.orphan))
        #expect(DeletionDecision.decide(classification: classification, finalizers: ["foregroundDeletion"], dependents: [])
                == .delete(.foreground))
    }

    @Test func anOwnerWaitingForDependentsMakesADependentWithDependentsGoInTheForeground() {
        let classification = OwnerClassification(references: [Self.reference("w")], states: ["w": .present(waitingForDependents: true)])
        #expect(DeletionDecision.decide(classification: classification, finalizers: [], dependents: [Self.node("child")])
                == .deleteInForeground(unblockOwnerReferences: false))
        #expect(DeletionDecision.decide(classification: classification, finalizers: [],
                                        dependents: [Self.node("child", deletingDependents: true)])
                == .deleteInForeground(unblockOwnerReferences: true))
        #expect(DeletionDecision.decide(classification: classification, finalizers: [], dependents: [])
                == .delete(.background))
    }

    @Test func foregroundDeletionFinishesWhenNoBlockingDependentIsLeft() {
        #expect(ForegroundDecision.decide(blockingDependents: []) == .removeFinalizer)
        #expect(ForegroundDecision.decide(blockingDependents: [Self.node("a"), Self.node("b", deletingDependents: true)])
                == .attemptToDelete(["a"]))
    }

    @Test func patchesNameTheUIDs() {
        let patch = GarbageCollectionPatches.deleteOwnerReferences(["o1"], dependentUID: "d1")
        #expect(String(decoding: JSONValueWriter.bytes(patch), as: UTF8.self) == #"{"metadata":{"ownerReferences":[{"$patch":"delete","uid":"o1"}],"uid":"d1"}}"#)
        #expect(GarbageCollectionPatches.unblockOwnerReferences([Self.reference("o1")], uid: "d1") != nil)
        var nonBlocking = Self.reference("o1")
        nonBlocking.blockOwnerDeletion = false
        #expect(GarbageCollectionPatches.unblockOwnerReferences([nonBlocking], uid: "d1") == nil)
    }

    @Test func theCollectorWatchesDeletableKindsButNotEvents() {
        #expect(GarbageCollector.monitors(.init(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets",
                                                singular: "replicaset", namespaced: true)))
        #expect(!GarbageCollector.monitors(.init(group: "", version: "v1", kind: "Event", plural: "events",
                                                 singular: "event", namespaced: true)))
        #expect(!GarbageCollector.monitors(.init(group: "authentication.k8s.io", version: "v1", kind: "TokenReview",
                                                 plural: "tokenreviews", singular: "tokenreview", namespaced: false,
                                                 verbs: ["create"])))
    }
}
