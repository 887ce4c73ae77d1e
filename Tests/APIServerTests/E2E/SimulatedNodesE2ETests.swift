import Foundation
import Testing

/// `swiftlet server --simulated-nodes N` with the real kubectl: hollow nodes register, heartbeat and run
/// scheduled pods; a stopped node goes Unknown, is tainted unreachable, and its pods come back on the others.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct SimulatedNodesE2ETests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              tolerations:
              - key: node.kubernetes.io/unreachable
                operator: Exists
                effect: NoExecute
                tolerationSeconds: 1
              containers:
              - name: nginx
                image: nginx:1.27
        """

    @Test func simulatedNodesRunScheduledPods() async throws {
        try await withSwiftletServer(arguments: { _ in ["--simulated-nodes", "3", "--simulated-node-cpu", "4"] }) { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "node", "--all", "--timeout=60s"])
            let nodes = try await kubectl.ok(["get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.capacity.cpu} {.status.nodeInfo.kubeletVersion}{\"\\n\"}{end}"])
            #expect(nodes.split(separator: "\n").sorted() == [
                "sim-node-0 4 v1.32.0-swiftlet", "sim-node-1 4 v1.32.0-swiftlet", "sim-node-2 4 v1.32.0-swiftlet",
            ])
            let leases = try await kubectl.ok(["get", "leases", "-n", "kube-node-lease", "-o", "name"])
            #expect(leases.split(separator: "\n").count == 3)

            _ = try await kubectl.ok(["run", "solo", "--image=nginx:1.27"])
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/solo", "--timeout=60s"])
            let placed = try await kubectl.ok(["get", "pod", "solo", "-o", "jsonpath={.spec.nodeName} {.status.phase} {.status.podIP}"])
            let fields = placed.split(separator: " ").map(String.init)
            #expect(fields.count == 3)
            #expect(fields.first?.hasPrefix("sim-node-") == true)
            #expect(fields.dropFirst().first == "Running")
            #expect(fields.last?.hasPrefix("10.") == true)
            let events = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.name=solo", "-o",
                                               "jsonpath={range .items[*]}{.reason}:{.message}{\"\\n\"}{end}"])
            #expect(events.contains("Scheduled:Successfully assigned default/solo to \(fields[0])"))

            // A pod no node can hold stays Pending with upstream's explanation.
            _ = try await kubectl.ok(["run", "huge", "--image=nginx:1.27", "--overrides",
                                      #"{"spec":{"containers":[{"name":"huge","image":"nginx:1.27","resources":{"requests":{"cpu":"64"}}}]}}"#])
            _ = try await kubectl.ok(["wait", "--for=condition=PodScheduled=False", "pod/huge", "--timeout=60s"])
            let reason = try await kubectl.ok(["get", "pod", "huge", "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].message}"])
            #expect(reason.hasPrefix("0/3 nodes are available: 3 Insufficient cpu."))

            // Deleting a running pod: the node confirms and the pod is gone.
            _ = try await kubectl.ok(["delete", "pod", "solo", "--wait=true", "--timeout=60s"])
            let left = try await kubectl.run(["get", "pod", "solo"])
            #expect(left.status != 0)
        }
    }

    @Test func stoppedNodesPodsReappearOnOtherNodes() async throws {
        try await withSwiftletServer(arguments: { _ in ["--simulated-nodes", "3", "--node-monitor-grace-period", "3"] }) { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "node", "--all", "--timeout=60s"])
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment)
            _ = try await kubectl.ok(["rollout", "status", "deployment/web", "--timeout=90s"])
            let placement = try await kubectl.ok(["get", "pods", "-l", "app=web", "-o",
                                                  "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName}{\"\\n\"}{end}"])
            let pods = placement.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            let status = try await kubectl.ok(["get", "deployment", "web", "-o", "jsonpath={.status}"])
            try #require(pods.count == 3 && pods.allSatisfy { $0.count == 2 },
                         "after rollout status: pods \(placement), deployment status \(status)")
            let victim = try #require(pods.first?.last)
            let evicted = pods.filter { $0.last == victim }.map { $0[0] }

            _ = try await kubectl.ok(["annotate", "node", victim, "simulation.swiftlet.dev/stopped=true"])
            _ = try await kubectl.ok(["wait", "--for=condition=Ready=Unknown", "node/\(victim)", "--timeout=60s"])
            let taints = try await kubectl.ok(["get", "node", victim, "-o", "jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}"])
            #expect(taints.contains("node.kubernetes.io/unreachable:NoExecute"))
            #expect(taints.contains("node.kubernetes.io/unreachable:NoSchedule"))
            // Evicted pods are deleted gracefully; their unreachable node never confirms, so (as upstream) they
            // stay Terminating while their replacements run elsewhere.
            for pod in evicted {
                _ = try await kubectl.ok(["wait", "--for=jsonpath={.metadata.deletionGracePeriodSeconds}=30", "pod/\(pod)",
                                          "--timeout=60s"])
            }
            _ = try await kubectl.ok(["rollout", "status", "deployment/web", "--timeout=90s"])
            let after = try await kubectl.ok(["get", "pods", "-l", "app=web", "--field-selector=status.phase=Running", "-o",
                                              "jsonpath={range .items[*]}{.spec.nodeName} {.metadata.deletionTimestamp}{\"\\n\"}{end}"])
            let nodes = after.split(separator: "\n").filter { $0.split(separator: " ").count == 1 }.map(String.init)
            #expect(nodes.count == 3)
            #expect(!nodes.contains(victim))
        }
    }
}
