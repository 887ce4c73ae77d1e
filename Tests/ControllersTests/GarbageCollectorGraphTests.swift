import Controllers
import KubeCore
import Testing

/// The dependency graph's reactions to informer and virtual events (upstream GraphBuilder semantics).
@Suite struct GarbageCollectorGraphTests {
    static func identity(_ kind: String, _ name: String, uid: String, namespace: String = "ns",
                         apiVersion: String = "apps/v1") -> ObjectIdentity {
        ObjectIdentity(apiVersion: apiVersion, kind: kind, name: name, uid: uid, namespace: namespace)
    }

    static func reference(to identity: ObjectIdentity, blocking: Bool? = nil) -> OwnerReference {
        OwnerReference(apiVersion: identity.apiVersion, kind: identity.kind, name: identity.name, uid: identity.uid,
                       controller: true, blockOwnerDeletion: blocking)
    }

    let rs = identity("ReplicaSet", "web", uid: "rs-1")
    var pod: ObjectIdentity { Self.identity("Pod", "web-a", uid: "pod-1", apiVersion: "v1") }

    @Test func anUnknownOwnerBecomesAVirtualNodeCheckedAtTheAPI() {
        var graph = OwnershipGraph()
        let work = graph.apply(.observed(ObservedObject(identity: pod, owners: [Self.reference(to: rs)]), previous: nil))
        #expect(work == [.attemptToDelete("rs-1")])
        #expect(graph.node("rs-1")?.virtual == true)
        #expect(graph.node("rs-1")?.identity == rs)
        #expect(graph.dependents(of: "rs-1").map(\.identity) == [pod])
    }

    @Test func observingTheOwnerMakesItRealWithoutWork() {
        var graph = OwnershipGraph()
        _ = graph.apply(.observed(ObservedObject(identity: pod, owners: [Self.reference(to: rs)]), previous: nil))
        let work = graph.apply(.observed(ObservedObject(identity: rs), previous: nil))
        #expect(work.isEmpty)
        #expect(graph.node("rs-1")?.virtual == false)
    }

    @Test func anOwnersDeleteQueuesItsDependentsAndRemembersItAbsent() {
        var graph = OwnershipGraph()
        _ = graph.apply(.observed(ObservedObject(identity: rs), previous: nil))
        _ = graph.apply(.observed(ObservedObject(identity: pod, owners: [Self.reference(to: rs)]), previous: nil))
        let work = graph.apply(.deleted(ObservedObject(identity: rs)))
        #expect(work == [.attemptToDelete("pod-1")])
        #expect(graph.node("rs-1") == nil)
        #expect(graph.absentOwners.count == 1)
    }

    @Test func aVirtualDeleteOfAnAbsentOwnerQueuesTheDependents() {
        var graph = OwnershipGraph()
        _ = graph.apply(.observed(ObservedObject(identity: pod, owners: [Self.reference(to: rs)]), previous: nil))
        let work = graph.apply(.virtualDelete(rs))
        #expect(work == [.attemptToDelete("pod-1")])
        #expect(graph.node("rs-1") == nil)
    }

    @Test func aVirtualDeleteWithOtherCoordinatesKeepsAnObservedNode() {
        var graph = OwnershipGraph()
        _ = graph.apply(.observed(ObservedObject(identity: rs), previous: nil))
        var wrongKind = rs
        wrongKind.kind = "Deployment"
        let work = graph.apply(.virtualDelete(wrongKind))
        #expect(work.isEmpty)
        #expect(graph.node("rs-1")?.identity == rs)
    }

    @Test func orphanDeletionQueuesTheOwnerForOrphaningOnce() {
        var graph = OwnershipGraph()
        let live = ObservedObject(identity: rs)
        _ = graph.apply(.observed(live, previous: nil))
        let deleting = ObservedObject(identity: rs, finalizers: ["orphan"], beingDeleted: true)
        #expect(graph.apply(.observed(deleting, previous: live)) == [.attemptToOrphan("rs-1")])
        // A resync of the same state starts nothing new.
        #expect(graph.apply(.observed(deleting, previous: deleting)).isEmpty)
    }

