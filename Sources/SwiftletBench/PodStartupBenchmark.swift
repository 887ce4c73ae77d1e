import ClusterAssembly
import ContainerRuntime
import ControllerRuntime
import Foundation
import HostSystem
import KubeAPI
import KubeClient
import KubeCore
import Logging
import Synchronization

/// What `swiftlet bench pod-startup` runs.
///
/// Value type; Sendable.
public struct PodStartupBenchmarkOptions: Sendable {
    /// Pods created one after another (each waits until the previous one runs).
    public var pods = 20
    /// Bare `runc run /bin/true` repetitions for the baseline (median reported).
    public var runcRuns = 10
    public var bridgeName = "swbench"
    public var podCIDR = "10.251.0.0/24"
    /// The swiftlet binary, run as the container shim (`<binary> container-shim`).
    public var shimCommand: [String]
    public var timeout: Duration = .seconds(60)

    public init(shimCommand: [String]) {
        self.shimCommand = shimCommand
    }
}

/// The figures of one pod-startup run.
///
/// Value type; Sendable.
public struct PodStartupBenchmarkReport: Sendable {
    public var options: PodStartupBenchmarkOptions
    /// Create request to the first watch event with every container running, one per pod, in creation order.
    public var podLatencies: [Duration]
    /// Each bare `runc run` (create, start, wait, delete) of `/bin/true`.
    public var runcLatencies: [Duration]
    /// VmRSS of this process (API server, controllers, scheduler and node agent together) with every pod running.
    public var serverRSSBytes: Int

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// The `fraction` quantile (nearest rank) of `values`, in milliseconds.
    static func quantile(_ values: [Duration], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return milliseconds(sorted[min(max(rank, 1), sorted.count) - 1])
    }

    public var p50Milliseconds: Double { Self.quantile(podLatencies, 0.50) }
    public var p99Milliseconds: Double { Self.quantile(podLatencies, 0.99) }
    public var maxMilliseconds: Double { Self.quantile(podLatencies, 1.0) }
    public var runcMedianMilliseconds: Double { Self.quantile(runcLatencies, 0.50) }

    public func formatted() -> String {
        let ratio = p50Milliseconds / max(runcMedianMilliseconds, 1e-9)
        let rows = [
            ("pods (created one after another)", "\(podLatencies.count)"),
            ("pod startup p50 (ms)", BenchmarkTable.fixed(p50Milliseconds, 1)),
            ("pod startup p99 (ms)", BenchmarkTable.fixed(p99Milliseconds, 1) + "   (target < 150)"),
            ("pod startup max (ms)", BenchmarkTable.fixed(maxMilliseconds, 1)),
            ("bare runc run /bin/true, median of \(runcLatencies.count) (ms)", BenchmarkTable.fixed(runcMedianMilliseconds, 1)),
            ("pod startup p50 / bare runc run", BenchmarkTable.fixed(ratio, 1) + "x"),
            ("server process RSS, \(podLatencies.count) pods running (MiB)",
             BenchmarkTable.fixed(Double(serverRSSBytes) / 1_048_576, 1)),
        ]
        var text = "swiftlet bench pod-startup (whole server in process: API server, scheduler, node agent over runc)\n"
        text += "latency = pod create request to the first watch event with all containers running, on this client's\n"
        text += "monotonic clock (creationTimestamp has 1 s resolution, so it is not used)\n"
        for (name, value) in rows {
            text += name.padding(toLength: 52, withPad: " ", startingAt: 0) + " " + value + "\n"
        }
        return text
    }
}

/// Pod startup on a real node: imports a busybox image into a temporary data directory, runs the whole
/// cluster in this process with the node agent on a private bridge and pod CIDR, creates pods one after
/// another and measures, for each, the time from its create request to the first watch event with all its
/// containers running. Beside it, the cost of a bare `runc run` of the same root file system. Everything the
/// node agent left on the host (runc containers, mounts, network namespaces, bridge, iptables rule, pod
/// cgroups) is removed afterwards, whether the run succeeded or not.
///
/// Stateless namespace.
public enum PodStartupBenchmark {
    public static let image = "swiftlet.test/busybox:1"

