public import ControllerRuntime
import Foundation
import KubeAPI
public import KubeClient
import KubeCore
public import Logging
public import ServiceLifecycle

/// The namespace controller (upstream `pkg/controller/namespace`): for every namespace with a
/// `deletionTimestamp`, deletes all namespaced content of every served kind through the API, keeps the
/// deletion conditions on the namespace's status, and removes the `kubernetes` finalizer (the finalize
/// subresource) once nothing is left, after which the API server removes the namespace.
///
/// Thread-safe; Sendable. Construct before the informer factory runs; `run()` may be called once.
public final class NamespaceController: ServiceLifecycle.Service, Sendable {
    /// Upstream waits this long after seeing a deletion before acting, so that every API server observes
    /// the namespace terminating and refuses new content (`namespaceDeletionGracePeriod`).
    public static let defaultDeletionGracePeriod = Duration.seconds(5)

    let queue = WorkQueue<ObjectKey>(backoff: .init(base: .milliseconds(5), maximum: .seconds(1000)))
    let deleter: NamespacedContentDeleter
    let informer: Informer<Namespace>
    let workers: Int
    let logger: Logger

    /// - Parameters:
    ///   - deletionGracePeriod: delay between seeing a namespace's deletion and acting on it.
    ///   - workers: upstream `--concurrent-namespace-syncs` (default 10).
    public init(client: APIClient, informers: InformerFactory,
                deletionGracePeriod: Duration = NamespaceController.defaultDeletionGracePeriod, workers: Int = 5,
                logger: Logger) {
        var logger = logger
        logger[metadataKey: "controller"] = "namespace"
        self.logger = logger
        self.workers = max(1, workers)
        deleter = NamespacedContentDeleter(resources: DynamicResources(client: client), logger: logger)
        informer = informers.informer(Namespace.self)
        informer.addHandler { [queue] event in
            // Only namespaces being deleted are queued; a namespace's own delete event needs no work.
            if case .deleted = event { return }
            if event.object.metadata.deletionTimestamp != nil {
                queue.add(ObjectKey(event.object), after: deletionGracePeriod)
            }
        }
    }

    public func run() async throws {
        let controller = Controller(
            name: "namespace", queue: queue, reconciler: NamespaceDeletionReconciler(deleter: deleter),
            workers: workers, waitForSync: { [informer] in await informer.waitUntilSynced() }, logger: logger)
        try await controller.run()
    }
}

/// The namespace controller's loop body: runs the deleter; content still going away (an estimate) comes
/// back after half the estimate plus a second, as upstream.
///
/// Value type; Sendable.
struct NamespaceDeletionReconciler: Reconciler {
    let deleter: NamespacedContentDeleter

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        let estimate = try await deleter.delete(namespace: key.name)
        if estimate > 0 { return .requeue(after: .seconds(estimate / 2 + 1)) }
        return .done
    }
}
