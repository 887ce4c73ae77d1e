import KubeCore

/// OpenAPI v3: the index of group-version documents and, per group-version, the paths with the
/// `fieldValidation` parameter on PATCH (which makes kubectl leave validation to the server).
struct OpenAPIHandler: Sendable {
    let catalog: ResourceCatalog

    func handle(_ request: APIRequest) throws -> APIResponse {
        if request.path == "/openapi/v3" || request.path == "/openapi/v3/" {
            var paths: [String: JSONValue] = [:]
            for group in catalog.groups {
                for version in catalog.versions(of: group) {
                    let name = group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
                    let hash = Self.hash(document(group: group, version: version).jsonBytes)
                    paths[name] = ["serverRelativeURL": .string("/openapi/v3/\(name)?hash=\(hash)")]
                }
            }
            return .json(["paths": .object(paths)])
        }
        let name = String(request.path.dropFirst("/openapi/v3/".count))
        let parts = name.split(separator: "/").map(String.init)
        let group: String
        let version: String
        if parts.count == 2, parts[0] == "api" {
            group = ""
            version = parts[1]
        } else if parts.count == 3, parts[0] == "apis" {
            group = parts[1]
            version = parts[2]
        } else {
            throw APIHandler.notFound
        }
        guard !catalog.resources(group: group, version: version).isEmpty else { throw APIHandler.notFound }
        return .json(document(group: group, version: version))
    }

    func document(group: String, version: String) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        let parameters: JSONValue = .array(["dryRun", "fieldManager", "fieldValidation", "force"].map { name in
            ["name": .string(name), "in": "query", "schema": ["type": name == "force" ? "boolean" : "string"]]
        })
        for resource in catalog.resources(group: group, version: version) {
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(resource.kind)]
            let path = resource.namespaced
                ? "\(prefix)/namespaces/{namespace}/\(resource.plural)/{name}" : "\(prefix)/\(resource.plural)/{name}"
            paths[path] = [
                "patch": [
                    "x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk,
                    "parameters": parameters, "responses": ["200": ["description": "OK"]],
                ],
            ]
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": .string(ServerVersion.gitVersion)],
            "paths": .object(paths),
            "components": ["schemas": .object([:])],
        ]
    }

    /// FNV-1a of the document, so the URL changes whenever the document does (kubectl caches by URL).
    static func hash(_ bytes: [UInt8]) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
