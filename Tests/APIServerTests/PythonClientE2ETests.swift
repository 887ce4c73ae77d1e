import Foundation
import Testing

/// The official Python `kubernetes` client (installed by `.ci/run`) against `swiftlet server`:
/// CRUD, conflicts, scale and watch on ConfigMaps and Deployments (Python/client_crud.py).
@Suite(.enabled(if: PythonKubernetesClient.isInstalled, "needs python3 with the kubernetes package"))
struct PythonClientE2ETests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Python/client_crud.py").path

    @Test func crudAndWatchOnConfigMapsAndDeployments() async throws {
        try await withSwiftletServer { server in
            let kubeconfig = server.kubeconfig
            let result = try await withCheckedThrowingContinuation { continuation in
                Thread {
                    continuation.resume(with: Result { try PythonKubernetesClient.run([Self.script, kubeconfig]) })
                }.start()
            }
            #expect(result.status == 0, "\(result.output)")
            for step in ["configmap watch", "deployment scale", "deployment watch initial state", "deployment delete"] {
                #expect(result.output.contains("ok \(step)"), "\(result.output)")
            }
            #expect(result.output.hasSuffix("done\n"), "\(result.output)")
        }
    }
}

/// python3 with the official `kubernetes` package.
enum PythonKubernetesClient {
    static let isInstalled: Bool = (try? run(["-c", "import kubernetes"]).status) == 0

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