    /// Why the benchmark cannot run here (not root, runc or busybox missing), or nil.
    public static func unavailableReason() -> String? {
        if getuid() != 0 { return "pod-startup needs root (the node agent creates network namespaces, mounts and cgroups)" }
        if PodStartupHost.runcPath() == nil { return "pod-startup needs runc on PATH (apt-get install -y runc)" }
        if !FileManager.default.isExecutableFile(atPath: PodStartupImage.busyboxPath) {
            return "pod-startup needs a static busybox at \(PodStartupImage.busyboxPath) (apt-get install -y busybox-static)"
        }
        return nil
    }

    public static func run(_ options: PodStartupBenchmarkOptions, output: @escaping @Sendable (String) -> Void)
        async throws -> PodStartupBenchmarkReport
    {
        if let reason = unavailableReason() { throw PodStartupBenchmarkError.unavailable(reason) }
        let dataDirectory = NSTemporaryDirectory() + "swiftlet-bench-pod-startup-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let tracker = PodStartupTracker()
        do {
            let report = try await measureAll(options, dataDirectory: dataDirectory, tracker: tracker, output: output)
            await PodStartupHost.cleanUp(dataDirectory: dataDirectory, bridge: options.bridgeName,
                                         podUIDs: tracker.podUIDs)
            return report
        } catch {
            await PodStartupHost.cleanUp(dataDirectory: dataDirectory, bridge: options.bridgeName,
                                         podUIDs: tracker.podUIDs)
            throw error
        }
    }

    private static func measureAll(_ options: PodStartupBenchmarkOptions, dataDirectory: String,
                                   tracker: PodStartupTracker, output: @escaping @Sendable (String) -> Void)
        async throws -> PodStartupBenchmarkReport
    {
        let imageDirectory = dataDirectory + "/images"
        let stored = try await PodStartupImage.importBusybox(into: imageDirectory, name: image)
        output("imported \(image) into \(imageDirectory)")
        let runcLatencies = try await PodStartupHost.bareRuncRuns(
            image: stored, imageDirectory: imageDirectory, scratch: dataDirectory + "/runc-baseline", count: options.runcRuns)
        output("bare runc run /bin/true: \(runcLatencies.count) runs")

        var settings = NodeAgentSettings(
            nodeName: "bench-" + options.bridgeName, dataDirectory: dataDirectory + "/agent", podCIDR: options.podCIDR,
            nodeIP: HostAddresses.primaryIPv4(excluding: [options.bridgeName]) ?? "127.0.0.1",
            shimCommand: options.shimCommand)
        settings.imageDirectory = imageDirectory
        settings.bridgeName = options.bridgeName
        settings.namespacePrefix = options.bridgeName + "-"
        var configuration = ClusterConfiguration()
        configuration.nodeAgent = settings
        let result = try await ClusterBenchmarkSupport.withTemporaryCluster(
            label: "pod-startup", configuration: configuration
        ) { cluster in
            try await measurePods(options, cluster: cluster, tracker: tracker, output: output)
        }
        return PodStartupBenchmarkReport(options: options, podLatencies: result.latencies, runcLatencies: runcLatencies,
                                         serverRSSBytes: result.rss)
    }

