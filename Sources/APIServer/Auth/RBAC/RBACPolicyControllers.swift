import Logging

/// The RBAC control loops the API server runs in-process until a controller manager exists: the bootstrap
/// policy reconciler and the ClusterRole aggregator, both driven by the `RBACPolicyIndex`.
///
/// Stateless; Sendable. `bootstrap()` runs once at startup; `run()` until its task is cancelled.
struct RBACPolicyControllers: Sendable {
    let index: RBACPolicyIndex
    let handler: APIHandler
    let logger: Logger

    var reconciler: BootstrapPolicyReconciler { BootstrapPolicyReconciler(handler: handler, logger: logger) }
    var aggregator: ClusterRoleAggregator { ClusterRoleAggregator(handler: handler, logger: logger) }

    /// Waits for the index, then reconciles the bootstrap policy against the store.
    func bootstrap() async throws {
        await index.waitUntilSynced()
        try await reconciler.reconcile(try await RBACPolicyIndex.load(from: handler.objects.store))
        await aggregator.sync(try await RBACPolicyIndex.load(from: handler.objects.store))
    }

    /// Recreates deleted bootstrap objects and re-aggregates ClusterRoles after every change the index sees.
    func run() async {
        let changes = index.changes()
        await index.waitUntilSynced()
        await sync()
        for await _ in changes {
            await sync()
        }
    }

    private func sync() async {
        let snapshot = index.snapshot
        do {
            try await reconciler.recreateMissing(snapshot)
        } catch {
            logger.warning("Recreating the bootstrap policy failed", metadata: ["error": "\(error)"])
        }
        await aggregator.sync(snapshot)
    }
}
