import Foundation
import Testing

/// Token authentication with the real kubectl over TLS: `kubectl create token` issues service-account
/// tokens that `kubectl --token=… auth whoami` presents; static tokens come from `--token-auth-file`; tampered
/// tokens, tokens of deleted accounts and of deleted bound pods are refused with 401; a too-short
/// `--duration` gets upstream's validation error; a bad token file stops the server naming the line.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlTokensE2ETests {
    static let unauthorized = "error: You must be logged in to the server (Unauthorized)"

    /// A kubeconfig with the server and its CA but no user credential, for `--token`.
    static func tokenKubeconfig(_ server: SwiftletServerProcess) throws -> String {
        let path = server.dataDirectory.appendingPathComponent("token-kubeconfig.yaml").path
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: swiftlet
              cluster:
                server: https://127.0.0.1:\(server.port)
                certificate-authority: \(server.dataDirectory.path)/pki/ca.crt
            users:
            - name: bearer
              user: {}
            contexts:
            - name: bearer
              context: {cluster: swiftlet, user: bearer, namespace: default}
            current-context: bearer
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func serviceAccountTokensAuthenticateUntilRevoked() async throws {
        try await withSwiftletServer { server in
            let admin = try Kubectl(server: server)
            let bearer = try Kubectl(server: server, kubeconfig: try Self.tokenKubeconfig(server))
            #expect(try await admin.ok(["get", "serviceaccount", "default", "-o", "jsonpath={.metadata.name}"]) == "default")
            let caData = try await admin.ok(["get", "configmap", "kube-root-ca.crt", "-o", #"jsonpath={.data.ca\.crt}"#])
            let caFile = try String(contentsOfFile: server.dataDirectory.path + "/pki/ca.crt", encoding: .utf8)
            #expect(caData == caFile)

            let token = try await admin.ok(["create", "token", "default"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let whoami = try await bearer.ok(["--token=\(token)", "auth", "whoami"])
            #expect(whoami.contains("system:serviceaccount:default:default"), "\(whoami)")
            #expect(whoami.contains("[system:serviceaccounts system:serviceaccounts:default system:authenticated]"), "\(whoami)")
            let asJSON = try await bearer.ok(["--token=\(token)", "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"])
            #expect(asJSON == "system:serviceaccount:default:default")

            // One changed character in the signature: 401.
            var characters = Array(token)
            characters[characters.count - 3] = characters[characters.count - 3] == "A" ? "B" : "A"
            let tampered = try await bearer.run(["--token=\(String(characters))", "auth", "whoami"])
            #expect(tampered.status != 0)
            #expect(tampered.stderr.contains(Self.unauthorized), "\(tampered.stderr)")

            // A token of a deleted account: 401.
            _ = try await admin.ok(["create", "serviceaccount", "robot"])
            let robotToken = try await admin.ok(["create", "token", "robot", "--duration=20m", "--audience=https://kubernetes.default.svc.cluster.local"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try await bearer.ok(["--token=\(robotToken)", "auth", "whoami"]).contains("system:serviceaccount:default:robot"))
            _ = try await admin.ok(["delete", "serviceaccount", "robot"])
            let revoked = try await bearer.run(["--token=\(robotToken)", "auth", "whoami"])
            #expect(revoked.stderr.contains(Self.unauthorized), "\(revoked.stderr)")

            // Upstream's validation error for a too-short duration.
            let short = try await admin.run(["create", "token", "default", "--duration=1m"])
            #expect(short.status != 0)
            #expect(short.stderr.contains(#"error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes"#),
                    "\(short.stderr)")
        }
    }

    @Test func podBoundTokensAndTheMountedVolume() async throws {
        try await withSwiftletServer { server in
            let admin = try Kubectl(server: server)
            let bearer = try Kubectl(server: server, kubeconfig: try Self.tokenKubeconfig(server))
            _ = try await admin.ok(["run", "p", "--image=busybox"])
            #expect(try await admin.ok(["get", "pod", "p", "-o", "jsonpath={.spec.serviceAccountName}"]) == "default")
            let mountPath = try await admin.ok(["get", "pod", "p", "-o", "jsonpath={.spec.containers[0].volumeMounts[0].mountPath}"])
            #expect(mountPath == "/var/run/secrets/kubernetes.io/serviceaccount")
            let token = try await admin.ok(["create", "token", "default", "--bound-object-kind", "Pod", "--bound-object-name", "p"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let whoami = try await bearer.ok(["--token=\(token)", "auth", "whoami"])
            #expect(whoami.contains("authentication.kubernetes.io/pod-name"), "\(whoami)")
            #expect(whoami.contains("[p]"), "\(whoami)")
            _ = try await admin.ok(["delete", "pod", "p"])
            let revoked = try await bearer.run(["--token=\(token)", "auth", "whoami"])
            #expect(revoked.stderr.contains(Self.unauthorized), "\(revoked.stderr)")
        }
    }

    @Test func staticTokensFromTheTokenFile() async throws {
        let arguments = { (directory: URL) throws -> [String] in
            let file = directory.appendingPathComponent("tokens.csv")
            try Data("s3cret,alice,1001,\"dev,ops\"\n".utf8).write(to: file)
            return ["--token-auth-file", file.path]
        }
        try await withSwiftletServer(arguments: arguments) { server in
            let bearer = try Kubectl(server: server, kubeconfig: try Self.tokenKubeconfig(server))
            let whoami = try await bearer.ok(["--token=s3cret", "auth", "whoami"])
            #expect(whoami.contains("alice"), "\(whoami)")
            #expect(whoami.contains("[dev ops system:authenticated]"), "\(whoami)")
            let wrong = try await bearer.run(["--token=guess", "auth", "whoami"])
            #expect(wrong.stderr.contains(Self.unauthorized), "\(wrong.stderr)")
        }
    }

    @Test func aBadTokenFileStopsTheServerNamingTheLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tokens.csv")
        try Data("good,alice,1\nbad,bob\n".utf8).write(to: file)
        let binary = try SwiftletServerProcess.binary()
        // The server exits on its own; wait for it on a thread of its own, never on the cooperative pool.
        let (status, stderr) = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int32, String), any Error>) in
            Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = ["server", "--data-dir", directory.path, "--port", "0", "--disable-agent", "--token-auth-file", file.path]
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let output = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: output, as: UTF8.self)))
            }.start()
        }
        #expect(status != 0)
        #expect(stderr.contains("token file \(file.path), line 2: must have at least 3 columns (token, user name, user uid), found 2"),
                "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/db/state.db"))
    }
}
