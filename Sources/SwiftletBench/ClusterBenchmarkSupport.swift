import ClusterAssembly
import ControllerRuntime
import Foundation
import KubeAPI
import KubeClient
import KubeCore
import KubeStorage
import Logging
import Synchronization

/// Pieces the in-process cluster benchmarks share: a temporary SQLite store, peak memory, node and pod
/// fixtures, and a counter that signals when a condition holds for enough objects.
///
/// Stateless namespace.
enum ClusterBenchmarkSupport {
    /// A fresh SQLite store (the server's default backend) in a new temporary directory.
    static func temporaryStore(_ label: String) throws -> (store: SQLiteStore, directory: String) {
        let directory = NSTemporaryDirectory() + "swiftlet-bench-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory + "/state.db", logger: Logger(label: "swiftlet.bench.store"))
        return (store, directory)
    }

    /// Runs `body` against an in-process cluster on a fresh temporary SQLite store, which is closed and
    /// removed afterwards, whether `body` succeeds or not.
    static func withTemporaryCluster<Result: Sendable>(
        label: String, configuration: ClusterConfiguration,
        _ body: @escaping @Sendable (InProcessCluster.Handle) async throws -> Result
    ) async throws -> Result {
        let (store, directory) = try temporaryStore(label)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logger = Logger(label: "swiftlet.bench.\(label)")
        do {
            let result = try await InProcessCluster.run(store: store, configuration: configuration, logger: logger,
                                                        body: body)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// A Ready node like scheduler_perf's `node-default.yaml` (4 CPUs, 32 GiB, 110 pods).
    static func node(_ name: String) -> Node {
        var node = Node()
        node.metadata.name = name
        node.metadata.labels = ["kubernetes.io/hostname": name, "kubernetes.io/os": "linux"]
        let capacity: [String: Quantity] = [
            "cpu": Quantity(4), "memory": Quantity(32 * 1024 * 1024 * 1024, format: .binarySI),
            "pods": Quantity(110),
        ]
        node.status.capacity = capacity
        node.status.allocatable = capacity
        node.status.conditions = [NodeCondition(type: "Ready", status: "True", reason: "KubeletReady",
                                                message: "kubelet is posting ready status")]
        return node
    }

    /// A pod like scheduler_perf's `pod-default.yaml` (100m CPU, 500 MiB requested).
    static func pod(_ name: String, namespace: String) -> Pod {
        var container = Container()
        container.name = "pause"
        container.image = "registry.k8s.io/pause:3.10"
        container.resources.requests = ["cpu": Quantity(milliValue: 100),
                                        "memory": Quantity(500 * 1024 * 1024, format: .binarySI)]
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = namespace
        pod.spec.containers = [container]
        return pod
    }

    /// Runs `work(i)` for `0..<count` on `workers` concurrent tasks.
    static func forEach(_ count: Int, workers: Int, _ work: @escaping @Sendable (Int) async throws -> Void) async throws {
        let next = WorkCounter()
        try await withThrowingDiscardingTaskGroup { group in
            for _ in 0..<max(1, workers) {
                group.addTask {
                    while true {
                        let index = next.take()
                        guard index < count else { return }
                        try await work(index)
                    }
                }
            }
        }
    }
}

/// Counts distinct objects for which a predicate became true and signals when `target` is reached.
///
/// Thread-safe; Sendable.
final class ObjectCountdown: Sendable {
    private let seen = Mutex<Set<String>>([])
    let target: Int
    let reached = SyncSignal()
    private let reachedAt = Mutex<ContinuousClock.Instant?>(nil)
    private let firstAt = Mutex<ContinuousClock.Instant?>(nil)

    init(target: Int) {
        self.target = target
        if target == 0 { reached.set() }
    }

    func mark(_ key: String) {
        let (first, done) = seen.withLock { seen -> (Bool, Bool) in
            guard seen.count < target else { return (false, false) }
            seen.insert(key)
            return (seen.count == 1, seen.count == target)
        }
        if first { firstAt.withLock { $0 = .now } }
        if done {
            reachedAt.withLock { $0 = .now }
            reached.set()
        }
    }

    var count: Int { seen.withLock { $0.count } }
    var completedAt: ContinuousClock.Instant? { reachedAt.withLock { $0 } }
    /// When the first object was marked.
    var startedAt: ContinuousClock.Instant? { firstAt.withLock { $0 } }
}

/// Hands out 0, 1, 2, … to concurrent workers.
///
/// Thread-safe (atomic); Sendable.
final class WorkCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
