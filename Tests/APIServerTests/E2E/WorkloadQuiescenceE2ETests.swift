import Foundation
import Testing

/// Controllers never fight: once a Deployment's rollout settled, neither the Deployment, its ReplicaSets
/// nor its pods are written again while the controllers keep working on other objects. Two unrelated
/// rollouts serve as barriers (each passes through the Deployment and ReplicaSet controllers, the
/// scheduler and the nodes), and ConfigMap writes mark points of the store's revision order.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct WorkloadQuiescenceE2ETests {
    static func deployment(_ name: String, image: String, replicas: Int) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          labels:
            app: \(name)
        spec:
          replicas: \(replicas)
          selector:
            matchLabels:
              app: \(name)
          template:
            metadata:
              labels:
                app: \(name)
            spec:
              containers:
              - name: main
                image: \(image)
        """
    }

    /// Every object of app=web: the Deployment, its ReplicaSets and pods.
    static func webVersions(_ kubectl: Kubectl) async throws -> [String: Int] {
        try await WorkloadE2E.resourceVersions(kubectl, ["deployment,replicaset,pod", "-l", "app=web"])
    }

    @Test func settledRolloutIsNotWrittenAgain() async throws {
        try await WorkloadE2E.withCluster { _, kubectl in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment("web", image: "nginx:1.25", replicas: 3))
            _ = try await kubectl.ok(["rollout", "status", "deployment/web", "--timeout=60s"])
            _ = try await kubectl.ok(["set", "image", "deployment/web", "main=nginx:1.26"])
            _ = try await kubectl.ok(["rollout", "status", "deployment/web", "--timeout=60s"])

            // Barrier 1: an unrelated rollout completes after web's.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment("barrier-one", image: "busybox:1.36", replicas: 2))
            _ = try await kubectl.ok(["rollout", "status", "deployment/barrier-one", "--timeout=60s"])
            _ = try await kubectl.ok(["create", "configmap", "mark-one", "--from-literal=step=1"])
            let markOne = try await WorkloadE2E.resourceVersion(kubectl, "configmap/mark-one")
            let settled = try await Self.webVersions(kubectl)
            #expect(settled.keys.filter { $0.hasPrefix("Deployment/") }.count == 1)
            #expect(settled.keys.filter { $0.hasPrefix("ReplicaSet/") }.count == 2)
            #expect(settled.keys.filter { $0.hasPrefix("Pod/") }.count == 3)
            for (object, version) in settled {
                #expect(version < markOne, "\(object) was written after the barrier")
            }

            // Barrier 2: another unrelated rollout, and a scale of the first, then the second mark.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment("barrier-two", image: "busybox:1.36", replicas: 2))
            _ = try await kubectl.ok(["scale", "deployment/barrier-one", "--replicas=3"])
            _ = try await kubectl.ok(["rollout", "status", "deployment/barrier-two", "--timeout=60s"])
            _ = try await kubectl.ok(["rollout", "status", "deployment/barrier-one", "--timeout=60s"])
            _ = try await kubectl.ok(["create", "configmap", "mark-two", "--from-literal=step=2"])
            let markTwo = try await WorkloadE2E.resourceVersion(kubectl, "configmap/mark-two")
            #expect(markTwo > markOne)
            let later = try await Self.webVersions(kubectl)
            #expect(later == settled)

            // Nor was any event about web recorded after it settled.
            let events = try await kubectl.ok(["get", "events", "-o",
                                               #"jsonpath={range .items[*]}{.involvedObject.name} {.metadata.resourceVersion}{"\n"}{end}"#])
            for line in WorkloadE2E.lines(events) {
                let parts = WorkloadE2E.fields(line)
                guard parts.count == 2, parts[0].hasPrefix("web"), let version = Int(parts[1]) else { continue }
                #expect(version < markOne, "event about \(parts[0]) recorded after the rollout settled")
            }
        }
    }
}
