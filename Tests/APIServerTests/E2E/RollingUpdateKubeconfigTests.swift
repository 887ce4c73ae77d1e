import Foundation
import KubeClient
@testable import KubeCLI
import Testing

/// KubeCLI's kubeconfig loading (the plugin's view of kubectl's configuration) and the MD5 naming hash.
@Suite struct RollingUpdateKubeconfigTests {
    static let first = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: one
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: \(Data("CA-ONE".utf8).base64EncodedString())
        contexts:
        - name: one
          context: {cluster: one, user: alice, namespace: team}
        users:
        - name: alice
          user:
            client-certificate: certs/alice.crt
            client-key-data: \(Data("KEY".utf8).base64EncodedString())
        """
    static let second = """
        apiVersion: v1
        kind: Config
        current-context: two
        clusters:
        - name: one
          cluster: {server: "https://ignored:1"}
        - name: two
          cluster: {server: "https://[::1]:7443/prefix", insecure-skip-tls-verify: true, certificate-authority: /etc/ca.pem}
        contexts:
        - name: two
          context: {cluster: two, user: bob}
        users:
        - name: bob
          user: {token: s3cret}
        """

    static func loader(environment: String? = "/cfg/a:/cfg/missing:/cfg/b", explicit: String? = nil,
                       context: String? = nil, namespace: String? = nil) -> KubeconfigLoader {
        KubeconfigLoader(explicitPath: explicit, environmentPaths: environment, homeDirectory: "/home/u",
                         contextOverride: context, namespaceOverride: namespace) { path in
            switch path {
            case "/cfg/a": Array(first.utf8)
            case "/cfg/b", "/home/u/.kube/config": Array(second.utf8)
            case "/cfg/certs/alice.crt": Array("CERT".utf8)
            case "/etc/ca.pem": Array("CA-FILE".utf8)
            default: throw CocoaError(.fileNoSuchFile)
            }
        }
    }

    @Test func mergesKUBECONFIGFilesFirstDefinitionWins() throws {
        let config = try Self.loader(context: "one").load()
        #expect(config.contextName == "one")
        #expect(config.namespace == "team")
        #expect(config.namespaceExplicit == false)
        #expect(config.transport.host == "127.0.0.1")
        #expect(config.transport.port == 6443)
        #expect(config.transport.certificateAuthorityPEM == Array("CA-ONE".utf8))
        // A relative path is relative to the file that holds it.
        #expect(config.transport.clientCertificatePEM == Array("CERT".utf8))
        #expect(config.transport.clientKeyPEM == Array("KEY".utf8))
        #expect(config.transport.bearerToken == nil)
    }

    @Test func currentContextFromTheFirstFileThatSetsIt() throws {
        let config = try Self.loader(namespace: "other").load()
        #expect(config.contextName == "two")
        #expect(config.namespace == "other")
        #expect(config.namespaceExplicit)
        #expect(config.transport.host == "::1")
        #expect(config.transport.port == 7443)
        #expect(config.transport.pathPrefix == "/prefix")
        #expect(config.transport.insecureSkipTLSVerify)
        #expect(config.transport.certificateAuthorityPEM == Array("CA-FILE".utf8))
        #expect(config.transport.bearerToken == "s3cret")
    }

    @Test func homeConfigAndExplicitFile() throws {
        #expect(try Self.loader(environment: nil).load().contextName == "two")
        #expect(try Self.loader(explicit: "/cfg/a", context: "one").load().namespace == "team")
        #expect(throws: KubeconfigError.self) { try Self.loader(explicit: "/cfg/none").load() }
        #expect(throws: KubeconfigError.contextNotFound("nope")) { try Self.loader(context: "nope").load() }
        #expect(throws: KubeconfigError.noCurrentContext) { try Self.loader(environment: "/cfg/a").load() }
    }

    @Test func md5MatchesTheRFCVectors() {
        #expect(MD5Digest.hex([]) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5Digest.hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(MD5Digest.hex(Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8))
            == "57edf4a22be3c955ac49da2e2107b67a")
    }
}
