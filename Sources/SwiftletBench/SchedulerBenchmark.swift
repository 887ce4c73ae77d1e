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
    /// From the first pod create to the last pod bound.
    public var scheduledPerSecond: Double
    public var totalSeconds: Double
    public var peakRSSBytes: Int

    public func formatted() -> String {
        let met = scheduledPerSecond >= Self.targetPodsPerSecond ? "met" : "MISSED"
        let rows = [
            ("nodes / pods", "\(options.nodes) / \(options.pods)", ""),
            ("node registration (s)", BenchmarkTable.fixed(nodeRegistrationSeconds, 2), ""),
            ("pod creates/s (\(options.createWorkers) clients)", BenchmarkTable.fixed(createsPerSecond, 0), ""),
            ("pods scheduled/s (first create to last bind)", BenchmarkTable.fixed(scheduledPerSecond, 0),
             "≥ 2,000/s on 2 cores (\(met)); upstream CI floor \(Self.upstreamFloor)/s"),
            ("all pods bound after (s)", BenchmarkTable.fixed(totalSeconds, 2), ""),
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
        var configuration = ClusterConfiguration()
        configuration.controllers = false
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

        let bound = ObjectCountdown(target: options.pods)
        let pods = Informer<Pod>(client: admin, namespace: "default", logger: Logger(label: "swiftlet.bench"))
        pods.addHandler { event in
            if case .deleted = event { return }
            if !event.object.spec.nodeName.isEmpty { bound.mark(event.object.metadata.name) }
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pods.run() }
            await pods.waitUntilSynced()
            let start = ContinuousClock.now
            try await ClusterBenchmarkSupport.forEach(options.pods, workers: options.createWorkers) { index in
                _ = try await admin.create(ClusterBenchmarkSupport.pod("pod-\(index)", namespace: "default"))
            }
            let createSeconds = (ContinuousClock.now - start).asSeconds
            output("created \(options.pods) pods in \(BenchmarkTable.fixed(createSeconds, 2)) s; \(bound.count) bound so far")
            try await waitFor(bound, timeout: options.timeout)
            let totalSeconds = ((bound.completedAt ?? .now) - start).asSeconds
            group.cancelAll()
            return SchedulerBenchmarkReport(
                options: options, nodeRegistrationSeconds: registrationSeconds,
                createsPerSecond: Double(options.pods) / max(createSeconds, 1e-9),
                scheduledPerSecond: Double(options.pods) / max(totalSeconds, 1e-9), totalSeconds: totalSeconds,
                peakRSSBytes: ClusterBenchmarkSupport.memory().peak)
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

