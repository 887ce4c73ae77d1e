import Foundation
import KubeAPI
import KubeCore

/// The API server's own writes of RBAC objects (bootstrap policy, aggregation), made through the regular
/// create and update paths as the loopback identity `system:apiserver` (in `system:masters`), so defaults,
/// validation and `managedFields` apply as to any other write.
extension APIHandler {
    static let loopbackUser = UserInfo(
        name: "system:apiserver", groups: [UserInfo.mastersGroup, UserInfo.authenticatedGroup])
    static let rbacGroup = "rbac.authorization.k8s.io"

    func rbacResource(_ plural: String) throws -> ServedResource {
        guard let resource = catalog.resource(group: Self.rbacGroup, version: "v1", plural: plural) else {
            throw APIError.internalError("the \(plural).\(Self.rbacGroup) resource is not served")
        }
        return resource
    }

    private func loopbackContext(_ resource: ServedResource, method: String, name: String?, body: [UInt8],
                                 fieldManager: String) -> RequestContext {
        var request = APIRequest(method: method, path: resource.keyPrefix, query: "fieldManager=\(fieldManager)",
                                 headers: ["content-type": "application/json"], body: body)
        request.user = Self.loopbackUser
        return RequestContext(request: request, query: QueryParameters(query: request.query), resource: resource,
                              namespace: nil, name: name, subresource: nil)
    }

    /// The server's JSON tree of a typed object, with its type meta.
    static func jsonTree<T: KubeResource>(_ object: T) throws -> JSONValue {
        var tree = try jsonValue(object)
        tree.set(["apiVersion"], .string(T.resource.group + "/" + T.resource.version))
        tree.set(["kind"], .string(T.resource.kind))
        return tree
    }

    /// The JSON tree of any encodable API value.
    static func jsonValue<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueParser.parse(Array(KubeJSON.encode(value)))
    }

    /// Creates a cluster-scoped RBAC object; false when one of that name already exists.
    @discardableResult
    func createClusterObject<T: KubeResource>(_ object: T, plural: String, fieldManager: String) async throws -> Bool {
        let resource = try rbacResource(plural)
        let body = try Self.jsonTree(object).jsonBytes
        do {
            _ = try await create(loopbackContext(resource, method: "POST", name: nil, body: body,
                                                 fieldManager: fieldManager))
            return true
        } catch let error as APIError where error.reason == .alreadyExists {
            return false
        }
    }

    /// Rewrites a cluster-scoped RBAC object with `transform` (compare-and-swap, retried on races).
    func updateClusterObject(plural: String, name: String, fieldManager: String,
                             transform: (JSONValue) throws -> JSONValue) async throws {
        let resource = try rbacResource(plural)
        _ = try await guaranteedUpdate(
            loopbackContext(resource, method: "PUT", name: name, body: [], fieldManager: fieldManager),
            precondition: "", transform: transform)
    }

    /// Deletes a cluster-scoped RBAC object (a binding whose roleRef must change is recreated).
    func deleteClusterObject(plural: String, name: String) async throws {
        let resource = try rbacResource(plural)
        let stored = try await objects.get(resource, namespace: nil, name: name)
        _ = try await objects.delete(resource, namespace: nil, name: name, expectedRevision: stored.modRevision)
    }
}
