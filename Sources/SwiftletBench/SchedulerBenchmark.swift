import ClusterAssembly
import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import KubeCore
import KubeStorage
import Logging

/// What `swiftlet bench scheduler` runs.
///
/// Value type; Sendable.
public struct SchedulerBenchmarkOptions: Sendable {
    public var nodes = 5000
    public var pods = 10_000
    /// Concurrent pod creators (the load generator).
    public var createWorkers = 32
    /// Give up waiting for pods to be bound after this long.
    public var timeout: Duration = .seconds(600)

    public init() {}

    /// A few seconds' worth, for tests.
    public static var quick: SchedulerBenchmarkOptions {
        var options = SchedulerBenchmarkOptions()
        options.nodes = 50
        options.pods = 200
        options.createWorkers = 8
        options.timeout = .seconds(120)
        return options
    }
}

/// The figures of one scheduler benchmark run.
///
/// Value type; Sendable.
public struct SchedulerBenchmarkReport: Sendable {
    public static let targetPodsPerSecond = 2000.0
    /// Upstream's CI floor for SchedulingBasic 5000 nodes (on larger machines), printed for reference.
    public static let upstreamFloor = "680-810"

    public var options: SchedulerBenchmarkOptions
    public var nodeRegistrationSeconds: Double
    public var createsPerSecond: Double
    /// Pods that were waiting when the scheduler started, bound per second (bindings written through the API),
    /// from the first binding to the last (upstream scheduler_perf's throughput also leaves out start-up).
    public var scheduledPerSecond: Double
    /// From starting the scheduler (leader election, listing every node and pod) to its first binding.
    public var startupSeconds: Double
    /// From starting the scheduler to the last waiting pod bound.
    public var backlogSeconds: Double
    /// Pods created by the clients while the scheduler ran, from the first create to the last bind.
    public var streamedPerSecond: Double
    public var peakRSSBytes: Int

    public func formatted() -> String {
        let met = scheduledPerSecond >= Self.targetPodsPerSecond ? "met" : "MISSED"
        let rows = [
            ("nodes / pods", "\(options.nodes) / \(options.pods)", ""),
            ("node registration (s)", BenchmarkTable.fixed(nodeRegistrationSeconds, 2), ""),
            ("pod creates/s (\(options.createWorkers) clients)", BenchmarkTable.fixed(createsPerSecond, 0), ""),
            ("pods scheduled/s (waiting pods, bindings incl.)", BenchmarkTable.fixed(scheduledPerSecond, 0),
             "≥ 2,000/s on 2 cores (\(met)); upstream CI floor \(Self.upstreamFloor)/s"),
            ("scheduler start to first binding (s)", BenchmarkTable.fixed(startupSeconds, 2), ""),
            ("scheduler start to all waiting pods bound (s)", BenchmarkTable.fixed(backlogSeconds, 2), ""),
            ("pods created and scheduled/s (while creating)", BenchmarkTable.fixed(streamedPerSecond, 0), ""),
            ("peak RSS (MiB)", BenchmarkTable.fixed(Double(peakRSSBytes) / 1_048_576, 1), ""),
        ]
        var text = "swiftlet bench scheduler (SchedulingBasic-like, in-process API server on SQLite)\n"
        for (name, value, target) in rows {
            text += name.padding(toLength: 48, withPad: " ", startingAt: 0) + " "
                + value.padding(toLength: 14, withPad: " ", startingAt: 0) + " " + target + "\n"
        }
        return text
    }
}

/// scheduler_perf's SchedulingBasic, Swiftlet-style: an in-process control plane (API server on a temporary
/// SQLite store, RBAC on, the scheduler as `system:kube-scheduler`; no controllers, no kubelets) with
/// `nodes` Ready nodes, then `pods` pods created by concurrent clients; measures pods bound per second.
///
/// Stateless namespace.
public enum SchedulerBenchmark {
    public static func run(_ options: SchedulerBenchmarkOptions, output: @escaping @Sendable (String) -> Void)
        async throws -> SchedulerBenchmarkReport
    {
        // The scheduler is started by `measure` once the first pods exist.
        var configuration = ClusterConfiguration()
        configuration.controllers = false
        configuration.scheduler = false
        return try await ClusterBenchmarkSupport.withTemporaryCluster(
            label: "scheduler", configuration: configuration
        ) { cluster in
            try await measure(options, cluster: cluster, output: output)
        }
    }

