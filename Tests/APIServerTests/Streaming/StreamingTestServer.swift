@testable import APIServer
import Foundation
import KubeCore
import KubeSecurity
import KubeStorage
import Logging

/// An API server in this process (plain HTTP on a free 127.0.0.1 port, every caller allowed, memory store)
/// with a `FakePodStreamingBackend` (or none), and pods to stream from:
/// - `one`: a single container `main`, on node `node-1`;
/// - `two`: containers `a` and `b` (annotation `kubectl.kubernetes.io/default-container: a`), init container
///   `setup`, on `node-1`;
/// - `pending`: container `main`, not scheduled.
///
/// Sendable; `with(_:)` starts the server, runs the body and stops the server even when the body throws.
struct StreamingTestServer: Sendable {
    let port: Int
    let handler: APIHandler
    let directory: URL
    /// With TLS: the cluster CA and an admin client certificate for the kubeconfig.
    let certificates: ClusterCertificates?

    var baseURL: String { (certificates == nil ? "http" : "https") + "://127.0.0.1:\(port)" }
    var kubeconfigPath: String { directory.appendingPathComponent("kubeconfig").path }

    static func with<Result: Sendable>(
        backend: (any PodStreamingBackend)?, tls: Bool = false,
        _ body: @Sendable (StreamingTestServer) async throws -> Result
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftlet-streaming-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var certificates: ClusterCertificates?
        var serving: ServingTLS?
        if tls {
            let pki = try ClusterCertificates.loadOrCreate(
                directory: directory.appendingPathComponent("pki").path,
                servingNames: ServingNames(dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]]))
            certificates = pki
            serving = ServingTLS(certificateChainPEM: pki.serving.certificatePEM, privateKeyPEM: pki.serving.privateKeyPEM,
                                 clientCAPEM: try pki.authority.certificatePEM)
        }
        var configuration = APIServerConfiguration(bindAddress: "127.0.0.1", port: 0, tls: serving)
        configuration.watchCache = nil
        let service = APIServerService(
            store: MemoryStore(), configuration: configuration, podStreaming: backend,
            logger: Logger(label: "streaming-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let serverTask = Task {
            do {
                try await service.run { port in portSink.yield(port) }
            } catch {}
            portSink.finish()
        }
        defer { serverTask.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw StreamingTestError.serverDidNotStart }
        let server = StreamingTestServer(port: port, handler: service.handler, directory: directory,
                                         certificates: certificates)
        try server.writeKubeconfig()
        try await server.createPods()
        return try await body(server)
    }

    private func writeKubeconfig() throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        var cluster = ""
        var user = "{}"
        if let certificates {
            cluster = "\n    certificate-authority-data: " + base64(try certificates.authority.certificatePEM)
            user = "\n    client-certificate-data: " + base64(certificates.admin.certificatePEM)
                + "\n    client-key-data: " + base64(certificates.admin.privateKeyPEM)
        }
        let text = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: \(baseURL)\(cluster)
            users:
            - name: anonymous
              user: \(user)
            contexts:
            - name: test
              context:
                cluster: test
                user: anonymous
                namespace: default
            current-context: test

            """
        try text.write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
    }

    private func createPods() async throws {
        let pods = [
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"one"},"spec":{"nodeName":"node-1","containers":[{"name":"main","image":"busybox"}]}}"#,
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"two","annotations":{"kubectl.kubernetes.io/default-container":"a"}},"spec":{"nodeName":"node-1","initContainers":[{"name":"setup","image":"busybox"}],"containers":[{"name":"a","image":"busybox"},{"name":"b","image":"busybox"}]}}"#,
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pending"},"spec":{"containers":[{"name":"main","image":"busybox"}]}}"#,
        ]
        for pod in pods {
            let response = await handler.handle(APIRequest(
                method: "POST", path: "/api/v1/namespaces/default/pods", headers: ["content-type": "application/json"],
                body: Array(pod.utf8)))
            guard response.status == 201 else { throw StreamingTestError.setupFailed(response.status) }
        }
    }

    /// Runs kubectl (the installed dispatcher, which picks the 1.32 build for this server) against this server.
    func kubectl(_ arguments: [String], stdin: String? = nil, binary: String = "kubectl") async throws
        -> KubectlRun.Result
    {
        try await KubectlRun(binary: binary, kubeconfig: kubeconfigPath,
                             cacheDirectory: directory.appendingPathComponent("cache-\(binary)").path)
            .run(arguments, stdin: stdin)
    }
}

enum StreamingTestError: Error {
    case serverDidNotStart
    case setupFailed(Int)
}

/// kubectl with a given kubeconfig; the blocking waits run on a thread of their own.
///
/// Value type; Sendable.
struct KubectlRun: Sendable {
    /// `kubectl` (the dispatcher) or a fixed build such as `kubectl.1.29`.
    let binary: String
    let kubeconfig: String
    let cacheDirectory: String

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], stdin: String?) async throws -> Result {
        guard let binary = Kubectl.path(self.binary) else { throw KubectlError.missing(self.binary) }
        let kubeconfig = self.kubeconfig
        let cacheDirectory = self.cacheDirectory
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: binary)
                    process.arguments = ["--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory,
                                         "--request-timeout", "60s"] + arguments
                    var environment = ProcessInfo.processInfo.environment
                    environment["KUBECONFIG"] = kubeconfig
                    process.environment = environment
                    let out = Pipe()
                    let err = Pipe()
                    let input = Pipe()
                    process.standardOutput = out
                    process.standardError = err
                    process.standardInput = input
                    try process.run()
                    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
                    try input.fileHandleForWriting.close()
                    let errData = LockedData()
                    let errReader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
                    errReader.start()
                    let outData = out.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: Result(
                        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                        stderr: String(decoding: errData.waitForValue(), as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }
}
