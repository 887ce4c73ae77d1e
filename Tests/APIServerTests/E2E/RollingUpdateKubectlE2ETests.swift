import Foundation
import KubeAPI
import KubeClient
import KubeCLI
import KubeCore
import Testing

/// The real kubectl runs the `kubectl-rolling_update` plugin (`swiftlet install-kubectl-plugins`) against
/// `swiftlet server --simulated-nodes 2`: an `--image` update to the end, then an interrupted one and its
/// `--rollback`. Needs the ReplicationController controller in the cluster.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct RollingUpdateKubectlE2ETests {
    static let manifest = """
        apiVersion: v1
        kind: ReplicationController
        metadata:
          name: frontend
        spec:
          replicas: 2
          selector:
            app: frontend
          template:
            metadata:
              labels:
                app: frontend
            spec:
              containers:
              - name: nginx
                image: nginx:1.24
        """

    @Test(.timeLimit(.minutes(5))) func imageUpdateThenInterruptedUpdateAndRollback() async throws {
        let server = try SwiftletServerProcess()
        try await server.start(arguments: ["--simulated-nodes", "2"])
        do {
            try await run(server)
        } catch {
            await server.stopped()
            throw error
        }
        await server.stopped()
    }

    private func run(_ server: SwiftletServerProcess) async throws {
        let bin = server.dataDirectory.appendingPathComponent("bin").path
        let install = try await ChildProcess.run(try SwiftletServerProcess.binary(), ["install-kubectl-plugins", "--dir", bin])
        #expect(install.text.contains("created \(bin)/kubectl-rolling_update -> "))
        #expect(install.text.contains("\(bin) is not on PATH"))

        let kubectl = try Kubectl(server: server)
        let environment = ["PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")]
        let applied = try await kubectl.run(["apply", "-f", "-"], stdin: Self.manifest)
        #expect(applied.status == 0)
        let client = APIClient(
            transport: try HTTPSTransport(configuration: try KubeconfigLoader(explicitPath: server.kubeconfig).load().transport),
            userAgent: "rolling-update-e2e")
        try await Self.waitForReadyPods(client, selector: "app=frontend", image: "nginx:1.24", count: 2)

        // 1. A whole update to nginx:1.25.
        let update = try await kubectl.runPlugin(
            ["rolling-update", "frontend", "--image=nginx:1.25", "--update-period=1s", "--poll-interval=200ms", "--timeout=1m"],
            environment: environment)
        #expect(update.status == 0, "\(update.stderr)")
        let lines = update.stdout.split(separator: "\n").map(String.init)
        let newName = try #require(lines.first?.split(separator: " ").last.map(String.init))
        #expect(lines == [
            "Created \(newName)",
            "Scaling up \(newName) from 0 to 2, scaling down frontend from 2 to 0 (keep 2 pods available, don't exceed 3 pods)",
            "Scaling \(newName) up to 1",
            "Scaling frontend down to 1",
            "Scaling \(newName) up to 2",
            "Scaling frontend down to 0",
            "Update succeeded. Deleting old controller: frontend",
            "Renaming \(newName) to frontend",
            "replicationcontroller/frontend rolling updated",
        ])
        let controllers = try await client.list(ReplicationController.self, namespace: "default")
        #expect(controllers.items.map(\.metadata.name) == ["frontend"])
        #expect(controllers.items.first?.spec.template?.spec.containers.first?.image == "nginx:1.25")
        let hash = String(newName.dropFirst("frontend-".count))
        try await Self.waitForReadyPods(client, selector: "deployment=\(hash)", image: "nginx:1.25", count: 2)

        // 2. An update to nginx:1.26 interrupted during its first (long) update period, then rolled back.
        let interrupted = kubectl.pluginProcess(
            ["rolling-update", "frontend", "--image=nginx:1.26", "--update-period=10m", "--poll-interval=200ms"],
            environment: environment)
        let output = Pipe()
        interrupted.standardOutput = output
        interrupted.standardError = FileHandle.nullDevice
        try interrupted.run()
        let (chunks, sink) = AsyncStream<String>.makeStream()
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                sink.finish()
            } else {
                sink.yield(String(decoding: data, as: UTF8.self))
            }
        }
        var seen = ""
        for await chunk in chunks {
            seen += chunk
            if seen.split(separator: "\n").contains(where: { $0.hasPrefix("Scaling frontend-") && $0.hasSuffix(" up to 1") }) {
                break
            }
        }
        // The line is printed before the scale is written: interrupt only once the new controller has 1 replica.
        if let line = seen.split(separator: "\n").first(where: { $0.hasPrefix("Scaling frontend-") && $0.hasSuffix(" up to 1") }) {
            let scaled = String(line.split(separator: " ")[1])
            try await Self.waitForReplicas(client, controller: scaled, replicas: 1)
        }
        interrupted.interrupt()
        await withCheckedContinuation { continuation in
            Thread { interrupted.waitUntilExit(); continuation.resume() }.start()
        }
        #expect(seen.contains("Scaling up frontend-"), "\(seen)")

        let rollback = try await kubectl.runPlugin(
            ["rolling-update", "frontend", "--rollback", "--update-period=1s", "--poll-interval=200ms", "--timeout=1m"],
            environment: environment)
        #expect(rollback.status == 0, "\(rollback.stderr)")
        let rollbackLines = rollback.stdout.split(separator: "\n").map(String.init)
        let abandoned = try #require(try await client.get(ReplicationController.self, namespace: "default", name: "frontend")
            .metadata.annotations[RollingUpdateAnnotations.nextController])
        #expect(rollbackLines == [
            "Setting \"frontend\" replicas to 2",
            "Continuing update with existing controller frontend.",
            "Scaling up frontend from 2 to 2, scaling down \(abandoned) from 1 to 0 (keep 2 pods available, don't exceed 3 pods)",
            "Scaling \(abandoned) down to 0",
            "Update succeeded. Deleting \(abandoned)",
            "replicationcontroller/frontend rolling updated",
        ])
        // The abandoned controller goes once the garbage collector has orphaned its pods (its `orphan` finalizer).
        _ = try await kubectl.ok(["wait", "--for=delete", "rc/\(abandoned)", "--timeout=60s"])
        let after = try await client.list(ReplicationController.self, namespace: "default")
        #expect(after.items.map(\.metadata.name) == ["frontend"])
        #expect(after.items.first?.spec.replicas == 2)
        #expect(after.items.first?.spec.template?.spec.containers.first?.image == "nginx:1.25")
        try await Self.waitForReadyPods(client, selector: "deployment=\(hash)", image: "nginx:1.25", count: 2)
    }

    /// Waits (on watch events, at most a minute) until the ReplicationController `controller` asks for `replicas`.
    static func waitForReplicas(_ client: APIClient, controller: String, replicas: Int32) async throws {
        func satisfied() async throws -> Bool {
            try await client.getIfPresent(ReplicationController.self, namespace: "default", name: controller)?.spec.replicas
                == replicas
        }
        let reached = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                let events = try await client.watch(
                    ReplicationController.self, namespace: "default",
                    options: ListOptions(fieldSelector: "metadata.name=\(controller)"))
                if try await satisfied() { return true }
                for try await _ in events where try await satisfied() { return true }
                return try await satisfied()
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(reached, "\(controller) did not reach \(replicas) replicas")
    }

    /// Waits (on pod watch events, at most a minute) until exactly `count` live pods match `selector`, all ready
    /// and running `image`.
    static func waitForReadyPods(_ client: APIClient, selector: String, image: String, count: Int) async throws {
        func satisfied() async throws -> Bool {
            let pods = try await client.list(Pod.self, namespace: "default", options: ListOptions(labelSelector: selector))
            let live = pods.items.filter { $0.metadata.deletionTimestamp == nil }
            return live.count == count && live.allSatisfy { pod in
                pod.spec.containers.first?.image == image
                    && pod.status.conditions.contains { $0.type == "Ready" && $0.status == "True" }
            }
        }
        let reached = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                if try await satisfied() { return true }
                let events = try await client.watch(Pod.self, namespace: "default", options: ListOptions(labelSelector: selector))
                for try await _ in events where try await satisfied() { return true }
                return try await satisfied()
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return false
            }
            let first = try await group.next() ?? false
            group.cancelAll()
            return first
        }
        #expect(reached, "pods \(selector) with \(image) did not become \(count) ready pods")
    }
}

extension Kubectl {
    /// kubectl with only the environment's KUBECONFIG (plugins must come first on the command line: kubectl
    /// refuses flags before a plugin's name).
    func pluginProcess(_ arguments: [String], environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["KUBECONFIG"] = kubeconfig
        for (key, value) in environment { env[key] = value }
        process.environment = env
        return process
    }

    /// Runs a plugin command and collects its output (the waits on a thread of their own).
    func runPlugin(_ arguments: [String], environment: [String: String]) async throws -> Result {
        let process = pluginProcess(arguments, environment: environment)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return await withCheckedContinuation { continuation in
            Thread {
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                let stderr = err.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: Result(status: process.terminationStatus,
                                                      stdout: String(decoding: stdout, as: UTF8.self),
                                                      stderr: String(decoding: stderr, as: UTF8.self)))
            }.start()
        }
    }
}
