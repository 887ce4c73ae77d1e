import ClusterAssembly
import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import KubeCore
import KubeStorage
import Logging

/// What `swiftlet bench deployment` runs.
///
/// Value type; Sendable.
public struct DeploymentBenchmarkOptions: Sendable {
    public var nodes = 1000
    public var replicas = 10_000
    public var timeout: Duration = .seconds(1200)

    public init() {}

    /// A few seconds' worth, for tests.
    public static var quick: DeploymentBenchmarkOptions {
        var options = DeploymentBenchmarkOptions()
        options.nodes = 10
        options.replicas = 100
        options.timeout = .seconds(180)
        return options
    }
}

/// The figures of one deployment benchmark run.
///
/// Value type; Sendable.
public struct DeploymentBenchmarkReport: Sendable {
    public var options: DeploymentBenchmarkOptions
    public var nodesReadySeconds: Double
    /// From the Deployment's create to every replica Running and Ready.
    public var rolloutSeconds: Double
    public var peakRSSBytes: Int
    public var finalRSSBytes: Int

    public func formatted() -> String {
        let rows = [
            ("simulated nodes / replicas", "\(options.nodes) / \(options.replicas)"),
            ("nodes registered and Ready (s)", BenchmarkTable.fixed(nodesReadySeconds, 2)),
            ("Deployment create to all pods Running (s)", BenchmarkTable.fixed(rolloutSeconds, 2)),
            ("pods Running/s", BenchmarkTable.fixed(Double(options.replicas) / max(rolloutSeconds, 1e-9), 0)),
            ("peak RSS (MiB)", BenchmarkTable.fixed(Double(peakRSSBytes) / 1_048_576, 1)),
            ("RSS at the end (MiB)", BenchmarkTable.fixed(Double(finalRSSBytes) / 1_048_576, 1)),
        ]
        var text = "swiftlet bench deployment (whole control plane in process on SQLite, simulated nodes)\n"
        for (name, value) in rows {
            text += name.padding(toLength: 48, withPad: " ", startingAt: 0) + " " + value + "\n"
        }
        return text
    }
}

/// A big Deployment on simulated nodes: the whole control plane in this process (API server on a temporary
/// SQLite store, controller manager, scheduler, `nodes` simulated nodes), then one Deployment of `replicas`
/// pods; measures the time until every pod is Running and Ready, and the process's peak memory.
///
/// Stateless namespace.
public enum DeploymentBenchmark {
    public static func run(_ options: DeploymentBenchmarkOptions, output: @escaping @Sendable (String) -> Void)
        async throws -> DeploymentBenchmarkReport
    {
        var configuration = ClusterConfiguration()
        configuration.simulatedNodes = SimulatedNodeSettings(
            count: options.nodes, cpu: Quantity(32), memory: Quantity(256 * 1024 * 1024 * 1024, format: .binarySI),
            pods: 110)
        return try await ClusterBenchmarkSupport.withTemporaryCluster(
            label: "deployment", configuration: configuration
        ) { cluster in
            try await measure(options, cluster: cluster, output: output)
        }
    }

    static func deployment(replicas: Int) -> Deployment {
        var container = Container()
        container.name = "pause"
        container.image = "registry.k8s.io/pause:3.10"
        container.resources.requests = ["cpu": Quantity(milliValue: 10), "memory": Quantity(16 * 1024 * 1024, format: .binarySI)]
        var deployment = Deployment()
        deployment.metadata.name = "bench"
        deployment.metadata.namespace = "default"
        deployment.spec.replicas = Int32(replicas)
        deployment.spec.selector = LabelSelector(matchLabels: ["app": "bench"])
        deployment.spec.template.metadata.labels = ["app": "bench"]
        deployment.spec.template.spec.containers = [container]
        return deployment
    }

    private static func measure(_ options: DeploymentBenchmarkOptions, cluster: InProcessCluster.Handle,
                                output: @escaping @Sendable (String) -> Void) async throws -> DeploymentBenchmarkReport {
        let admin = cluster.admin
        let readyNodes = ObjectCountdown(target: options.nodes)
        let runningPods = ObjectCountdown(target: options.replicas)
        let nodes = Informer<Node>(client: admin, logger: Logger(label: "swiftlet.bench"))
        nodes.addHandler { event in
            if event.object.status.conditions.contains(where: { $0.type == "Ready" && $0.status == "True" }) {
                readyNodes.mark(event.object.metadata.name)
            }
        }
        let pods = Informer<Pod>(client: admin, namespace: "default", logger: Logger(label: "swiftlet.bench"))
        pods.addHandler { event in
            let pod = event.object
            if pod.status.phase == "Running",
               pod.status.conditions.contains(where: { $0.type == "Ready" && $0.status == "True" }) {
                runningPods.mark(pod.metadata.name)
            }
        }
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await nodes.run() }
            group.addTask { try await pods.run() }
            try await SchedulerBenchmark.waitFor(readyNodes, timeout: options.timeout)
            let nodesReady = (ContinuousClock.now - start).asSeconds
            output("\(options.nodes) simulated nodes Ready after \(BenchmarkTable.fixed(nodesReady, 2)) s")
            await pods.waitUntilSynced()
            let created = ContinuousClock.now
            _ = try await admin.create(deployment(replicas: options.replicas))
            try await SchedulerBenchmark.waitFor(runningPods, timeout: options.timeout)
            let rollout = ((runningPods.completedAt ?? .now) - created).asSeconds
            output("\(options.replicas) pods Running after \(BenchmarkTable.fixed(rollout, 2)) s")
            group.cancelAll()
            let memory = try ProcessMemory.ownPeakAndResidentBytes()
            return DeploymentBenchmarkReport(options: options, nodesReadySeconds: nodesReady, rolloutSeconds: rollout,
                                             peakRSSBytes: memory.peak, finalRSSBytes: memory.current)
        }
    }
}
