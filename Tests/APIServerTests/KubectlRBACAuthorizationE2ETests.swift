import Foundation
import KubeSecurity
import Testing

/// RBAC end to end with the real kubectl over TLS: a user certificate for alice signed by the cluster CA,
/// the pod-reader Role and RoleBinding (get/list/watch pods in `dev`), upstream's 403 wording, a ClusterRole
/// for nodes and non-resource URLs bound to a group, a RoleBinding to a service-account group,
/// `kubectl auth can-i` (also `--list`), impersonation, and what anonymous callers reach.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlRBACAuthorizationE2ETests {
    /// Issues a client certificate for `user` in `groups` with the server's CA and writes a kubeconfig for it.
    static func kubeconfig(for user: String, groups: [String], server: SwiftletServerProcess) throws -> String {
        let pki = server.dataDirectory.appendingPathComponent("pki")
        let caPEM = try String(contentsOf: pki.appendingPathComponent("ca.crt"), encoding: .utf8)
        let authority = try CertificateAuthority(
            certificatePEM: caPEM, privateKeyPEM: try String(contentsOf: pki.appendingPathComponent("ca.key"), encoding: .utf8))
        let issued = try authority.issueKeyPair(commonName: user, organizations: groups, usage: .client, validity: 3600)
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        let path = server.dataDirectory.appendingPathComponent("\(user).kubeconfig").path
        let yaml = """
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: \(base64(caPEM))
                server: https://127.0.0.1:\(server.port)
              name: swiftlet
            contexts:
            - context:
                cluster: swiftlet
                namespace: dev
                user: \(user)
              name: \(user)
            current-context: \(user)
            users:
            - name: \(user)
              user:
                client-certificate-data: \(base64(issued.certificatePEM))
                client-key-data: \(base64(issued.privateKeyPEM))

            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Lines with runs of blanks collapsed, so tables compare independent of column widths.
    static func normalized(_ table: String) -> [String] {
        table.split(separator: "\n").map { line in
            line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
    }

    @Test func podReaderRoleForAlice() async throws {
        try await withSwiftletServer { server in
            let admin = try Kubectl(server: server)
            let alice = try Kubectl(server: server, kubeconfig: try Self.kubeconfig(for: "alice", groups: ["devs"], server: server),
                                    cacheName: "alice")
            _ = try await admin.ok(["create", "namespace", "dev"])
            _ = try await admin.ok(["create", "namespace", "other"])
            _ = try await admin.ok(["run", "x", "--image=nginx", "-n", "dev"])
            // The seed's example: a Role reading pods in dev, bound to alice.
            _ = try await admin.ok(["apply", "-f", "-"], stdin: """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  namespace: dev
                  name: pod-reader
                rules:
                - apiGroups: [""]
                  resources: ["pods"]
                  verbs: ["get", "watch", "list"]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: read-pods
                  namespace: dev
                subjects:
                - kind: User
                  name: alice
                  apiGroup: rbac.authorization.k8s.io
                roleRef:
                  kind: Role
                  name: pod-reader
                  apiGroup: rbac.authorization.k8s.io
                """)

            let pods = try await alice.ok(["get", "pods", "-n", "dev", "-o", "name"])
            #expect(pods == "pod/x\n")
            #expect(try await alice.ok(["get", "pod", "x", "-n", "dev", "-o", "jsonpath={.metadata.name}"]) == "x")
            let delete = try await alice.run(["delete", "pod", "x", "-n", "dev"])
            #expect(delete.status != 0)
            #expect(delete.stderr.contains(#"Error from server (Forbidden): pods "x" is forbidden: User "alice" cannot delete resource "pods" in API group "" in the namespace "dev""#), "\(delete.stderr)")
            let other = try await alice.run(["get", "pods", "-n", "other"])
            #expect(other.stderr.contains(#"Error from server (Forbidden): pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "other""#), "\(other.stderr)")
            let create = try await alice.run(["create", "configmap", "c", "-n", "dev"])
            #expect(create.stderr.contains(#"configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "dev""#), "\(create.stderr)")

            // Nodes and non-resource URLs through a ClusterRole bound to alice's group.
            let nodesBefore = try await alice.run(["get", "nodes"])
            #expect(nodesBefore.stderr.contains(#"nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope"#), "\(nodesBefore.stderr)")
            let metricsBefore = try await alice.run(["get", "--raw", "/metrics"])
            #expect(metricsBefore.stderr.contains(#"forbidden: User "alice" cannot get path "/metrics""#), "\(metricsBefore.stderr)")
            _ = try await admin.ok(["create", "clusterrole", "node-reader", "--verb=get,list,watch", "--resource=nodes"])
            _ = try await admin.ok(["create", "clusterrole", "health-reader", "--verb=get", "--non-resource-url=/healthz",
                                    "--non-resource-url=/metrics"])
            _ = try await admin.ok(["create", "clusterrolebinding", "devs-nodes", "--clusterrole=node-reader", "--group=devs"])
            _ = try await admin.ok(["create", "clusterrolebinding", "devs-health", "--clusterrole=health-reader", "--group=devs"])
            let nodes = try await alice.run(["get", "nodes"])
            #expect(nodes.status == 0, "\(nodes.stderr)")
            #expect(try await alice.ok(["get", "--raw", "/healthz"]) == "ok")
            let metrics = try await alice.run(["get", "--raw", "/metrics"])
            #expect(metrics.stderr.contains("NotFound") || metrics.stderr.contains("could not find"), "\(metrics.stderr)")

            // `auth can-i` for alice (the admin impersonates her: no groups but system:authenticated).
            let canList = try await admin.run(["auth", "can-i", "list", "pods", "--as", "alice", "-n", "dev"])
            #expect(canList.stdout == "yes\n")
            let canDelete = try await admin.run(["auth", "can-i", "delete", "pods", "--as", "alice", "-n", "dev"])
            #expect(canDelete.stdout == "no\n")
            #expect(canDelete.status == 1)
            let list = try await admin.ok(["auth", "can-i", "--list", "--as", "alice", "-n", "dev"])
            #expect(Self.normalized(list) == [
                "Resources Non-Resource URLs Resource Names Verbs",
                "selfsubjectreviews.authentication.k8s.io [] [] [create]",
                "selfsubjectaccessreviews.authorization.k8s.io [] [] [create]",
                "selfsubjectrulesreviews.authorization.k8s.io [] [] [create]",
                "pods [] [] [get watch list]",
                "[/api/*] [] [get]",
                "[/api] [] [get]",
                "[/apis/*] [] [get]",
                "[/apis] [] [get]",
                "[/healthz] [] [get]",
                "[/healthz] [] [get]",
                "[/livez] [] [get]",
                "[/livez] [] [get]",
                "[/openapi/*] [] [get]",
                "[/openapi] [] [get]",
                "[/readyz] [] [get]",
                "[/readyz] [] [get]",
                "[/version/] [] [get]",
                "[/version/] [] [get]",
                "[/version] [] [get]",
                "[/version] [] [get]",
            ], "\(list)")
            // alice herself (with her certificate's group) also sees the nodes and URL rules.
            let own = Self.normalized(try await alice.ok(["auth", "can-i", "--list"]))
            #expect(own.contains("nodes [] [] [get list watch]"), "\(own)")
            #expect(own.contains("[/metrics] [] [get]"), "\(own)")

            // Impersonation is for those allowed to impersonate.
            let impersonate = try await alice.run(["get", "pods", "-n", "dev", "--as", "bob"])
            #expect(impersonate.stderr.contains(#"Error from server (Forbidden): users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope"#), "\(impersonate.stderr)")
            let asGroup = try await admin.run(["get", "nodes", "--as", "carol", "--as-group", "devs"])
            #expect(asGroup.status == 0, "\(asGroup.stderr)")
            let asGroupPods = try await admin.run(["get", "pods", "-n", "dev", "--as", "carol", "--as-group", "devs"])
            #expect(asGroupPods.stderr.contains(#"User "carol" cannot list resource "pods""#), "\(asGroupPods.stderr)")
        }
    }

    @Test func serviceAccountGroupsAndAnonymousAccess() async throws {
        try await withSwiftletServer { server in
            let admin = try Kubectl(server: server)
            _ = try await admin.ok(["create", "namespace", "test"])
            _ = try await admin.ok(["create", "rolebinding", "test-accounts-view", "--clusterrole=view",
                                    "--group=system:serviceaccounts:test", "-n", "test"])
            // Every service account of `test` may read there (once aggregation filled in `view`), others not.
            let allowed = try await admin.run(["auth", "can-i", "list", "pods", "-n", "test", "--as", "system:serviceaccount:test:builder"])
            #expect(allowed.stdout == "yes\n", "\(allowed.stderr)")
            _ = try await admin.ok(["get", "pods", "-n", "test", "--as", "system:serviceaccount:test:default"])
            let outsider = try await admin.run(["get", "pods", "-n", "test", "--as", "system:serviceaccount:other:default"])
            #expect(outsider.stderr.contains(#"pods is forbidden: User "system:serviceaccount:other:default" cannot list resource "pods" in API group "" in the namespace "test""#), "\(outsider.stderr)")
            let write = try await admin.run(["auth", "can-i", "delete", "pods", "-n", "test", "--as", "system:serviceaccount:test:builder"])
            #expect(write.stdout == "no\n")

            // Anonymous callers reach the public health and version endpoints and nothing else.
            let anonymous = Curl(server: server, asAdmin: false)
            for path in ["/healthz", "/livez", "/readyz", "/version"] {
                let reply = try await anonymous.get(path)
                #expect(reply.status == 200, "\(path): \(reply.body)")
            }
            let pods = try await anonymous.get("/api/v1/pods")
            #expect(pods.status == 403)
            #expect(pods.body.contains(#""message":"pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" in API group \"\" at the cluster scope""#), "\(pods.body)")
            let badToken = try await anonymous.get("/api/v1/pods", headers: ["Authorization: Bearer not-a-token"])
            #expect(badToken.status == 401)
            #expect(badToken.body.contains(#""reason":"Unauthorized""#), "\(badToken.body)")
        }
    }

    @Test func deletedClusterAdminComesBack() async throws {
        try await withSwiftletServer { server in
            let admin = try Kubectl(server: server)
            let uid = try await admin.ok(["get", "clusterrole", "cluster-admin", "-o", "jsonpath={.metadata.uid}"])
            _ = try await admin.ok(["delete", "clusterrole", "cluster-admin"])
            // Wait for the recreated role (kubectl watches until it exists: an event, not a sleep).
            let wait = try await admin.run(["wait", "--for=create", "clusterrole/cluster-admin", "--timeout=60s"])
            #expect(wait.status == 0, "\(wait.stderr)")
            let recreated = try await admin.ok(["get", "clusterrole", "cluster-admin", "-o", "jsonpath={.metadata.uid}"])
            #expect(!recreated.isEmpty && recreated != uid)
            #expect(try await admin.ok(["get", "clusterrole", "cluster-admin", "-o", "jsonpath={.metadata.labels.kubernetes\\.io/bootstrapping}"]) == "rbac-defaults")
        }
    }
}
