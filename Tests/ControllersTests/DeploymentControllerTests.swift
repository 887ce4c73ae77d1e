import Foundation
import Logging
import Testing
import ControllerRuntime
import KubeAPI
import KubeClient
import KubeCore
@testable import Controllers

@Suite struct DeploymentControllerTests {
    static func reconcileOnce(_ transport: InMemoryAPITransport) async throws -> ReconcileResult {
        let client = APIClient(transport: transport, userAgent: "test")
        let logger = Logger(label: "test")
        let informers = InformerFactory(client: client, logger: logger)
        let events = EventRecorder(client: client, component: "deployment-controller", logger: logger)
        let controller = DeploymentController(client: client, informers: informers, events: events, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await informers.run() }
            await informers.waitForSync()
            let result = try await controller.reconcile(ObjectKey(namespace: "default", name: "web"))
            group.cancelAll()
            return result
        }
    }

    static func lists(_ deployment: Deployment, _ replicaSets: [ReplicaSet]) -> [String: [JSONValue]] {
        [
            "/apis/apps/v1/deployments": [InMemoryAPITransport.json(deployment, kind: "Deployment", apiVersion: "apps/v1")],
            "/apis/apps/v1/replicasets": replicaSets.map { InMemoryAPITransport.json($0, kind: "ReplicaSet", apiVersion: "apps/v1") },
            "/api/v1/pods": [],
        ]
    }

    @Test func newDeployment_createsReplicaSetThenWritesStatus() async throws {
        let transport = InMemoryAPITransport(lists: Self.lists(WorkloadFixtures.deployment(replicas: 2), []))
        _ = try await Self.reconcileOnce(transport)
        // As upstream: the create, the revision and NewReplicaSetCreated condition, then the rollout status.
        #expect(transport.writes.map(\.method) == ["POST", "PUT", "PUT"])
        #expect(transport.writes.first?.path == "/apis/apps/v1/namespaces/default/replicasets")
        #expect(transport.writes.last?.path == "/apis/apps/v1/namespaces/default/deployments/web/status")
    }

    @Test func convergedDeployment_writesNothing() async throws {
        let (deployment, replicaSet) = DeploymentSyncTests.converged()
        let transport = InMemoryAPITransport(lists: Self.lists(deployment, [replicaSet]))
        let result = try await Self.reconcileOnce(transport)
        #expect(transport.writes.isEmpty)
        #expect(result == .done)
    }
}
