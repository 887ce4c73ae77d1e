@testable import ControllerRuntime
import KubeAPI
import KubeCore
import Testing

@Suite struct ObjectCacheTests {
    static func pod(_ namespace: String, _ name: String, node: String = "", version: String = "1") -> Pod {
        var pod = Pod()
        pod.metadata.namespace = namespace
        pod.metadata.name = name
        pod.metadata.resourceVersion = version
        pod.spec.nodeName = node
        return pod
    }

    @Test func indexesFollowUpdatesAndRemovals() {
        let cache = ObjectCache<Pod>()
        cache.addIndex("node") { $0.spec.nodeName.isEmpty ? [] : [$0.spec.nodeName] }
        cache.upsert(Self.pod("a", "p1", node: "n1"))
        cache.upsert(Self.pod("a", "p2", node: "n1"))
        cache.upsert(Self.pod("b", "p3", node: "n2"))
        #expect(cache.byIndex("node", value: "n1").map(\.metadata.name) == ["p1", "p2"])
        #expect(cache.list(namespace: "a").count == 2)
        // Moving p2 to n2 refiles it.
        let old = cache.upsert(Self.pod("a", "p2", node: "n2", version: "2"))
        #expect(old?.spec.nodeName == "n1")
        #expect(cache.byIndex("node", value: "n1").map(\.metadata.name) == ["p1"])
        #expect(cache.byIndex("node", value: "n2").map(\.metadata.name) == ["p2", "p3"])
        cache.remove(ObjectKey(namespace: "b", name: "p3"))
        #expect(cache.byIndex("node", value: "n2").map(\.metadata.name) == ["p2"])
        #expect(cache.list(namespace: "b").isEmpty)
        #expect(cache.count == 2)
    }

    @Test func indexAddedLaterCoversExistingObjects() {
        let cache = ObjectCache<Pod>()
        cache.upsert(Self.pod("a", "p1", node: "n1"))
        cache.addIndex("node") { [$0.spec.nodeName] }
        #expect(cache.byIndex("node", value: "n1").count == 1)
        #expect(cache.byIndex("missing-index", value: "n1").isEmpty)
    }

    @Test func clusterScopedKeysHaveNoNamespace() {
        var node = Node()
        node.metadata.name = "n1"
        node.metadata.namespace = "ignored"
        #expect(ObjectKey(node).description == "n1")
        #expect(ObjectKey(Self.pod("ns", "p")).description == "ns/p")
    }
}