    static func pod(_ name: String) -> Pod {
        var container = Container()
        container.name = "sleep"
        container.image = image
        container.imagePullPolicy = "IfNotPresent"
        container.command = ["/bin/sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.spec.containers = [container]
        pod.spec.terminationGracePeriodSeconds = 1
        // The in-process cluster signs no service-account tokens and publishes no kube-root-ca.crt; the
        // benchmark measures container startup, not token projection.
        pod.spec.automountServiceAccountToken = false
        return pod
    }

    private static func measurePods(_ options: PodStartupBenchmarkOptions, cluster: InProcessCluster.Handle,
                                    tracker: PodStartupTracker, output: @escaping @Sendable (String) -> Void)
        async throws -> (latencies: [Duration], rss: Int)
    {
        let admin = cluster.admin
        let logger = Logger(label: "swiftlet.bench")
        let readyNodes = ObjectCountdown(target: 1)
        let nodes = Informer<Node>(client: admin, logger: logger)
        nodes.addHandler { event in
            if event.object.status.conditions.contains(where: { $0.type == "Ready" && $0.status == "True" }) {
                readyNodes.mark(event.object.metadata.name)
            }
        }
        let deleted = ObjectCountdown(target: options.pods)
        let pods = Informer<Pod>(client: admin, namespace: "default", logger: logger)
        pods.addHandler { event in
            if case .deleted(let pod) = event {
                deleted.mark(pod.metadata.name)
                return
            }
            let pod = event.object
            let statuses = pod.status.containerStatuses
            if !pod.spec.containers.isEmpty, statuses.count == pod.spec.containers.count,
               statuses.allSatisfy({ $0.state.running != nil }) {
                tracker.running(pod.metadata.name, at: .now)
            }
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await nodes.run() }
            group.addTask { try await pods.run() }
            defer { group.cancelAll() }
            let start = ContinuousClock.now
            try await SchedulerBenchmark.waitFor(readyNodes, timeout: options.timeout)
            output("node bench-\(options.bridgeName) Ready after \(BenchmarkTable.fixed((ContinuousClock.now - start).asSeconds, 2)) s")
            await pods.waitUntilSynced()
            var latencies: [Duration] = []
            var failure: (any Error)?
            for index in 0..<options.pods {
                let name = "startup-\(index)"
                let signal = tracker.begin(name, at: .now)
                do {
                    let created = try await admin.create(pod(name))
                    tracker.created(uid: created.metadata.uid)
                    guard await tracker.wait(signal, timeout: options.timeout), let latency = tracker.latency(name) else {
                        throw PodStartupBenchmarkError.podNotRunning(name: name, timeout: options.timeout)
                    }
                    latencies.append(latency)
                } catch {
                    failure = error
                    break
                }
            }
            var rss = 0
            if failure == nil {
                rss = (try? ProcessMemory.ownPeakAndResidentBytes().current) ?? 0
                output("\(options.pods) pods running")
            }
            for index in 0..<options.pods {
                try? await admin.delete(Pod.self, namespace: "default", name: "startup-\(index)")
            }
            if failure == nil {
                do {
                    try await SchedulerBenchmark.waitFor(deleted, timeout: options.timeout)
                    output("\(options.pods) pods deleted")
                } catch {
                    output("pods not all gone after \(options.timeout); cleaning up the host anyway")
                }
            }
            if let failure { throw failure }
            return (latencies, rss)
        }
    }
}

/// Per-pod start instants, first-running latencies and a signal per pod.
///
/// Thread-safe (one mutex); Sendable.
final class PodStartupTracker: Sendable {
    private struct Entry {
        var start: ContinuousClock.Instant
        var latency: Duration?
        let signal: SyncSignal
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let uids = Mutex<[String]>([])

    /// UIDs of the pods created so far (for the cgroup cleanup).
    var podUIDs: [String] { uids.withLock { $0 } }

    func created(uid: String) {
        uids.withLock { $0.append(uid) }
    }

    func begin(_ name: String, at now: ContinuousClock.Instant) -> SyncSignal {
        let signal = SyncSignal()
        entries.withLock { $0[name] = Entry(start: now, latency: nil, signal: signal) }
        return signal
    }

    /// Records the first time `name` was seen with all containers running.
    func running(_ name: String, at now: ContinuousClock.Instant) {
        let signal = entries.withLock { entries -> SyncSignal? in
            guard var entry = entries[name], entry.latency == nil else { return nil }
            entry.latency = now - entry.start
            entries[name] = entry
            return entry.signal
        }
        signal?.set()
    }

    func latency(_ name: String) -> Duration? {
        entries.withLock { $0[name]?.latency }
    }

    /// True when `signal` was set within `timeout`.
    func wait(_ signal: SyncSignal, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await signal.wait(); return true }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            let reached = await group.next() ?? false
            group.cancelAll()
            return reached
        }
    }
}

/// Why `swiftlet bench pod-startup` stopped.
///
/// Value type; Sendable.
public enum PodStartupBenchmarkError: Error, CustomStringConvertible {
    case unavailable(String)
    case podNotRunning(name: String, timeout: Duration)
    case baseline(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): reason
        case .podNotRunning(let name, let timeout):
            "pod \(name) did not have all containers running within \(timeout); run with --log-level debug to see the node agent"
        case .baseline(let message): "the bare runc baseline failed: \(message)"
        }
    }
}
