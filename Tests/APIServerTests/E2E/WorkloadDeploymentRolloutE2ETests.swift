import Foundation
import Testing

/// A Deployment's life with the real kubectl (the dispatcher and 1.27) against `swiftlet server
/// --simulated-nodes 3`: rollout with change-causes, history, undo to a revision, pause and resume, restart,
/// scale, revisionHistoryLimit cleanup, and the get/describe views.
@Suite(.enabled(if: Kubectl.isInstalled && Kubectl.path("kubectl.1.27") != nil, "needs kubectl and kubectl.1.27"))
struct WorkloadDeploymentRolloutE2ETests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations:
            kubernetes.io/change-cause: create nginx 1.25
        spec:
          replicas: 3
          revisionHistoryLimit: 2
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: nginx
                image: nginx:1.25
        """

    /// `name image replicas` of each ReplicaSet of app=web, keyed by its revision.
    static func replicaSets(_ kubectl: Kubectl) async throws -> [Int: (name: String, image: String, replicas: Int)] {
        let text = try await kubectl.ok([
            "get", "rs", "-l", "app=web", "-o",
            #"jsonpath={range .items[*]}{.metadata.annotations.deployment\.kubernetes\.io/revision} {.metadata.name} {.spec.template.spec.containers[0].image} {.spec.replicas}{"\n"}{end}"#,
        ])
        var result: [Int: (name: String, image: String, replicas: Int)] = [:]
        for line in WorkloadE2E.lines(text) {
            let parts = WorkloadE2E.fields(line)
            guard parts.count == 4, let revision = Int(parts[0]), let replicas = Int(parts[3]) else {
                Issue.record("unexpected ReplicaSet line \(line)")
                continue
            }
            result[revision] = (parts[1], parts[2], replicas)
        }
        return result
    }

    /// The history table of `kubectl rollout history` (without its `deployment.apps/web` title line).
    static func historyTable(_ kubectl: Kubectl) async throws -> [String] {
        let text = try await kubectl.ok(["rollout", "history", "deployment/web"])
        let lines = WorkloadE2E.lines(text)
        #expect(lines.first?.trimmingCharacters(in: .whitespaces) == "deployment.apps/web")
        return Array(lines.dropFirst())
    }

    @Test func rolloutHistoryUndoPauseRestartScale() async throws {
        try await WorkloadE2E.withCluster { server, kubectl in
            let kubectl127 = try Kubectl("kubectl.1.27", server: server)

            // Revision 1.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment)
            let firstStatus = try await kubectl127.ok(["rollout", "status", "deployment/web", "--timeout=60s"])
            #expect(WorkloadE2E.lines(firstStatus).last == #"deployment "web" successfully rolled out"#)
            let first = try await Self.replicaSets(kubectl)
            let revision1 = try #require(first[1])
            #expect(first.count == 1)
            #expect(revision1.image == "nginx:1.25" && revision1.replicas == 3)

            // Revision 2: set image, then record why.
            let setImage = try await kubectl.ok(["set", "image", "deployment/web", "nginx=nginx:1.26"])
            #expect(setImage == "deployment.apps/web image updated\n")
            _ = try await kubectl.ok(["annotate", "--overwrite", "deployment/web",
                                      "kubernetes.io/change-cause=update nginx to 1.26"])
            let secondStatus = try await kubectl.ok(["rollout", "status", "deployment/web", "--timeout=60s"])
            #expect(WorkloadE2E.lines(secondStatus).last == #"deployment "web" successfully rolled out"#)
            let second = try await Self.replicaSets(kubectl)
            let revision2 = try #require(second[2])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.metadata.annotations.kubernetes\\.io/change-cause}=update nginx to 1.26",
                                      "rs/\(revision2.name)", "--timeout=30s"])
            #expect(second.count == 2)
            #expect(revision2.image == "nginx:1.26" && revision2.replicas == 3)
            #expect(second[1]?.name == revision1.name && second[1]?.replicas == 0)

            for client in [kubectl, kubectl127] {
                #expect(try await Self.historyTable(client) == [
                    "REVISION  CHANGE-CAUSE",
                    "1         create nginx 1.25",
                    "2         update nginx to 1.26",
                ])
            }
            let historyOfOne = try await kubectl127.ok(["rollout", "history", "deployment/web", "--revision=1"])
            let historyLines = WorkloadE2E.lines(historyOfOne)
            #expect(historyLines.first == "deployment.apps/web with revision #1")
            #expect(historyLines.dropFirst().first == "Pod Template:")
            #expect(historyLines.contains { WorkloadE2E.fields($0) == ["Image:", "nginx:1.25"] })
            #expect(historyLines.contains { $0.contains("kubernetes.io/change-cause: create nginx 1.25") })
            #expect(!historyOfOne.contains("nginx:1.26"))

            // The views: get and describe.
            let table = WorkloadE2E.lines(try await kubectl.ok(["get", "deploy", "web"]))
            #expect(table.count == 2)
            #expect(Array(WorkloadE2E.fields(table.first ?? "").prefix(5)) == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
            #expect(Array(WorkloadE2E.fields(table.last ?? "").prefix(4)) == ["web", "3/3", "3", "3"])
            let describe = try await kubectl.ok(["describe", "deployment", "web"])
            #expect(describe.contains("NewReplicaSet:   \(revision2.name) (3/3 replicas created)"))
            #expect(describe.contains("OldReplicaSets:"))
            #expect(describe.contains("Scaled up replica set \(revision1.name) from 0 to 3"))
            #expect(describe.contains("Scaled up replica set \(revision2.name) from 0 to 1"))
            #expect(describe.contains("Scaled down replica set \(revision1.name) from 3 to 2"))
            let eventLines = WorkloadE2E.lines(describe).filter { $0.contains("ScalingReplicaSet") }
            #expect(!eventLines.isEmpty)
            #expect(eventLines.allSatisfy { $0.contains("deployment-controller") && $0.contains("Normal") })

            // Undo to revision 1: its ReplicaSet comes back as revision 3.
            let undo = try await kubectl127.ok(["rollout", "undo", "deployment/web", "--to-revision=1"])
            #expect(undo == "deployment.apps/web rolled back\n")
            _ = try await kubectl127.ok(["rollout", "status", "deployment/web", "--timeout=60s"])
            let image = try await kubectl.ok(["get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
            #expect(image == "nginx:1.25")
            let third = try await Self.replicaSets(kubectl)
            #expect(third.count == 2)
            #expect(third[3]?.name == revision1.name && third[3]?.replicas == 3)
            #expect(third[2]?.name == revision2.name && third[2]?.replicas == 0)
            #expect(third[1] == nil)
            #expect(try await Self.historyTable(kubectl127) == [
                "REVISION  CHANGE-CAUSE",
                "2         update nginx to 1.26",
                "3         create nginx 1.25",
            ])

            // Paused: a template change makes no ReplicaSet until resumed.
            #expect(try await kubectl.ok(["rollout", "pause", "deployment/web"]) == "deployment.apps/web paused\n")
            _ = try await kubectl.ok(["set", "image", "deployment/web", "nginx=nginx:1.27"])
            let generation = try await kubectl.ok(["get", "deployment", "web", "-o", "jsonpath={.metadata.generation}"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.observedGeneration}=\(generation)", "deployment/web", "--timeout=30s"])
            let paused = try await Self.replicaSets(kubectl)
            #expect(paused.count == 2)
            #expect(paused[3]?.replicas == 3)
            let progressing = try await kubectl.ok(["get", "deployment", "web", "-o",
                                                    #"jsonpath={.status.conditions[?(@.type=="Progressing")].reason}"#])
            #expect(progressing == "DeploymentPaused")
            #expect(try await kubectl.ok(["rollout", "resume", "deployment/web"]) == "deployment.apps/web resumed\n")
            _ = try await kubectl.ok(["rollout", "status", "deployment/web", "--timeout=60s"])
            let resumed = try await Self.replicaSets(kubectl)
            #expect(resumed.count == 3)
            #expect(resumed[4]?.image == "nginx:1.27" && resumed[4]?.replicas == 3)

            // Restart: a new ReplicaSet with the same image; the oldest beyond revisionHistoryLimit goes.
            #expect(try await kubectl.ok(["rollout", "restart", "deployment/web"]) == "deployment.apps/web restarted\n")
            _ = try await kubectl.ok(["rollout", "status", "deployment/web", "--timeout=60s"])
            _ = try await kubectl.ok(["wait", "--for=delete", "rs/\(revision2.name)", "--timeout=30s"])
            let restarted = try await Self.replicaSets(kubectl)
            #expect(restarted.keys.sorted() == [3, 4, 5])
            #expect(restarted[5]?.image == "nginx:1.27" && restarted[5]?.replicas == 3)
            #expect(restarted[5]?.name != resumed[4]?.name)
            #expect(restarted[3]?.replicas == 0 && restarted[4]?.replicas == 0)
            let restartedAt = try await kubectl.ok(["get", "deployment", "web", "-o",
                                                    #"jsonpath={.spec.template.metadata.annotations.kubectl\.kubernetes\.io/restartedAt}"#])
            #expect(!restartedAt.isEmpty)
            #expect(try await Self.historyTable(kubectl).map { WorkloadE2E.fields($0).first ?? "" } == ["REVISION", "3", "4", "5"])

            // Scale.
            #expect(try await kubectl.ok(["scale", "deployment/web", "--replicas=5"]) == "deployment.apps/web scaled\n")
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.availableReplicas}=5", "deployment/web", "--timeout=60s"])
            _ = try await kubectl.ok(["rollout", "status", "deployment/web", "--timeout=60s"])
            let scaled = WorkloadE2E.lines(try await kubectl.ok(["get", "deploy", "web", "--no-headers"]))
            #expect(Array(WorkloadE2E.fields(scaled.first ?? "").prefix(4)) == ["web", "5/5", "5", "5"])
            let running = try await kubectl.ok(["get", "pods", "-l", "app=web", "--field-selector=status.phase=Running", "-o", "name"])
            #expect(WorkloadE2E.lines(running).count == 5)
            #expect(try await Self.replicaSets(kubectl)[5]?.replicas == 5)
        }
    }
}
