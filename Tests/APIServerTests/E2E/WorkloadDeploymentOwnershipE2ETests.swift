import Foundation
import Testing

/// Which ReplicaSets a Deployment owns, with the real kubectl against `swiftlet server --simulated-nodes 3`:
/// an orphan ReplicaSet whose template equals the Deployment's is adopted and becomes its revision 1 (no
/// other ReplicaSet is made), a hand-scaled ReplicaSet of the Deployment is scaled back, and a name taken
/// by a ReplicaSet the Deployment does not select raises its collisionCount and yields another name.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct WorkloadDeploymentOwnershipE2ETests {
    static let legacy = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: shop-legacy
          labels:
            app: shop
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: shop
          template:
            metadata:
              labels:
                app: shop
            spec:
              containers:
              - name: httpd
                image: httpd:2.4
        """

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: shop
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: shop
          template:
            metadata:
              labels:
                app: shop
            spec:
              containers:
              - name: httpd
                image: httpd:2.4
        """

    static let barrier = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: barrier
        spec:
          replicas: 2
          selector:
            matchLabels:
              app: barrier
          template:
            metadata:
              labels:
                app: barrier
            spec:
              containers:
              - name: main
                image: busybox:1.36
        """

    /// Waits (on a watch of the Deployment's events) until an event with `message` was recorded.
    static func waitForEvent(_ kubectl: Kubectl, about name: String, message: String) async throws {
        _ = try await WorkloadE2E.watch(kubectl, ["get", "events", "--field-selector", "involvedObject.name=\(name)", "-w",
                                                  "-o", #"jsonpath={.message}{"\n"}"#]) { lines in
            lines.contains(message)
        }
    }

    @Test func orphanReplicaSetIsAdoptedAndHandScalingIsUndone() async throws {
        try await WorkloadE2E.withCluster { _, kubectl in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.legacy)
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.readyReplicas}=2", "rs/shop-legacy", "--timeout=60s"])
            let legacyPods = Set(WorkloadE2E.lines(try await kubectl.ok(["get", "pods", "-l", "app=shop", "-o", "name"])))
            #expect(legacyPods.count == 2)

            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment)
            _ = try await kubectl.ok(["rollout", "status", "deployment/shop", "--timeout=60s"])
            let uid = try await kubectl.ok(["get", "deployment", "shop", "-o", "jsonpath={.metadata.uid}"])
            let replicaSets = try await kubectl.ok([
                "get", "rs", "-l", "app=shop", "-o",
                #"jsonpath={range .items[*]}{.metadata.name} {.spec.replicas} {.metadata.ownerReferences[?(@.controller==true)].uid} {.metadata.annotations.deployment\.kubernetes\.io/revision}{"\n"}{end}"#,
            ])
            #expect(WorkloadE2E.lines(replicaSets) == ["shop-legacy 3 \(uid) 1"])
            try await Self.waitForEvent(kubectl, about: "shop", message: "Scaled up replica set shop-legacy from 2 to 3")
            let pods = Set(WorkloadE2E.lines(try await kubectl.ok(["get", "pods", "-l", "app=shop", "-o", "name"])))
            #expect(pods.count == 3)
            #expect(legacyPods.isSubset(of: pods))

            // Scaled by hand, the Deployment's ReplicaSet is scaled back to the Deployment's size.
            _ = try await kubectl.ok(["scale", "rs", "shop-legacy", "--replicas=5"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.spec.replicas}=3", "rs/shop-legacy", "--timeout=30s"])
            try await Self.waitForEvent(kubectl, about: "shop", message: "Scaled down replica set shop-legacy from 5 to 3")
            // Barrier: a rollout through the same controllers, then the pods left.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.barrier)
            _ = try await kubectl.ok(["rollout", "status", "deployment/barrier", "--timeout=60s"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.replicas}=3", "rs/shop-legacy", "--timeout=30s"])
            let live = try await kubectl.ok(["get", "pods", "-l", "app=shop", "-o",
                                             #"jsonpath={range .items[*]}{.metadata.name} ts={.metadata.deletionTimestamp}{"\n"}{end}"#])
            #expect(WorkloadE2E.lines(live).filter { $0.hasSuffix(" ts=") }.count == 3)
            _ = try await kubectl.ok(["rollout", "status", "deployment/shop", "--timeout=60s"])
            let table = WorkloadE2E.lines(try await kubectl.ok(["get", "deploy", "shop", "--no-headers"]))
            #expect(Array(WorkloadE2E.fields(table.first ?? "").prefix(4)) == ["shop", "3/3", "3", "3"])
        }
    }

    @Test func hashCollisionRaisesCollisionCount() async throws {
        try await WorkloadE2E.withCluster { _, kubectl in
            // The template hash does not depend on the namespace: learn the name in one, squat it in another.
            for namespace in ["first", "second"] {
                _ = try await kubectl.ok(["create", "namespace", namespace])
            }
            _ = try await kubectl.ok(["apply", "-n", "first", "-f", "-"], stdin: Self.deployment)
            _ = try await kubectl.ok(["rollout", "status", "-n", "first", "deployment/shop", "--timeout=60s"])
            let taken = try await kubectl.ok(["get", "rs", "-n", "first", "-l", "app=shop", "-o", "jsonpath={.items[0].metadata.name}"])
            #expect(taken.hasPrefix("shop-"))
            let squatter = """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: \(taken)
                spec:
                  replicas: 0
                  selector:
                    matchLabels:
                      squatter: "yes"
                  template:
                    metadata:
                      labels:
                        squatter: "yes"
                    spec:
                      containers:
                      - name: main
                        image: busybox:1.36
                """
            _ = try await kubectl.ok(["apply", "-n", "second", "-f", "-"], stdin: squatter)

            _ = try await kubectl.ok(["apply", "-n", "second", "-f", "-"], stdin: Self.deployment)
            _ = try await kubectl.ok(["rollout", "status", "-n", "second", "deployment/shop", "--timeout=60s"])
            let collisions = try await kubectl.ok(["get", "deployment", "-n", "second", "shop", "-o", "jsonpath={.status.collisionCount}"])
            #expect(collisions == "1")
            let replicaSets = try await kubectl.ok([
                "get", "rs", "-n", "second", "-o",
                #"jsonpath={range .items[*]}{.metadata.name} {.spec.replicas} {.metadata.ownerReferences[0].kind}{"\n"}{end}"#,
            ])
            let lines = WorkloadE2E.lines(replicaSets).sorted()
            let own = lines.filter { $0 != "\(taken) 0 " }
            #expect(lines.contains("\(taken) 0 "))
            #expect(own.count == 1)
            let fields = WorkloadE2E.fields(own.first ?? "")
            #expect(fields.count == 3 && fields[0].hasPrefix("shop-") && fields[0] != taken && fields[1] == "3" && fields[2] == "Deployment")
        }
    }
}
