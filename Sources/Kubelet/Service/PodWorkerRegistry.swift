import KubeCore
public import KubeAPI
public import Logging
import Synchronization

/// The running pod workers of this node, by pod UID. Starts a worker for a pod the node does not run yet,
/// forwards updates and removals, and forgets a worker when it finishes.
///
/// Thread-safe (a mutex guards the table); Sendable.
public final class PodWorkerRegistry: Sendable {
    private struct Entry {
        let worker: PodWorker
        let task: Task<Void, Never>
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let makeWorker: @Sendable (Pod) -> PodWorker
    private let logger: Logger

    public init(logger: Logger, makeWorker: @escaping @Sendable (Pod) -> PodWorker) {
        self.logger = logger
        self.makeWorker = makeWorker
    }

    /// The pod was added or changed in the API.
    public func podChanged(_ pod: Pod) async {
        let uid = pod.metadata.uid
        let existing = entries.withLock { $0[uid]?.worker }
        if let existing {
            await existing.update(pod)
            return
        }
        let worker = makeWorker(pod)
        let task = Task { [weak self] in
            await worker.run()
            self?.entries.withLock { _ = $0.removeValue(forKey: uid) }
        }
        entries.withLock { $0[uid] = Entry(worker: worker, task: task) }
    }

    /// The pod is gone from the API.
    public func podRemoved(uid: String) async {
        await entries.withLock { $0[uid]?.worker }?.podRemoved()
    }

    public func worker(uid: String) -> PodWorker? {
        entries.withLock { $0[uid]?.worker }
    }

    public var activeUIDs: Set<String> {
        entries.withLock { Set($0.keys) }
    }

    /// Stops every worker's loop (the node agent is shutting down; containers keep running).
    public func cancelAll() {
        entries.withLock { table in
            for entry in table.values { entry.task.cancel() }
        }
    }
}
