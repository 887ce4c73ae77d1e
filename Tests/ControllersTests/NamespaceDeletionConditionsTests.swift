import Controllers
import KubeAPI
import KubeCore
import Testing

/// The namespace controller's status conditions, worded as upstream's.
@Suite struct NamespaceDeletionConditionsTests {
    let now = RFC3339Time(secondsSince1970: 1_700_000_000)
    let later = RFC3339Time(secondsSince1970: 1_700_000_100)

    @Test func nothingLeftSetsEveryConditionFalseWithTheUpstreamMessages() throws {
        let conditions = try #require(NamespaceDeletionConditions.updated([], failures: [], now: now))
        #expect(conditions.map(\.type) == NamespaceDeletionConditions.types)
        #expect(conditions.allSatisfy { $0.status == "False" })
        let remaining = try #require(conditions.first { $0.type == "NamespaceContentRemaining" })
        #expect(remaining.reason == "ContentRemoved")
        #expect(remaining.message == "All content successfully removed")
        #expect(NamespaceDeletionConditions.updated(conditions, failures: [], now: later) == nil)
    }

    @Test func remainingContentAndFinalizersAreCounted() throws {
        let totals = NamespaceContentTotals(
            remainingByResource: [GroupVersionResource(group: "", version: "v1", resource: "pods"): 2,
                                  GroupVersionResource(group: "apps", version: "v1", resource: "replicasets"): 1],
            remainingByFinalizer: ["foregroundDeletion": 1, "example.com/hold": 2])
        let failures = NamespaceDeletionConditions.failures(totals: totals, deleteErrors: [], now: now)
        let previous = try #require(NamespaceDeletionConditions.updated([], failures: [], now: now))
        let conditions = try #require(NamespaceDeletionConditions.updated(previous, failures: failures, now: later))
        let content = try #require(conditions.first { $0.type == "NamespaceContentRemaining" })
        #expect(content.status == "True")
        #expect(content.reason == "SomeResourcesRemain")
        #expect(content.message == "Some resources are remaining: pods. has 2 resource instances, replicasets.apps has 1 resource instances")
        #expect(content.lastTransitionTime == later)
        let finalizers = try #require(conditions.first { $0.type == "NamespaceFinalizersRemaining" })
        #expect(finalizers.message == "Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances, foregroundDeletion in 1 resource instances")
        let discovery = try #require(conditions.first { $0.type == "NamespaceDeletionDiscoveryFailure" })
        #expect(discovery.lastTransitionTime == now)
    }

    @Test func deletionErrorsBecomeTheContentFailureCondition() throws {
        let failures = NamespaceDeletionConditions.failures(totals: NamespaceContentTotals(), deleteErrors: ["b", "a"], now: now)
        #expect(failures.map(\.type) == ["NamespaceDeletionContentFailure"])
        #expect(failures.first?.message == "Failed to delete all resource types, 2 remaining: a, b")
        #expect(failures.first?.reason == "ContentDeletionFailed")
    }
}
