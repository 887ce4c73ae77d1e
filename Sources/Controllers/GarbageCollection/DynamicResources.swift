import Foundation
import KubeAPI
import KubeClient
import KubeCore

/// Typed API calls on a kind only known at run time (from an ownerReference or the registry): the generated
/// type is looked up in ``KubeAPI/APIRegistry`` and the call made through ``KubeClient/APIClient`` with it.
///
/// Value type; Sendable; thread-safe (the client is).
struct DynamicResources: Sendable {
    let client: APIClient

    /// The served type of `kind` in `apiVersion` (upstream's REST mapping); nil when not served.
    static func type(apiVersion: String, kind: String) -> (any KubeResource.Type)? {
        guard let groupVersion = try? GroupVersion(parsing: apiVersion) else { return nil }
        return APIRegistry.resourceType(forKind: kind, group: groupVersion.group, version: groupVersion.version)
    }

    /// The object's metadata, or nil when it does not exist.
    func metadata(_ type: any KubeResource.Type, namespace: String?, name: String) async throws -> ObjectMeta? {
        try await metadata(of: type, namespace: namespace, name: name)
    }

    private func metadata<Object: KubeResource>(of type: Object.Type, namespace: String?, name: String) async throws
        -> ObjectMeta?
    {
        try await client.getIfPresent(Object.self, namespace: namespace, name: name)?.metadata
    }

    func delete(_ type: any KubeResource.Type, namespace: String?, name: String, options: DeleteOptions) async throws {
        try await delete(of: type, namespace: namespace, name: name, options: options)
    }

    private func delete<Object: KubeResource>(of type: Object.Type, namespace: String?, name: String,
                                              options: DeleteOptions) async throws {
        try await client.delete(Object.self, namespace: namespace, name: name, options: options)
    }

    func patch(_ type: any KubeResource.Type, namespace: String?, name: String, patchType: PatchType,
               body: JSONValue) async throws {
        try await patch(of: type, namespace: namespace, name: name, patchType: patchType, body: body)
    }

    private func patch<Object: KubeResource>(of type: Object.Type, namespace: String?, name: String,
                                             patchType: PatchType, body: JSONValue) async throws {
        _ = try await client.patch(Object.self, namespace: namespace, name: name, type: patchType,
                                   patch: JSONValueWriter.bytes(body))
    }
}
