import Foundation
import Testing

/// Deployment strategies with the real kubectl against `swiftlet server --simulated-nodes 3`: Recreate
/// removes every old pod before the first new one exists; a rolling update whose new pods cannot be
/// scheduled stops within its surge and unavailability budget, is scaled proportionally (upstream's
/// documented 10 → 15 example) and exceeds its progress deadline with upstream's wording; a new template
/// during a stuck rollout rolls over, scaling the intermediate ReplicaSet down.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct WorkloadDeploymentStrategiesE2ETests {
    static let recreate = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: batch
        spec:
          replicas: 2
          strategy:
            type: Recreate
          selector:
            matchLabels:
              app: batch
          template:
            metadata:
              labels:
                app: batch
            spec:
              containers:
              - name: worker
                image: busybox:1.36
        """

    static let rolling = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: wide
        spec:
          replicas: 10
          strategy:
            rollingUpdate:
              maxSurge: 3
              maxUnavailable: 2
          selector:
            matchLabels:
              app: wide
          template:
            metadata:
              labels:
                app: wide
            spec:
              containers:
              - name: nginx
                image: nginx:1.25
        """

    /// Each line: a watch event type, the pod's name, its pod-template-hash and deletion timestamp.
    static let watchColumns = #"jsonpath={.type} {.object.metadata.name} hash={.object.metadata.labels.pod-template-hash} ts={.object.metadata.deletionTimestamp}{"\n"}"#

    @Test func recreateRemovesOldPodsBeforeCreatingNewOnes() async throws {
        try await WorkloadE2E.withCluster { _, kubectl in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.recreate)
            _ = try await kubectl.ok(["rollout", "status", "deployment/batch", "--timeout=60s"])
            let oldHash = try await kubectl.ok(["get", "rs", "-l", "app=batch", "-o", "jsonpath={.items[0].metadata.labels.pod-template-hash}"])

            // New-template pods that appeared while a pod of the old template still existed.
            var violations: [String] = []
            let lines = try await WorkloadE2E.watch(kubectl, ["get", "pods", "-l", "app=batch", "-w", "--output-watch-events",
                                                              "-o", Self.watchColumns],
                                                    afterFirstLine: {
                _ = try await kubectl.ok(["set", "image", "deployment/batch", "worker=busybox:1.37"])
            }) { lines in
                var present: [String: String] = [:]
                for line in lines {
                    let parts = WorkloadE2E.fields(line)
                    guard parts.count == 4 else { continue }
                    let hash = String(parts[2].dropFirst("hash=".count))
                    if parts[0] == "DELETED" {
                        present[parts[1]] = nil
                        continue
                    }
                    if parts[0] == "ADDED", hash != oldHash, present[parts[1]] == nil,
                       present.values.contains(oldHash)
                    {
                        violations.append(line)
                    }
                    present[parts[1]] = hash
                }
                return present.count == 2 && present.values.allSatisfy { $0 != oldHash }
            }
            #expect(violations.isEmpty, "new pods created while old ones existed: \(lines)")
            _ = try await kubectl.ok(["rollout", "status", "deployment/batch", "--timeout=60s"])

            let events = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.name=batch", "-o",
                                               #"jsonpath={range .items[*]}{.metadata.resourceVersion} {.message}{"\n"}{end}"#])
            let messages = WorkloadE2E.lines(events)
                .compactMap { line -> (Int, String)? in
                    guard let space = line.firstIndex(of: " "), let version = Int(line[..<space]) else { return nil }
                    return (version, String(line[line.index(after: space)...]))
                }
                .sorted { $0.0 < $1.0 }.map(\.1)
            let replicaSets = try await kubectl.ok(["get", "rs", "-l", "app=batch", "-o",
                                                    #"jsonpath={range .items[*]}{.metadata.name} {.spec.replicas}{"\n"}{end}"#])
            let sizes = Dictionary(uniqueKeysWithValues: WorkloadE2E.lines(replicaSets).map {
                (WorkloadE2E.fields($0)[0], WorkloadE2E.fields($0)[1])
            })
            let oldName = "batch-\(oldHash)"
            let newReplicaSet = try #require(sizes.keys.first { $0 != oldName })
            #expect(sizes == [oldName: "0", newReplicaSet: "2"])
            #expect(messages == [
                "Scaled up replica set \(oldName) from 0 to 2",
                "Scaled down replica set \(oldName) from 2 to 0",
                "Scaled up replica set \(newReplicaSet) from 0 to 2",
            ])
        }
    }

    @Test func stuckRollingUpdateScalesProportionallyAndExceedsItsDeadline() async throws {
        try await WorkloadE2E.withCluster { _, kubectl in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.rolling)
            _ = try await kubectl.ok(["rollout", "status", "deployment/wide", "--timeout=60s"])
            let oldName = "wide-" + (try await kubectl.ok(["get", "rs", "-l", "app=wide", "-o",
                                                           "jsonpath={.items[0].metadata.labels.pod-template-hash}"]))

            // New pods no node can hold: the rollout stops at 8 old + 5 new (10 + maxSurge 3, 10 - maxUnavailable 2 available).
            // The short deadline comes with the change, so a slow first rollout cannot exceed it.
            _ = try await kubectl.ok(["patch", "deployment/wide", "-p",
                                      #"{"spec":{"progressDeadlineSeconds":3,"template":{"spec":{"containers":[{"name":"nginx","resources":{"requests":{"cpu":"100"}}}]}}}}"#])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.spec.replicas}=8", "rs/\(oldName)", "--timeout=30s"])
            let stuck = try await kubectl.run(["rollout", "status", "deployment/wide", "--timeout=60s"])
            #expect(stuck.status == 1)
            #expect(stuck.stderr == "error: deployment \"wide\" exceeded its progress deadline\n")
            let newName = try await kubectl.ok(["get", "rs", "-l", "app=wide,pod-template-hash!=\(oldName.dropFirst("wide-".count))",
                                                "-o", "jsonpath={.items[0].metadata.name}"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.spec.replicas}=5", "rs/\(newName)", "--timeout=30s"])
            let progressing = try await kubectl.ok(["get", "deployment", "wide", "-o",
                                                    #"jsonpath={.status.conditions[?(@.type=="Progressing")].reason}: {.status.conditions[?(@.type=="Progressing")].message}"#])
            #expect(progressing == "ProgressDeadlineExceeded: ReplicaSet \"\(newName)\" has timed out progressing.")

            // Scaling to 15 adds 5 replicas: 3 to the old ReplicaSet and 2 to the new one.
            _ = try await kubectl.ok(["scale", "deployment/wide", "--replicas=15"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.spec.replicas}=11", "rs/\(oldName)", "--timeout=30s"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.spec.replicas}=7", "rs/\(newName)", "--timeout=30s"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.availableReplicas}=11", "deployment/wide", "--timeout=60s"])
            let annotations = try await kubectl.ok(["get", "rs", oldName, newName, "-o",
                                                    #"jsonpath={range .items[*]}{.metadata.annotations.deployment\.kubernetes\.io/desired-replicas}/{.metadata.annotations.deployment\.kubernetes\.io/max-replicas} {end}"#])
            #expect(annotations == "15/18 15/18 ")
            let table = WorkloadE2E.lines(try await kubectl.ok(["get", "deploy", "wide", "--no-headers"]))
            #expect(Array(WorkloadE2E.fields(table.first ?? "").prefix(4)) == ["wide", "11/15", "7", "11"])
        }
    }

    /// `name → spec.replicas` of the ReplicaSets of app=`app`.
    static func sizes(_ kubectl: Kubectl, app: String) async throws -> [String: Int] {
        let text = try await kubectl.ok(["get", "rs", "-l", "app=\(app)", "-o",
                                         #"jsonpath={range .items[*]}{.metadata.name} {.spec.replicas}{"\n"}{end}"#])
        var sizes: [String: Int] = [:]
        for line in WorkloadE2E.lines(text) {
            let parts = WorkloadE2E.fields(line)
            if parts.count == 2, let size = Int(parts[1]) { sizes[parts[0]] = size }
        }
        return sizes
    }

    @Test func rolloverScalesTheIntermediateReplicaSetDown() async throws {
        try await WorkloadE2E.withCluster { _, kubectl in
            let deployment = Self.rolling.replacingOccurrences(of: "name: wide", with: "name: roll")
                .replacingOccurrences(of: "app: wide", with: "app: roll")
                .replacingOccurrences(of: "replicas: 10", with: "replicas: 4")
                .replacingOccurrences(of: "maxSurge: 3", with: "maxSurge: 1")
                .replacingOccurrences(of: "maxUnavailable: 2", with: "maxUnavailable: 1")
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: deployment)
            _ = try await kubectl.ok(["rollout", "status", "deployment/roll", "--timeout=60s"])
            let first = try #require(try await Self.sizes(kubectl, app: "roll").first?.key)

            // B cannot be scheduled: it stops at 2 beside 3 of the first (4 + 1 surge, 4 - 1 available).
            _ = try await kubectl.ok(["set", "resources", "deployment/roll", "--requests=cpu=100"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.spec.replicas}=3", "rs/\(first)", "--timeout=30s"])
            let stuck = try await Self.sizes(kubectl, app: "roll")
            let second = try #require(stuck.keys.first { $0 != first })
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.spec.replicas}=2", "rs/\(second)", "--timeout=30s"])

            // C (another unschedulable template): B's unavailable pods make room, B goes to 0 and C takes its 2.
            _ = try await kubectl.ok(["set", "image", "deployment/roll", "nginx=nginx:1.29"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.spec.replicas}=0", "rs/\(second)", "--timeout=30s"])
            let rolled = try await Self.sizes(kubectl, app: "roll")
            let third = try #require(rolled.keys.first { $0 != first && $0 != second })
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.spec.replicas}=2", "rs/\(third)", "--timeout=30s"])
            #expect(try await Self.sizes(kubectl, app: "roll")[first] == 3)

            // D (schedulable again) completes; every other ReplicaSet ends at 0.
            _ = try await kubectl.ok(["set", "resources", "deployment/roll", "--requests=cpu=100m"])
            _ = try await kubectl.ok(["rollout", "status", "deployment/roll", "--timeout=60s"])
            let final = try await Self.sizes(kubectl, app: "roll")
            let fourth = try #require(final.keys.first { ![first, second, third].contains($0) })
            #expect(final == [first: 0, second: 0, third: 0, fourth: 4])
            let events = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.name=roll", "-o",
                                               #"jsonpath={range .items[*]}{.message}{"\n"}{end}"#])
            #expect(events.contains("Scaled down replica set \(second) from 2 to 0"))
            #expect(events.contains("Scaled up replica set \(fourth) from 0 to"))
        }
    }
}
