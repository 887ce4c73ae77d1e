import Foundation
import Testing

/// A ReplicaSet with a set-based selector (`environment in (production, qa), tier notin (frontend, backend)`)
/// with the real kubectl against `swiftlet server --simulated-nodes 3`: it adopts exactly the matching pods
/// made beforehand, creates none while they suffice, adds one when scaled up, releases and replaces a pod
/// relabelled out of its selector, and invalid ReplicaSets are refused with upstream's 422 messages.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct WorkloadReplicaSetSelectorE2ETests {
    /// Pods made by hand: name → labels, and whether the selector matches them.
    static let handMade: [(name: String, labels: String, matches: Bool)] = [
        ("prod-cache", "environment=production,tier=cache", true),
        ("qa-untiered", "environment=qa", true),
        ("qa-db", "environment=qa,tier=db", true),
        ("prod-frontend", "environment=production,tier=frontend", false),
        ("qa-backend", "environment=qa,tier=backend", false),
        ("dev-cache", "environment=dev,tier=cache", false),
        ("unlabelled", "run=unlabelled", false),
    ]

    static func replicaSet(replicas: Int) -> String {
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: sets
        spec:
          replicas: \(replicas)
          selector:
            matchExpressions:
            - {key: environment, operator: In, values: [production, qa]}
            - {key: tier, operator: NotIn, values: [frontend, backend]}
          template:
            metadata:
              labels:
                environment: production
                tier: cache
            spec:
              containers:
              - name: cache
                image: redis:7
        """
    }

    static func invalidReplicaSet(replicas: Int, templateApp: String) -> String {
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: bad
        spec:
          replicas: \(replicas)
          selector:
            matchLabels:
              app: one
          template:
            metadata:
              labels:
                app: \(templateApp)
            spec:
              containers:
              - name: c
                image: nginx:1.27
        """
    }

    /// name → `Kind/name/uid` of its controller (empty when none), for every pod in the namespace.
    static func controllers(_ kubectl: Kubectl) async throws -> [String: String] {
        let text = try await kubectl.ok([
            "get", "pods", "-o",
            #"jsonpath={range .items[*]}{.metadata.name} ={.metadata.ownerReferences[?(@.controller==true)].kind}/{.metadata.ownerReferences[?(@.controller==true)].name}/{.metadata.ownerReferences[?(@.controller==true)].uid}{"\n"}{end}"#,
        ])
        var result: [String: String] = [:]
        for line in WorkloadE2E.lines(text) {
            let parts = WorkloadE2E.fields(line)
            guard parts.count == 2 else { continue }
            result[parts[0]] = parts[1] == "=//" ? "" : String(parts[1].dropFirst())
        }
        return result
    }

    @Test func setBasedSelectorAdoptsExactlyTheMatchingPods() async throws {
        try await WorkloadE2E.withCluster { _, kubectl in
            for pod in Self.handMade {
                _ = try await kubectl.ok(["run", pod.name, "--image=redis:7", "--labels=\(pod.labels)"])
            }
            let matching = Self.handMade.filter(\.matches).map(\.name)
            let selected = try await kubectl.ok(["get", "pods", "-l", "environment in (production, qa),tier notin (frontend, backend)", "-o", "name"])
            #expect(Set(WorkloadE2E.lines(selected)) == Set(matching.map { "pod/\($0)" }))

            #expect(try await kubectl.ok(["apply", "-f", "-"], stdin: Self.replicaSet(replicas: matching.count))
                == "replicaset.apps/sets created\n")
            let uid = try await kubectl.ok(["get", "rs", "sets", "-o", "jsonpath={.metadata.uid}"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.observedGeneration}=1", "rs/sets", "--timeout=30s"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.readyReplicas}=\(matching.count)", "rs/sets", "--timeout=60s"])
            // Only prod-cache carries every label of the template.
            let counts = try await kubectl.ok(["get", "rs", "sets", "-o", "jsonpath={.status.replicas} {.status.fullyLabeledReplicas} {.status.availableReplicas}"])
            #expect(counts == "\(matching.count) 1 \(matching.count)")
            let adopted = try await Self.controllers(kubectl)
            #expect(adopted.count == Self.handMade.count, "no pod was created: \(adopted.keys.sorted())")
            for pod in Self.handMade {
                #expect(adopted[pod.name] == (pod.matches ? "ReplicaSet/sets/\(uid)" : ""), "\(pod.name)")
            }
            let blocking = try await kubectl.ok(["get", "pod", "prod-cache", "-o",
                                                 "jsonpath={.metadata.ownerReferences[0].apiVersion} {.metadata.ownerReferences[0].blockOwnerDeletion}"])
            #expect(blocking == "apps/v1 true")
            let creations = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.name=sets,reason=SuccessfulCreate", "-o", "name"])
            #expect(creations.isEmpty)

            // One more replica: exactly one new pod from the template.
            #expect(try await kubectl.ok(["scale", "rs", "sets", "--replicas=\(matching.count + 1)"]) == "replicaset.apps/sets scaled\n")
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.readyReplicas}=\(matching.count + 1)", "rs/sets", "--timeout=60s"])
            let scaled = try await Self.controllers(kubectl)
            let created = scaled.keys.filter { !Self.handMade.map(\.name).contains($0) }
            #expect(created.count == 1)
            let newcomer = try #require(created.first)
            #expect(newcomer.hasPrefix("sets-"))
            #expect(scaled[newcomer] == "ReplicaSet/sets/\(uid)")
            let labels = try await kubectl.ok(["get", "pod", newcomer, "-o", "jsonpath={.metadata.labels.environment} {.metadata.labels.tier}"])
            #expect(labels == "production cache")
            let events = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.name=sets", "-o",
                                               #"jsonpath={range .items[*]}{.reason} {.source.component}: {.message}{"\n"}{end}"#])
            #expect(WorkloadE2E.lines(events) == ["SuccessfulCreate replicaset-controller: Created pod: \(newcomer)"])
            // A pod relabelled out of the selector is released and replaced.
            let known = Set(scaled.keys)
            let columns = #"jsonpath={.type} {.object.metadata.name} owner={.object.metadata.ownerReferences[?(@.controller==true)].name}{"\n"}"#
            let released = try await WorkloadE2E.watch(kubectl, ["get", "pods", "-w", "--output-watch-events", "-o", columns],
                                                       afterFirstLine: {
                _ = try await kubectl.ok(["label", "pod", newcomer, "tier=frontend", "--overwrite"])
            }) { lines in
                let parsed = lines.map(WorkloadE2E.fields).filter { $0.count == 3 && $0[0] != "DELETED" }
                let orphaned = parsed.contains { $0[1] == newcomer && $0[2] == "owner=" }
                let replacement = parsed.contains { !known.contains($0[1]) && $0[2] == "owner=sets" }
                return orphaned && replacement
            }
            let replacement = try #require(released.map(WorkloadE2E.fields).first { $0.count == 3 && !known.contains($0[1]) }?[1])
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/\(replacement)", "--timeout=60s"])
            let afterRelease = try await Self.controllers(kubectl)
            #expect(afterRelease[newcomer] == "")
            #expect(afterRelease[replacement] == "ReplicaSet/sets/\(uid)")
            #expect(afterRelease.values.filter { $0 == "ReplicaSet/sets/\(uid)" }.count == matching.count + 1)
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.readyReplicas}=\(matching.count + 1)", "rs/sets", "--timeout=60s"])

            let table = WorkloadE2E.lines(try await kubectl.ok(["get", "rs", "sets"]))
            #expect(Array(WorkloadE2E.fields(table.first ?? "").prefix(5)) == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"])
            #expect(Array(WorkloadE2E.fields(table.last ?? "").prefix(4)) == ["sets", "4", "4", "4"])
        }
    }

    @Test func invalidReplicaSetsAreRefused() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let mismatch = try await kubectl.run(["apply", "-f", "-"], stdin: Self.invalidReplicaSet(replicas: 1, templateApp: "other"))
            #expect(mismatch.status == 1)
            #expect(mismatch.stderr == """
                The ReplicaSet "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`

                """)
            let negative = try await kubectl.run(["create", "-f", "-"], stdin: Self.invalidReplicaSet(replicas: -1, templateApp: "one"))
            #expect(negative.status == 1)
            #expect(negative.stderr == """
                The ReplicaSet "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0

                """)
            let missing = try await kubectl.run(["get", "rs", "bad"])
            #expect(missing.stderr.contains(#"replicasets.apps "bad" not found"#))
        }
    }
}
