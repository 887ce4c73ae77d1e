import Foundation
import KubeCore
import Logging

/// What happened to an object, as the in-process controllers learn it.
///
/// Value type; Sendable.
enum ObjectChange: Sendable, Equatable {
    case created
    case updated
    case deleted
}

/// The controllers the API server runs inside itself until a controller manager exists: the ServiceAccount
/// controller (a `default` account in every namespace), the root-CA publisher (`kube-root-ca.crt`) and the
/// legacy token controller (filling `kubernetes.io/service-account-token` Secrets). Instead of watching, they
/// are told of every successful write through the API (create, update, patch, apply, delete) and reconcile at
/// once, in the writing request's task, so a namespace is ready for pods when its create returns and a deleted
/// or edited `kube-root-ca.crt` is back before the delete answers. Objects removed with their namespace are
/// not recreated (namespace contents are deleted below the API). Controller writes run as
/// `kube-controller-manager`; their failures are logged, never returned to the client.
extension APIHandler {
    static let controllerUserAgent = "kube-controller-manager/\(ServerVersion.gitVersion) (linux/amd64) swiftlet"

    /// Dispatches one successful write to the controllers that care about it.
    func objectChanged(_ resource: ServedResource, object: JSONValue, change: ObjectChange) async {
        guard resource.group.isEmpty else { return }
        do {
            switch (resource.kind, change) {
            case ("Namespace", .created):
                try await ensureNamespaceDefaults(object.name)
            case ("ServiceAccount", .deleted):
                if object.name == Self.defaultServiceAccountName {
                    try await ensureDefaultServiceAccount(namespace: object.namespace)
                }
                try await deleteLegacyTokenSecrets(of: object)
            case ("ConfigMap", _) where object.name == RootCAPublisher.configMapName:
                try await publishRootCA(namespace: object.namespace)
            case ("Secret", .created), ("Secret", .updated):
                try await fillLegacyTokenSecret(object)
            default:
                break
            }
        } catch {
            logger.warning("In-process controller failed", metadata: [
                "kind": "\(resource.kind)", "namespace": "\(object.namespace)", "name": "\(object.name)",
                "error": "\(error)",
            ])
        }
    }

    /// The default ServiceAccount and `kube-root-ca.crt` of `namespace` (namespace creation, and every
    /// namespace at startup).
    func ensureNamespaceDefaults(_ namespace: String) async throws {
        try await ensureDefaultServiceAccount(namespace: namespace)
        try await publishRootCA(namespace: namespace)
    }

    /// A request context for a controller's own write to `resource`.
    func controllerContext(_ resource: ServedResource, namespace: String?, name: String?, method: String) -> RequestContext {
        let request = APIRequest(
            method: method, path: "", headers: ["content-type": "application/json", "user-agent": Self.controllerUserAgent])
        return RequestContext(request: request, query: QueryParameters(query: nil), resource: resource,
                              namespace: namespace, name: name, subresource: nil)
    }

    /// Creates `body` as a controller (normalised, defaulted, validated like any create); false when an
    /// object of that name exists or the namespace is gone or terminating.
    @discardableResult
    func createAsController(_ resource: ServedResource, namespace: String, body: JSONValue) async throws -> Bool {
        let context = controllerContext(resource, namespace: namespace, name: nil, method: "POST")
        do {
            let (object, _) = try normalize(body, duplicates: [], context: context)
            _ = try await insert(object, warnings: [], context: context, appliedFields: nil)
            return true
        } catch let error as APIError where [.alreadyExists, .notFound, .forbidden].contains(error.reason) {
            return false
        }
    }
}
