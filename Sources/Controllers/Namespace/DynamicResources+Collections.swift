import Foundation
import KubeAPI
import KubeClient
import KubeCore

/// Collection calls on kinds known at run time, for the namespace controller: list metadata, delete one,
/// delete the whole collection.
extension DynamicResources {
    /// Outcome of a collection call the server may not serve for a kind (404 or 405).
    enum CollectionOutcome: Equatable {
        case done
        case unsupported
    }

    /// The metadata of every object of `type` in `namespace`; nil when listing is not served.
    func listMetadata(_ type: any KubeResource.Type, namespace: String) async throws -> [ObjectMeta]? {
        try await listMetadata(of: type, namespace: namespace)
    }

    private func listMetadata<Object: KubeResource>(of type: Object.Type, namespace: String) async throws -> [ObjectMeta]? {
        do {
            return try await client.list(Object.self, namespace: namespace).items.map(\.metadata)
        } catch let error as APIError where error.reason == .notFound || error.reason == .methodNotAllowed {
            return nil
        }
    }

    /// `DELETE` on the collection of `type` in `namespace` with `options`.
    func deleteCollection(_ type: any KubeResource.Type, namespace: String, options: DeleteOptions) async throws
        -> CollectionOutcome
    {
        let path = ResourcePath(namespacedPathOf: type, namespace: namespace).path
        let request = TransportRequest(
            method: "DELETE", path: path, headers: [
                "accept": "application/json", "content-type": "application/json", "user-agent": client.userAgent,
            ], body: [UInt8](try KubeJSON.encode(options)))
        let response = try await client.transport.send(request)
        switch response.status {
        case 200..<300: return .done
        case 404, 405: return .unsupported
        default: throw Self.error(status: response.status, body: response.body)
        }
    }

    /// `PUT` of a whole JSON object body to a subresource (`namespaces/{name}/finalize`).
    func put(path: String, object body: [UInt8]) async throws {
        let request = TransportRequest(
            method: "PUT", path: path, headers: [
                "accept": "application/json", "content-type": "application/json", "user-agent": client.userAgent,
            ], body: body)
        let response = try await client.transport.send(request)
        guard (200..<300).contains(response.status) else { throw Self.error(status: response.status, body: response.body) }
    }

    /// The `APIError` of a failed response (its `Status` body, or one made from the code).
    static func error(status: Int, body: [UInt8]) -> APIError {
        if let decoded = try? KubeJSON.decode(Status.self, from: Data(body)), decoded.code != 0 {
            return APIError(status: decoded)
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        return APIError(status: Status(status: Status.failure, message: "the server responded with status \(status): \(text)",
                                       reason: status == 404 ? .notFound : status == 409 ? .conflict : .unknown,
                                       code: Int32(status)))
    }
}

extension ResourcePath {
    /// The collection path of `type` (opened from an existential) in `namespace`.
    init(namespacedPathOf type: any KubeResource.Type, namespace: String) {
        self = Self.collection(type, namespace: namespace)
    }

    private static func collection<Object: KubeResource>(_ type: Object.Type, namespace: String) -> ResourcePath {
        ResourcePath(Object.self, namespace: namespace)
    }
}
