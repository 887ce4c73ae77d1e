import Foundation
import Testing

/// The real kubectl against `swiftlet server` with the garbage collector and the namespace controller:
/// cascading deletes (background, orphan, foreground), references to absent owners, and namespace deletion.
/// Pods come from the ReplicaSet and Deployment controllers; ownership by hand uses ConfigMaps, which no
/// controller manages.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct GarbageCollectionKubectlE2ETests {
    static func replicaSet(_ name: String, replicas: Int) -> String {
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: \(name)
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
              - name: c
                image: nginx
        """
    }

    static func configMap(_ name: String, owners: [(name: String, uid: String)] = []) -> String {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\n"
        if !owners.isEmpty {
            text += "  ownerReferences:\n"
            for owner in owners {
                text += "  - {apiVersion: v1, kind: ConfigMap, name: \(owner.name), uid: \(owner.uid)}\n"
            }
        }
        return text
    }

    /// Re-reads with kubectl until `done` holds for stdout (each read is a round trip; no sleeping).
    @discardableResult
    static func eventually(_ kubectl: Kubectl, _ arguments: [String], attempts: Int = 600,
                           _ done: (String) -> Bool) async throws -> String {
        var last = ""
        for _ in 0..<attempts {
            last = try await kubectl.ok(arguments)
            if done(last) { return last }
        }
        Issue.record("kubectl \(arguments.joined(separator: " ")) never matched; last output: \(last)")
        return last
    }

    /// The names (`pod/...`) of the two pods the ReplicaSet controller creates for `app`.
    static func twoPods(_ kubectl: Kubectl, app: String, namespace: String = "default") async throws -> [String] {
        let names = try await eventually(kubectl, ["get", "pods", "-n", namespace, "-l", "app=\(app)", "-o", "name"]) {
            $0.split(separator: "\n").count == 2
        }
        return names.split(separator: "\n").map(String.init)
    }

    @Test func deletingADeploymentRemovesItsReplicaSetsAndTheirPods() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "deployment", "x", "--image=nginx", "--replicas=2"])
            let pods = try await Self.twoPods(kubectl, app: "x")
            let replicaSets = try await kubectl.ok(["get", "rs", "-l", "app=x", "-o", "name"])
                .split(separator: "\n").map(String.init)
            #expect(replicaSets.count == 1)
            let deleted = try await kubectl.ok(["delete", "deployment", "x"])
            #expect(deleted.contains("deployment.apps \"x\" deleted"), "\(deleted)")
            _ = try await kubectl.ok(["wait", "--for=delete", "--timeout=120s"] + replicaSets + pods)
            #expect(try await kubectl.ok(["get", "rs,pods", "-l", "app=x", "-o", "name"]) == "")
        }
    }

    @Test func orphaningKeepsThePodsAndDropsTheirReferences() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.replicaSet("keep", replicas: 2))
            let pods = try await Self.twoPods(kubectl, app: "keep")
            // kubectl waits until the ReplicaSet is gone, which needs the collector to finish orphaning.
            let deleted = try await kubectl.ok(["delete", "rs", "keep", "--cascade=orphan"])
            #expect(deleted.contains("replicaset.apps \"keep\" deleted"), "\(deleted)")
            #expect(try await kubectl.run(["get", "rs", "keep"]).status != 0)
            for pod in pods {
                #expect(try await kubectl.ok(["get", pod, "-o", "jsonpath={.metadata.ownerReferences}"]) == "")
            }
        }
    }

    @Test func foregroundDeletionRemovesTheDependentsFirst() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.replicaSet("front", replicas: 2))
            let pods = try await Self.twoPods(kubectl, app: "front")
            // A finalizer of our own holds one pod, and with it the foreground deletion of its owner.
            _ = try await kubectl.ok(["patch", pods[0], "--type=merge", "-p", #"{"metadata":{"finalizers":["example.com/hold"]}}"#])
            let started = try await kubectl.ok(["delete", "rs", "front", "--cascade=foreground", "--wait=false"])
            #expect(started.contains("replicaset.apps \"front\" deleted"), "\(started)")
            _ = try await kubectl.ok(["wait", "--for=delete", pods[1], "--timeout=120s"])
            #expect(try await kubectl.ok(["get", "rs", "front", "-o", "jsonpath={.metadata.finalizers}"]).contains("foregroundDeletion"))
            #expect(try await kubectl.ok(["get", pods[0], "-o", "jsonpath={.metadata.deletionTimestamp}"]) != "")
            _ = try await kubectl.ok(["patch", pods[0], "--type=merge", "-p", #"{"metadata":{"finalizers":null}}"#])
            _ = try await kubectl.ok(["wait", "--for=delete", "rs/front", pods[0], "--timeout=120s"])
            #expect(try await kubectl.ok(["get", "pods", "-l", "app=front", "-o", "name"]) == "")
        }
    }

    @Test func referencesToAbsentOwnersAreCollectedAndSolidOwnersKept() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "configmap", "solid"])
            let uid = try await kubectl.ok(["get", "cm", "solid", "-o", "jsonpath={.metadata.uid}"])
            _ = try await kubectl.ok(["create", "namespace", "elsewhere"])
            _ = try await kubectl.ok(["create", "configmap", "owner", "-n", "elsewhere"])
            let otherUID = try await kubectl.ok(["get", "cm", "owner", "-n", "elsewhere", "-o", "jsonpath={.metadata.uid}"])
            let wrongUID = "00000000-0000-0000-0000-000000000000"
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.configMap("kept", owners: [("solid", uid)]))
            // A right name with a wrong uid, and an owner that exists only in another namespace: both absent.
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.configMap("stale", owners: [("solid", wrongUID)]))
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.configMap("foreign", owners: [("owner", otherUID)]))
            // Two owners, one of them absent: only the absent reference goes.
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.configMap(
                "shared", owners: [("solid", uid), ("gone", "11111111-1111-1111-1111-111111111111")]))
            _ = try await kubectl.ok(["wait", "--for=delete", "cm/stale", "cm/foreign", "--timeout=120s"])
            try await Self.eventually(kubectl, ["get", "cm", "shared", "-o", "jsonpath={.metadata.ownerReferences[*].name}"]) {
                $0 == "solid"
            }
            let settled = try await kubectl.ok(["get", "cm", "shared", "kept", "-o", "jsonpath={.items[*].metadata.resourceVersion}"])
            // A later collection proves the collector has moved on; the kept objects were not written again.
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.configMap("sentinel", owners: [("solid", wrongUID)]))
            _ = try await kubectl.ok(["wait", "--for=delete", "cm/sentinel", "--timeout=120s"])
            #expect(try await kubectl.ok(["get", "cm", "shared", "kept", "-o", "jsonpath={.items[*].metadata.resourceVersion}"]) == settled)
            #expect(try await kubectl.ok(["get", "cm", "owner", "-n", "elsewhere", "-o", "name"]) == "configmap/owner\n")
            // Deleting the owner collects its dependents.
            _ = try await kubectl.ok(["delete", "cm", "solid"])
            _ = try await kubectl.ok(["wait", "--for=delete", "cm/kept", "cm/shared", "--timeout=120s"])
        }
    }

    @Test func deletingANamespaceRemovesItsContentThenTheNamespace() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["create", "namespace", "n"])
            _ = try await kubectl.ok(["create", "configmap", "settings", "-n", "n", "--from-literal=a=1"])
            _ = try await kubectl.ok(["create", "role", "reader", "-n", "n", "--verb=get", "--resource=pods"])
            _ = try await kubectl.ok(["create", "-n", "n", "-f", "-"], stdin: Self.replicaSet("web", replicas: 2))
            _ = try await Self.twoPods(kubectl, app: "web", namespace: "n")
            let started = try await kubectl.ok(["delete", "namespace", "n", "--wait=false"])
            #expect(started.contains("namespace \"n\" deleted"), "\(started)")
            let meanwhile = try await kubectl.run(["get", "namespace", "n", "-o", "jsonpath={.status.phase}"])
            #expect(meanwhile.stdout == "Terminating" || meanwhile.stderr.contains("not found"), "\(meanwhile)")
            let refused = try await kubectl.run(["create", "configmap", "late", "-n", "n"])
            #expect(refused.status != 0)
            _ = try await kubectl.ok(["wait", "--for=delete", "namespace/n", "--timeout=120s"])
            let gone = try await kubectl.run(["get", "namespace", "n"])
            #expect(gone.stderr.contains(#"namespaces "n" not found"#), "\(gone.stderr)")
            // Recreated, the namespace starts empty.
            _ = try await kubectl.ok(["create", "namespace", "n"])
            let fresh = try await kubectl.ok(["get", "cm,rs,pods,roles", "-n", "n", "-o", "name"])
            for leftover in ["configmap/settings", "replicaset.apps/web", "pod/web-1", "role.rbac.authorization.k8s.io/reader"] {
                #expect(!fresh.contains(leftover), "\(fresh)")
            }
        }
    }
}
