public import Logging
public import ServiceLifecycle

/// Runs a ``Reconciler`` over a ``WorkQueue`` with a number of workers (upstream `controller.Run` /
/// controller-runtime's `Controller`): get a key, reconcile, mark done; an error re-adds the key with
/// backoff, ``ReconcileResult/requeue(after:)`` forgets failures and re-adds after the delay.
///
/// Sendable; `run()` may be called once.
public struct Controller<Work: Reconciler>: ServiceLifecycle.Service {
    public let name: String
    public let queue: WorkQueue<Work.Key>
    public let reconciler: Work
    public let workers: Int
    /// Synced before the first worker starts (the informers this controller reads).
    public let waitForSync: @Sendable () async -> Void
    let logger: Logger

    public init(name: String, queue: WorkQueue<Work.Key>, reconciler: Work, workers: Int = 1,
                waitForSync: @escaping @Sendable () async -> Void = {}, logger: Logger) {
        self.name = name
        self.queue = queue
        self.reconciler = reconciler
        self.workers = max(1, workers)
        self.waitForSync = waitForSync
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        self.logger = logger
    }

    public func run() async throws {
        await waitForSync()
        logger.debug("Controller started", metadata: ["workers": "\(workers)"])
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await queue.runDelays() }
                for _ in 0..<workers {
                    group.addTask { await worker() }
                }
                // Workers end when the queue shuts down; the delay loop ends with it.
            }
        } onCancel: {
            queue.shutDown()
        }
        logger.debug("Controller stopped")
    }

    private func worker() async {
        while let key = await queue.get() {
            await process(key)
            queue.done(key)
        }
    }

    private func process(_ key: Work.Key) async {
        do {
            switch try await reconciler.reconcile(key) {
            case .done:
                queue.forget(key)
            case .requeue(let delay):
                queue.forget(key)
                queue.add(key, after: delay)
            }
        } catch is CancellationError {
            return
        } catch {
            let failures = queue.failures(of: key)
            let metadata: Logger.Metadata = ["key": "\(key)", "error": "\(error)", "failures": "\(failures + 1)"]
            if failures < 3 {
                logger.debug("Reconcile failed; retrying", metadata: metadata)
            } else {
                logger.warning("Reconcile failed; retrying", metadata: metadata)
            }
            queue.addRateLimited(key)
        }
    }
}
