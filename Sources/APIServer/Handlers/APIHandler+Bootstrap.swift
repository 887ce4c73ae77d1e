import Foundation
import KubeCore
import KubeStorage
import Logging

extension APIHandler {
    /// With RBAC, waits for the policy index and reconciles the bootstrap policy; creates the default
    /// namespaces when missing and the per-namespace defaults (ServiceAccount `default`, `kube-root-ca.crt`);
    /// then reports ready on `/readyz`. Call it while `runBackgroundTasks()` runs.
    public func bootstrap() async throws {
        if let index = security.rbacPolicy {
            try await RBACPolicyControllers(index: index, handler: self, logger: logger).bootstrap()
        }
        if let namespaces = catalog.namespaces {
            for name in BuiltinResources.defaultNamespaces {
                let body: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
                var request = APIRequest(
                    method: "POST", path: "/api/v1/namespaces", headers: ["content-type": "application/json"],
                    body: body.jsonBytes)
                request.user = Self.loopbackUser
                let context = RequestContext(
                    request: request, query: QueryParameters(query: nil), resource: namespaces, namespace: nil,
                    name: nil, subresource: nil)
                do {
                    _ = try await create(context)
                } catch let error as APIError where error.reason == .alreadyExists {
                    continue
                }
            }
            // Every namespace (also those of an earlier run) has its default ServiceAccount and current
            // kube-root-ca.crt.
            for kv in try await objects.store.range(.prefix(namespaces.keyPrefix)).kvs {
                let namespace = try ObjectStore.decode(kv)
                if namespace.isBeingDeleted { continue }
                try await ensureNamespaceDefaults(namespace.name)
            }
        }
        readiness.markReady()
        logger.info("API server ready", metadata: ["resources": "\(catalog.resources.count)"])
    }
}

extension APIHandler {
    /// The API server's in-process loops (with RBAC: the policy index, the bootstrap policy reconciler and
    /// the ClusterRole aggregator). Returns at once without RBAC, else when the task is cancelled.
    public func runBackgroundTasks() async {
        guard let index = security.rbacPolicy else { return }
        let controllers = RBACPolicyControllers(index: index, handler: self, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await index.run() }
            group.addTask { await controllers.run() }
        }
    }
}
