import Foundation
import Testing

/// The upstream way to give a user a certificate: a CertificateSigningRequest for the
/// `kubernetes.io/kube-apiserver-client` signer, `kubectl certificate approve`, the signed certificate in a
/// kubeconfig; plus denial, bad signatures and the requester stamped by the server.
@Suite(.enabled(if: Kubectl.isInstalled && OpenSSL.isInstalled, "needs kubectl and openssl"))
struct KubectlCertificatesE2ETests {
    static func csrManifest(name: String, requestPEM: String, usages: [String] = ["client auth"]) -> String {
        """
        apiVersion: certificates.k8s.io/v1
        kind: CertificateSigningRequest
        metadata:
          name: \(name)
        spec:
          request: \(Data(requestPEM.utf8).base64EncodedString())
          signerName: kubernetes.io/kube-apiserver-client
          expirationSeconds: 86400
          usages: [\(usages.joined(separator: ", "))]
          username: someone-else
        """
    }

    @Test(arguments: ["kubectl", "kubectl.1.27"])
    func approvedRequestGivesAWorkingClientCertificate(kubectlName: String) async throws {
        guard Kubectl.path(kubectlName) != nil else { return }
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(kubectlName, server: server)
            let directory = server.dataDirectory
            let (key, request) = try await OpenSSL.keyAndRequest(user: "alice", groups: ["dev", "qa"], in: directory)
            let requestPEM = try String(contentsOfFile: request, encoding: .utf8)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.csrManifest(name: "alice", requestPEM: requestPEM))
            // The requester is whoever sent it, not what the body claimed.
            #expect(try await kubectl.ok(["get", "csr", "alice", "-o", "jsonpath={.spec.username}"]) == "system:admin")
            let pending = try await kubectl.ok(["get", "csr", "alice"])
            #expect(pending.contains("Pending"), "\(pending)")

            let approved = try await kubectl.ok(["certificate", "approve", "alice"])
            #expect(approved.contains("approved"), "\(approved)")
            let listed = try await kubectl.ok(["get", "csr", "alice"])
            #expect(listed.contains("Approved,Issued"), "\(listed)")
            let encoded = try await kubectl.ok(["get", "csr", "alice", "-o", "jsonpath={.status.certificate}"])
            let certificate = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
            #expect(certificate.hasPrefix("-----BEGIN CERTIFICATE-----"))

            // alice's kubeconfig: same cluster, her key and certificate.
            let certificatePath = directory.appendingPathComponent("alice.crt").path
            try certificate.write(toFile: certificatePath, atomically: true, encoding: .utf8)
            let aliceConfig = directory.appendingPathComponent("alice.kubeconfig").path
            try FileManager.default.copyItem(atPath: server.kubeconfig, toPath: aliceConfig)
            _ = try await kubectl.ok(["--kubeconfig", aliceConfig, "config", "set-credentials", "alice",
                                      "--client-certificate=\(certificatePath)", "--client-key=\(key)", "--embed-certs=true"])
            _ = try await kubectl.ok(["--kubeconfig", aliceConfig, "config", "set-context", "--current", "--user=alice"])
            // A SelfSubjectReview (what `kubectl auth whoami` sends from 1.28 on); without validation, which would
            // list CRDs, something alice may not do (as upstream).
            let whoami = try await kubectl.ok(["--kubeconfig", aliceConfig, "create", "--validate=false", "-f", "-", "-o", "jsonpath={.status.userInfo}"],
                                              stdin: "apiVersion: authentication.k8s.io/v1\nkind: SelfSubjectReview\n")
            #expect(whoami.contains(#""username":"alice""#), "\(whoami)")
            #expect(whoami.contains(#""groups":["dev","qa","system:authenticated"]"#), "\(whoami)")
        }
    }

    @Test func deniedBadlySignedAndServerUsageRequestsGetNoCertificate() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            let directory = server.dataDirectory
            let (_, request) = try await OpenSSL.keyAndRequest(user: "bob", groups: [], in: directory)
            let requestPEM = try String(contentsOfFile: request, encoding: .utf8)
            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.csrManifest(name: "bob", requestPEM: requestPEM))
            _ = try await kubectl.ok(["certificate", "deny", "bob"])
            #expect(try await kubectl.ok(["get", "csr", "bob"]).contains("Denied"))
            #expect(try await kubectl.ok(["get", "csr", "bob", "-o", "jsonpath={.status.certificate}"]) == "")

            _ = try await kubectl.ok(["create", "-f", "-"], stdin: Self.csrManifest(
                name: "server-usage", requestPEM: requestPEM, usages: ["client auth", "server auth"]))
            _ = try await kubectl.ok(["certificate", "approve", "server-usage"])
            let failed = try await kubectl.ok(["get", "csr", "server-usage", "-o", "jsonpath={.status.conditions[*].type}"])
            #expect(failed == "Approved Failed", "\(failed)")
            #expect(try await kubectl.ok(["get", "csr", "server-usage", "-o", "jsonpath={.status.certificate}"]) == "")

            // Flip one base64 character inside the signature (the end of the DER): parseable, but it does not verify.
            var lines = requestPEM.split(separator: "\n").map(String.init)
            let last = lines.count - 2
            var chars = Array(lines[last])
            let index = max(0, chars.count - 6)
            chars[index] = chars[index] == "A" ? "B" : "A"
            lines[last] = String(chars)
            let tampered = lines.joined(separator: "\n") + "\n"
            let refused = try await kubectl.run(["create", "-f", "-"], stdin: Self.csrManifest(name: "tampered", requestPEM: tampered))
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("spec.request"), "\(refused.stderr)")
            #expect(try await kubectl.run(["get", "csr", "tampered"]).status != 0)
        }
    }
}
