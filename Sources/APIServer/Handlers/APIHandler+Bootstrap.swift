import Foundation
import KubeCore
import KubeStorage
import Logging

extension APIHandler {
    /// Creates the default namespaces when missing and the per-namespace defaults (ServiceAccount `default`,
    /// `kube-root-ca.crt`), then reports ready on `/readyz`.
    public func bootstrap() async throws {
        if let namespaces = catalog.namespaces {
            for name in BuiltinResources.defaultNamespaces {
                let body: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
                let request = APIRequest(
                    method: "POST", path: "/api/v1/namespaces", headers: ["content-type": "application/json"],
                    body: body.jsonBytes)
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
