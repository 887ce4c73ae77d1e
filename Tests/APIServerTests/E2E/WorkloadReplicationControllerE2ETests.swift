import Foundation
import Testing

/// A ReplicationController with the real kubectl against `swiftlet server --simulated-nodes 3`: it keeps
/// three pods running, replaces a deleted pod, scales down, and adopts (then deletes, when surplus) a
/// matching pod made by hand.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct WorkloadReplicationControllerE2ETests {
    static let replicationController = """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: frontend
        spec:
          replicas: 3
          selector:
            app: frontend
          template:
            metadata:
              labels:
                app: frontend
            spec:
              containers:
              - name: php-redis
                image: gcr.io/google_samples/gb-frontend:v3
        """

    /// Each line: a watch event type, the pod's name, its deletion timestamp (may be empty) and its
    /// controller's name (may be empty).
    static let watchColumns = #"jsonpath={.type} {.object.metadata.name} ts={.object.metadata.deletionTimestamp} owner={.object.metadata.ownerReferences[?(@.controller==true)].name}{"\n"}"#

    /// `name owner phase` of the live (not terminating) pods of app=frontend.
    static func livePods(_ kubectl: Kubectl) async throws -> [[String]] {
        let text = try await kubectl.ok([
            "get", "pods", "-l", "app=frontend", "-o",
            #"jsonpath={range .items[*]}{.metadata.name} ts={.metadata.deletionTimestamp} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.status.phase}{"\n"}{end}"#,
        ])
        return WorkloadE2E.lines(text).map(WorkloadE2E.fields).filter { $0.count == 4 && $0[1] == "ts=" }
            .map { [$0[0], $0[2], $0[3]] }
    }

    /// The latest state per pod from watch-event lines: nil once deleted.
    static func latest(_ lines: [String]) -> [String: (terminating: Bool, owner: String)] {
        var state: [String: (terminating: Bool, owner: String)] = [:]
        for line in lines {
            let parts = WorkloadE2E.fields(line)
            guard parts.count == 4 else { continue }
            if parts[0] == "DELETED" {
                state[parts[1]] = nil
            } else {
                state[parts[1]] = (parts[2] != "ts=", String(parts[3].dropFirst("owner=".count)))
            }
        }
        return state
    }

    @Test func replicationControllerKeepsScalesAndAdopts() async throws {
        try await WorkloadE2E.withCluster { _, kubectl in
            #expect(try await kubectl.ok(["apply", "-f", "-"], stdin: Self.replicationController)
                == "replicationcontroller/frontend created\n")
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.readyReplicas}=3", "rc/frontend", "--timeout=60s"])
            let first = try await Self.livePods(kubectl)
            #expect(first.count == 3)
            #expect(first.allSatisfy { $0[0].hasPrefix("frontend-") && $0[1] == "ReplicationController/frontend" && $0[2] == "Running" })
            let table = WorkloadE2E.lines(try await kubectl.ok(["get", "rc", "frontend"]))
            #expect(Array(WorkloadE2E.fields(table.first ?? "").prefix(5)) == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"])
            #expect(Array(WorkloadE2E.fields(table.last ?? "").prefix(4)) == ["frontend", "3", "3", "3"])

            // A deleted pod is replaced.
            let victim = try #require(first.first?[0])
            #expect(try await kubectl.ok(["delete", "pod", victim]) == "pod \"\(victim)\" deleted\n")
            let before = Set(first.map { $0[0] })
            let replaced = try await WorkloadE2E.watch(kubectl, ["get", "pods", "-l", "app=frontend", "-w",
                                                                 "--output-watch-events", "-o", Self.watchColumns]) { lines in
                Self.latest(lines).contains { !before.contains($0.key) && !$0.value.terminating }
            }
            let newcomer = try #require(Self.latest(replaced).first { !before.contains($0.key) }?.key)
            #expect(newcomer.hasPrefix("frontend-"))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/\(newcomer)", "--timeout=60s"])
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.readyReplicas}=3", "rc/frontend", "--timeout=60s"])
            let second = try await Self.livePods(kubectl)
            #expect(Set(second.map { $0[0] }) == before.subtracting([victim]).union([newcomer]))
            let describe = try await kubectl.ok(["describe", "rc", "frontend"])
            #expect(describe.contains("Created pod: \(newcomer)"))
            #expect(describe.contains("3 Running / 0 Waiting / 0 Succeeded / 0 Failed"))

            // Scale down to one.
            #expect(try await kubectl.ok(["scale", "rc", "frontend", "--replicas=1"]) == "replicationcontroller/frontend scaled\n")
            // status.replicas counts pods that are not terminating: written once the deletions are seen.
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.replicas}=1", "rc/frontend", "--timeout=60s"])
            let third = try await Self.livePods(kubectl)
            #expect(third.count == 1)
            let survivor = try #require(third.first?[0])

            // A matching pod made by hand is adopted; one of the two is then surplus and deleted.
            let adoption = try await WorkloadE2E.watch(kubectl, ["get", "pods", "-l", "app=frontend", "-w",
                                                                 "--output-watch-events", "-o", Self.watchColumns],
                                                       afterFirstLine: {
                let created = try await kubectl.ok(["run", "manual", "--image=nginx:1.27", "--labels=app=frontend"])
                #expect(created == "pod/manual created\n")
            }) { lines in
                let live = Self.latest(lines).filter { !$0.value.terminating }
                let adopted = lines.contains { WorkloadE2E.fields($0).first != "DELETED" && $0.contains(" manual ") && $0.hasSuffix("owner=frontend") }
                return adopted && live.count == 1
            }
            #expect(adoption.contains { $0.contains(" manual ") && $0.hasSuffix("owner=frontend") })
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.replicas}=1", "rc/frontend", "--timeout=60s"])
            let fourth = try await Self.livePods(kubectl)
            #expect(fourth.count == 1)
            #expect(fourth.first?[1] == "ReplicationController/frontend")
            #expect([survivor, "manual"].contains(fourth.first?[0] ?? ""))
            let deletions = try await kubectl.ok(["get", "events", "--field-selector", "involvedObject.kind=ReplicationController,reason=SuccessfulDelete",
                                                  "-o", #"jsonpath={range .items[*]}{.message}{"\n"}{end}"#])
            let deleted = fourth.first?[0] == "manual" ? survivor : "manual"
            #expect(deletions.contains("Deleted pod: \(deleted)"))
        }
    }
}
