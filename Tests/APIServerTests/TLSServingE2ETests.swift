import Foundation
import KubeSecurity
import Testing

/// `swiftlet server` speaks only TLS 1.2+: plain HTTP gets Go's 400, client certificates from a foreign CA or
/// expired ones fail the handshake (and the server keeps serving), the serving certificate verifies for the
/// cluster's names, and the key material on disk is private.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") && OpenSSL.isInstalled,
                "needs curl and openssl"))
struct TLSServingE2ETests {
    /// curl's exit status and output for `arguments`.
    static func curl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await ChildProcess.run("/usr/bin/curl", ["-sS", "--max-time", "20"] + arguments)
        return (result.status, result.text)
    }

    @Test func plainHTTPAndOldTLSAreRefused() async throws {
        try await withSwiftletServer { server in
            let plain = try await Self.curl(["http://127.0.0.1:\(server.port)/version"])
            #expect(plain.output.contains("Client sent an HTTP request to an HTTPS server."), "\(plain.output)")
            let pki = server.dataDirectory.appendingPathComponent("pki").path
            let old = try await Self.curl(["--cacert", pki + "/ca.crt", "--tlsv1.1", "--tls-max", "1.1",
                                           "https://127.0.0.1:\(server.port)/version"])
            #expect(old.status != 0, "\(old.output)")
            let modern = try await Self.curl(["--cacert", pki + "/ca.crt", "https://127.0.0.1:\(server.port)/version"])
            #expect(modern.status == 0 && modern.output.contains(#""minor":"32""#), "\(modern.output)")
            // The certificate is valid for the in-cluster names too.
            let named = try await Self.curl(["--cacert", pki + "/ca.crt", "--resolve",
                                             "kubernetes.default.svc:\(server.port):127.0.0.1",
                                             "https://kubernetes.default.svc:\(server.port)/healthz"])
            #expect(named.status == 0 && named.output == "ok", "\(named.output)")
        }
    }

    @Test func foreignAndExpiredClientCertificatesFailTheHandshake() async throws {
        try await withSwiftletServer { server in
            let directory = server.dataDirectory
            let pki = directory.appendingPathComponent("pki").path
            let url = "https://127.0.0.1:\(server.port)/api/v1/namespaces"
            // A certificate from a CA the cluster does not know.
            let foreignKey = directory.appendingPathComponent("foreign.key").path
            let foreignCert = directory.appendingPathComponent("foreign.crt").path
            try await OpenSSL.run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                   "-keyout", foreignKey, "-out", foreignCert, "-days", "1", "-subj", "/O=system:masters/CN=mallory"])
            let foreign = try await Self.curl(["--cacert", pki + "/ca.crt", "--cert", foreignCert, "--key", foreignKey, url])
            #expect(foreign.status != 0, "\(foreign.output)")
            #expect(!foreign.output.contains("NamespaceList"))

            // A certificate from the cluster CA that expired yesterday.
            let authority = try CertificateAuthority(
                certificatePEM: String(contentsOfFile: pki + "/ca.crt", encoding: .utf8),
                privateKeyPEM: String(contentsOfFile: pki + "/ca.key", encoding: .utf8))
            let expired = try authority.issueKeyPair(
                commonName: "old-admin", organizations: ["system:masters"], usage: .client, validity: 3600,
                now: Date().addingTimeInterval(-2 * 24 * 3600))
            let expiredCert = directory.appendingPathComponent("expired.crt").path
            let expiredKey = directory.appendingPathComponent("expired.key").path
            try expired.certificatePEM.write(toFile: expiredCert, atomically: true, encoding: .utf8)
            try expired.privateKeyPEM.write(toFile: expiredKey, atomically: true, encoding: .utf8)
            let stale = try await Self.curl(["--cacert", pki + "/ca.crt", "--cert", expiredCert, "--key", expiredKey, url])
            #expect(stale.status != 0, "\(stale.output)")
            #expect(!stale.output.contains("NamespaceList"))

            // The server keeps serving the admin.
            let admin = try await Self.curl(["--cacert", pki + "/ca.crt", "--cert", pki + "/admin.crt", "--key",
                                             pki + "/admin.key", url])
            #expect(admin.output.contains("NamespaceList"), "\(admin.output)")
        }
    }

    @Test func keyMaterialAndKubeconfigArePrivate() async throws {
        try await withSwiftletServer { server in
            let pki = server.dataDirectory.appendingPathComponent("pki").path
            func mode(_ path: String) throws -> Int {
                (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
            }
            for key in ["ca.key", "apiserver.key", "admin.key"] {
                #expect(try mode(pki + "/" + key) == 0o600, "\(key)")
            }
            #expect(try mode(server.kubeconfig) == 0o600)
            let kubeconfig = try String(contentsOfFile: server.kubeconfig, encoding: .utf8)
            #expect(kubeconfig.contains("server: https://127.0.0.1:\(server.port)"))
            #expect(kubeconfig.contains("certificate-authority-data:"))
            #expect(kubeconfig.contains("client-certificate-data:"))
        }
    }
}