    private static func measure(_ options: SchedulerBenchmarkOptions, cluster: InProcessCluster.Handle,
                                output: @escaping @Sendable (String) -> Void) async throws -> SchedulerBenchmarkReport {
        let admin = cluster.admin
        let registration = ContinuousClock.now
        try await ClusterBenchmarkSupport.forEach(options.nodes, workers: 16) { index in
            _ = try await admin.create(ClusterBenchmarkSupport.node("node-\(index)"))
        }
        let registrationSeconds = (ContinuousClock.now - registration).asSeconds
        output("registered \(options.nodes) nodes in \(BenchmarkTable.fixed(registrationSeconds, 2)) s")

        // Phase 1: the pods exist before the scheduler starts; the scheduler's own throughput, bindings included.
        let backlog = ObjectCountdown(target: options.pods)
        // Phase 2: pods created while the scheduler runs; bounded by how fast clients can create them.
        let streamed = ObjectCountdown(target: options.pods)
        let pods = Informer<Pod>(client: admin, logger: Logger(label: "swiftlet.bench"))
        pods.addHandler { event in
            if case .deleted = event { return }
            guard !event.object.spec.nodeName.isEmpty else { return }
            switch event.object.metadata.namespace {
            case "default": backlog.mark(event.object.metadata.name)
            case "kube-public": streamed.mark(event.object.metadata.name)
            default: break
            }
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pods.run() }
            await pods.waitUntilSynced()
            let created = ContinuousClock.now
            try await createPods(options, namespace: "default", admin: admin)
            let createSeconds = (ContinuousClock.now - created).asSeconds
            output("created \(options.pods) pods in \(BenchmarkTable.fixed(createSeconds, 2)) s; starting the scheduler")

            var schedulerOnly = ClusterConfiguration()
            schedulerOnly.controllers = false
            let scheduler = ClusterComponents(handler: cluster.handler, configuration: schedulerOnly,
                                              logger: Logger(label: "swiftlet.bench.scheduler"))
            let schedulerStart = ContinuousClock.now
            group.addTask { try await scheduler.run() }
            try await waitFor(backlog, timeout: options.timeout)
            let lastBinding = backlog.completedAt ?? .now
            let firstBinding = backlog.startedAt ?? schedulerStart
            let backlogSeconds = (lastBinding - schedulerStart).asSeconds
            let bindingSeconds = (lastBinding - firstBinding).asSeconds
            output("scheduled \(options.pods) waiting pods in \(BenchmarkTable.fixed(backlogSeconds, 2)) s "
                + "(\(BenchmarkTable.fixed(bindingSeconds, 2)) s from the first binding to the last)")

            let streamStart = ContinuousClock.now
            try await createPods(options, namespace: "kube-public", admin: admin)
            try await waitFor(streamed, timeout: options.timeout)
            let streamSeconds = ((streamed.completedAt ?? .now) - streamStart).asSeconds
            output("created and scheduled \(options.pods) more pods in \(BenchmarkTable.fixed(streamSeconds, 2)) s")
            group.cancelAll()
            return SchedulerBenchmarkReport(
                options: options, nodeRegistrationSeconds: registrationSeconds,
                createsPerSecond: Double(options.pods) / max(createSeconds, 1e-9),
                scheduledPerSecond: Double(options.pods - 1) / max(bindingSeconds, 1e-9),
                startupSeconds: (firstBinding - schedulerStart).asSeconds, backlogSeconds: backlogSeconds,
                streamedPerSecond: Double(options.pods) / max(streamSeconds, 1e-9),
                peakRSSBytes: try ProcessMemory.ownPeakAndResidentBytes().peak)
        }
    }

    private static func createPods(_ options: SchedulerBenchmarkOptions, namespace: String, admin: APIClient) async throws {
        try await ClusterBenchmarkSupport.forEach(options.pods, workers: options.createWorkers) { index in
            _ = try await admin.create(ClusterBenchmarkSupport.pod("pod-\(index)", namespace: namespace))
        }
    }

    /// Waits until `countdown` is reached, or throws after `timeout`.
    static func waitFor(_ countdown: ObjectCountdown, timeout: Duration) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { await countdown.reached.wait(); return true }
            group.addTask { try await Task.sleep(for: timeout); return false }
            let reached = try await group.next() ?? false
            group.cancelAll()
            if !reached {
                throw ClusterBenchmarkError.timedOut(waitingFor: countdown.target, reached: countdown.count)
            }
        }
    }
}

/// Why a cluster benchmark stopped early.
///
/// Value type; Sendable.
enum ClusterBenchmarkError: Error, CustomStringConvertible {
    case timedOut(waitingFor: Int, reached: Int)

    var description: String {
        switch self {
        case .timedOut(let target, let reached):
            "timed out with \(reached) of \(target) objects done; the component under test may be stuck (run with --log-level debug)"
        }
    }
}

