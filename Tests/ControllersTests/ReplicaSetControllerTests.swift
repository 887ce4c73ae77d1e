import Foundation
import Logging
import Testing
import ControllerRuntime
import KubeAPI
import KubeClient
import KubeCore
@testable import Controllers

@Suite struct ReplicaSetControllerTests {
    typealias F = WorkloadFixtures

    /// Runs the informers over `transport`, waits for their first list, reconciles `default/web` once.
    static func reconcileOnce(_ transport: InMemoryAPITransport) async throws -> ReconcileResult {
        let client = APIClient(transport: transport, userAgent: "test")
        let logger = Logger(label: "test")
        let informers = InformerFactory(client: client, logger: logger)
        let events = EventRecorder(client: client, component: "replicaset-controller", logger: logger)
        let controller = ReplicaSetController<ReplicaSet>(client: client, informers: informers, events: events,
                                                          logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await informers.run() }
            await informers.waitForSync()
            let result = try await controller.reconcile(ObjectKey(namespace: "default", name: "web"))
            group.cancelAll()
            return result
        }
    }

    static func lists(replicaSet: ReplicaSet, pods: [Pod]) -> [String: [JSONValue]] {
        [
            "/apis/apps/v1/replicasets": [InMemoryAPITransport.json(replicaSet, kind: "ReplicaSet", apiVersion: "apps/v1")],
            "/api/v1/pods": pods.map { InMemoryAPITransport.json($0, kind: "Pod", apiVersion: "v1") },
        ]
    }

    @Test func tooFewPods_createsThemAndWritesStatus() async throws {
        let transport = InMemoryAPITransport(lists: Self.lists(replicaSet: F.replicaSet(replicas: 3), pods: [F.pod("a")]))
        _ = try await Self.reconcileOnce(transport)
        let writes = transport.writes
        #expect(writes.filter { $0 == .init(method: "POST", path: "/api/v1/namespaces/default/pods") }.count == 2)
        #expect(writes.last == .init(method: "PUT", path: "/apis/apps/v1/namespaces/default/replicasets/web/status"))
    }

    @Test func convergedReplicaSet_writesNothing() async throws {
        var replicaSet = F.replicaSet(replicas: 2)
        replicaSet.status = ReplicaSetStatus(replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2,
                                             observedGeneration: 1)
        let transport = InMemoryAPITransport(lists: Self.lists(replicaSet: replicaSet, pods: [F.pod("a"), F.pod("b")]))
        let result = try await Self.reconcileOnce(transport)
        #expect(transport.writes.isEmpty)
        #expect(result == .done)
    }

    @Test func surplusPod_isDeleted() async throws {
        var replicaSet = F.replicaSet(replicas: 1)
        replicaSet.status = ReplicaSetStatus(replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1,
                                             observedGeneration: 1)
        let pods = [F.pod("old", createdSecondsAgo: 100_000), F.pod("new", readySecondsAgo: 5, createdSecondsAgo: 10)]
        let transport = InMemoryAPITransport(lists: Self.lists(replicaSet: replicaSet, pods: pods))
        _ = try await Self.reconcileOnce(transport)
        #expect(transport.writes.first == .init(method: "DELETE", path: "/api/v1/namespaces/default/pods/new"))
    }
}
