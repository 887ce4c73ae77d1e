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
            let result = try await ChildProcess.run("/usr/bin/env", ["python3", Self.script, server.kubeconfig])
            let output = result.text
            #expect(result.status == 0, "\(output)")
            for step in ["configmap watch", "deployment scale", "deployment watch initial state", "deployment delete"] {
                #expect(output.contains("ok \(step)"), "\(output)")
            }
            #expect(output.hasSuffix("done\n"), "\(output)")
        }
    }
}

/// python3 with the official `kubernetes` package.
enum PythonKubernetesClient {
    /// Whether `python3 -c "import kubernetes"` succeeds (checked once, before any test runs).
    static let isInstalled: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import kubernetes"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()
}