    @Test func foregroundDeletionQueuesDependentsThenTheOwner() {
        var graph = OwnershipGraph()
        let live = ObservedObject(identity: rs)
        _ = graph.apply(.observed(live, previous: nil))
        _ = graph.apply(.observed(ObservedObject(identity: pod, owners: [Self.reference(to: rs, blocking: true)]), previous: nil))
        let deleting = ObservedObject(identity: rs, finalizers: ["foregroundDeletion"], beingDeleted: true)
        #expect(graph.apply(.observed(deleting, previous: live)) == [.attemptToDelete("pod-1"), .attemptToDelete("rs-1")])
        #expect(graph.node("rs-1")?.deletingDependents == true)
        #expect(graph.blockingDependents(of: "rs-1").map(\.identity.uid) == ["pod-1"])
        // The blocking dependent's delete lets the owner finish.
        #expect(graph.apply(.deleted(ObservedObject(identity: pod))) == [.attemptToDelete("rs-1")])
        #expect(graph.blockingDependents(of: "rs-1").isEmpty)
    }

    @Test func droppingABlockingReferenceRequeuesTheOwner() {
        var graph = OwnershipGraph()
        _ = graph.apply(.observed(ObservedObject(identity: rs), previous: nil))
        let blocking = ObservedObject(identity: pod, owners: [Self.reference(to: rs, blocking: true)])
        _ = graph.apply(.observed(blocking, previous: nil))
        var unblocked = blocking
        unblocked.owners = [Self.reference(to: rs, blocking: false)]
        #expect(graph.apply(.observed(unblocked, previous: blocking)) == [.attemptToDelete("rs-1")])
        var released = blocking
        released.owners = []
        #expect(graph.apply(.observed(released, previous: unblocked)).isEmpty)
        #expect(graph.dependents(of: "rs-1").isEmpty)
    }

    @Test func anOwnerInAnotherNamespaceMakesTheDependentBeChecked() {
        var graph = OwnershipGraph()
        let otherRS = Self.identity("ReplicaSet", "web", uid: "rs-1", namespace: "other")
        _ = graph.apply(.observed(ObservedObject(identity: otherRS), previous: nil))
        let work = graph.apply(.observed(ObservedObject(identity: pod, owners: [Self.reference(to: rs)]), previous: nil))
        #expect(work == [.attemptToDelete("pod-1")])
    }

    @Test func ownershipLoopsAreGraphedWithoutRecursion() {
        var graph = OwnershipGraph()
        let a = Self.identity("ConfigMap", "a", uid: "a", apiVersion: "v1")
        let b = Self.identity("ConfigMap", "b", uid: "b", apiVersion: "v1")
        _ = graph.apply(.observed(ObservedObject(identity: a, owners: [Self.reference(to: b, blocking: true)]), previous: nil))
        _ = graph.apply(.observed(ObservedObject(identity: b, owners: [Self.reference(to: a, blocking: true)]), previous: nil))
        #expect(graph.dependents(of: "a").map(\.identity) == [b])
        #expect(graph.dependents(of: "b").map(\.identity) == [a])
        #expect(graph.node("b")?.virtual == false)
        let work = graph.apply(.deleted(ObservedObject(identity: a, owners: [Self.reference(to: b, blocking: true)])))
        #expect(work == [.attemptToDelete("b")])
        #expect(graph.dependents(of: "b").isEmpty)
    }

    @Test func theAbsentOwnerCacheEvictsTheLeastRecentlyUsed() {
        var cache = AbsentOwnerCache(capacity: 2)
        let one = Self.identity("ReplicaSet", "1", uid: "1")
        let two = Self.identity("ReplicaSet", "2", uid: "2")
        let three = Self.identity("ReplicaSet", "3", uid: "3")
        cache.add(one)
        cache.add(two)
        let oneBeforeEviction = cache.contains(one)
        cache.add(three)
        let (hasOne, hasTwo, hasThree) = (cache.contains(one), cache.contains(two), cache.contains(three))
        #expect(oneBeforeEviction)
        #expect(hasOne)
        #expect(!hasTwo)
        #expect(hasThree)
    }
}
