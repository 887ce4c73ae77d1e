import Foundation
import Testing

/// kubectl's RBAC commands against `swiftlet server` across kubectl minors: `create role / rolebinding /
/// clusterrole / clusterrolebinding` (protobuf bodies), `get` with upstream's columns (and `-o wide`),
/// `api-resources` listing the access groups, and `create -f` of a CertificateSigningRequest shown by
/// `get csr`.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlRBACE2ETests {
    static let kubectls = ["kubectl", "kubectl.1.27", "kubectl.1.33"]

    /// Splits a table into rows of cells (runs of two or more spaces separate cells).
    static func rows(_ table: String) -> [[String]] {
        table.split(separator: "\n").map { line in
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    @Test(arguments: kubectls)
    func createAndGetRolesAndBindings(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            #expect(try await kubectl.ok(["create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods"])
                == "role.rbac.authorization.k8s.io/pod-reader created\n")
            _ = try await kubectl.ok(["create", "rolebinding", "read-pods", "--role=pod-reader", "--user=alice",
                                      "--group=devs", "--serviceaccount=default:builder"])
            _ = try await kubectl.ok(["create", "clusterrole", "health-reader", "--verb=get", "--non-resource-url=/healthz"])
            _ = try await kubectl.ok(["create", "clusterrolebinding", "health", "--clusterrole=health-reader", "--user=bob"])

            let roles = Self.rows(try await kubectl.ok(["get", "roles"]))
            #expect(roles.first == ["NAME", "CREATED AT"], "\(kubectlName): \(roles)")
            #expect(roles.dropFirst().first?.first == "pod-reader")
            let bindings = Self.rows(try await kubectl.ok(["get", "rolebindings"]))
            #expect(bindings.first == ["NAME", "ROLE", "AGE"], "\(kubectlName): \(bindings)")
            #expect(bindings.dropFirst().first?.prefix(2) == ["read-pods", "Role/pod-reader"])
            let wide = Self.rows(try await kubectl.ok(["get", "rolebinding", "read-pods", "-o", "wide"]))
            #expect(wide.first == ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"], "\(kubectlName): \(wide)")
            #expect(wide.last.map { [$0[0], $0[1], $0[3], $0[4], $0[5]] } == ["read-pods", "Role/pod-reader", "alice", "devs", "default/builder"])
            let clusterBindings = Self.rows(try await kubectl.ok(["get", "clusterrolebinding", "health", "-o", "wide"]))
            #expect(clusterBindings.first == ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"])
            #expect(clusterBindings.last.map { [$0[0], $0[1], $0[3]] } == ["health", "ClusterRole/health-reader", "bob"])
            let clusterRole = try await kubectl.ok(["get", "clusterrole", "health-reader", "-o", "jsonpath={.rules[0].nonResourceURLs[0]}"])
            #expect(clusterRole == "/healthz")
            let role = try await kubectl.ok(["get", "role", "pod-reader", "-o", "jsonpath={.rules[0].verbs}"])
            #expect(role == #"["get","list","watch"]"#)

            let refused = try await kubectl.run(["create", "rolebinding", "bad", "--clusterrole=view", "--serviceaccount=nocolon"])
            #expect(refused.status != 0)
            let invalid = try await kubectl.run(["create", "clusterrolebinding", "bad", "--clusterrole=view", "--serviceaccount=ns:Bad_Name"])
            #expect(invalid.status != 0)
            #expect(invalid.stderr.contains("subjects[0].name: Invalid value: \"Bad_Name\""), "\(invalid.stderr)")
        }
    }

    @Test func apiResourcesAndCertificateSigningRequests() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let resources = try await kubectl.ok(["api-resources", "--api-group=rbac.authorization.k8s.io", "-o", "name"])
            #expect(resources == "clusterrolebindings.rbac.authorization.k8s.io\nclusterroles.rbac.authorization.k8s.io\nrolebindings.rbac.authorization.k8s.io\nroles.rbac.authorization.k8s.io\n")
            let reviews = Self.rows(try await kubectl.ok(["api-resources", "--api-group=authorization.k8s.io", "-o", "wide"]))
            #expect(reviews.dropFirst().count == 4)
            // VERBS is the last cell (no categories); older kubectls print it as "[create]".
            #expect(reviews.dropFirst().allSatisfy { ["create", "[create]"].contains($0.last ?? "") }, "\(reviews)")
            let csrResource = try await kubectl.ok(["api-resources", "--api-group=certificates.k8s.io"])
            #expect(Self.rows(csrResource).last?.prefix(2) == ["certificatesigningrequests", "csr"], "\(csrResource)")

            let request = Data("""
                -----BEGIN CERTIFICATE REQUEST-----
                MIHZMIGAAgEAMB4xDjAMBgNVBAMMBWFsaWNlMQwwCgYDVQQKDANkZXYwWTATBgcq
                hkjOPQIBBggqhkjOPQMBBwNCAAT7QBQSUBacTNNShBF9tzLHiJFysDPiyMGTHdld
                AsZdJghZQkoWqkWHqyeHkIje/6RvuZldFw8sN1/1kOkhmD2OoAAwCgYIKoZIzj0E
                AwIDSAAwRQIhANpl35OwV4Z0DVCrEssnROSUzw8mY+GSkHHMUzNBfm8DAiBf+46/
                Ocu+hrs0ajGrHrc7lGVNYMr/J64eo2doFNViuQ==
                -----END CERTIFICATE REQUEST-----
                """.utf8).base64EncodedString()
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: """
                apiVersion: certificates.k8s.io/v1
                kind: CertificateSigningRequest
                metadata:
                  name: alice
                spec:
                  request: \(request)
                  signerName: kubernetes.io/kube-apiserver-client
                  expirationSeconds: 86400
                  usages: [client auth]
                """)
            let csrs = Self.rows(try await kubectl.ok(["get", "csr"]))
            #expect(csrs.first == ["NAME", "AGE", "SIGNERNAME", "REQUESTOR", "REQUESTEDDURATION", "CONDITION"], "\(csrs)")
            let row = csrs.last ?? []
            #expect(row.first == "alice" && row.contains("kubernetes.io/kube-apiserver-client") && row.suffix(2) == ["24h", "Pending"], "\(csrs)")
        }
    }
}
