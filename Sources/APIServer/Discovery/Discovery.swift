import KubeCore

/// Discovery documents: aggregated (apidiscovery.k8s.io/v2) when the client asks for it, else the legacy
/// APIVersions / APIGroupList / APIResourceList.
struct Discovery: Sendable {
    let catalog: ResourceCatalog

    static func aggregatedContentType(_ version: String) -> String {
        "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList"
    }

    func groupList(core: Bool, request: APIRequest) -> APIResponse {
        let groups = catalog.groups.filter { core ? $0.isEmpty : !$0.isEmpty }
        if let discoveryVersion = request.aggregatedDiscoveryVersion {
            let items: [JSONValue] = groups.map { group in
                [
                    "metadata": group.isEmpty ? .object([:]) : ["name": .string(group)],
                    "versions": .array(catalog.versions(of: group).map { version in
                        ["version": .string(version), "freshness": "Current",
                         "resources": .array(catalog.resources(group: group, version: version).map(aggregatedResource))]
                    }),
                ]
            }
            let body: JSONValue = [
                "kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(discoveryVersion)"),
                "metadata": .object([:]), "items": .array(items),
            ]
            return APIResponse(status: 200, headers: [("Content-Type", Self.aggregatedContentType(discoveryVersion))],
                               body: .bytes(body.jsonBytes))
        }
        if core {
            return .json([
                "kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": ""]],
            ])
        }
        return .json([
            "kind": "APIGroupList", "apiVersion": "v1",
            "groups": .array(groups.map(groupJSON)),
        ])
    }

    func group(_ group: String) throws -> APIResponse {
        guard catalog.groups.contains(group), !group.isEmpty else { throw APIHandler.notFound }
        var body = groupJSON(group)
        body.set(["kind"], "APIGroup")
        body.set(["apiVersion"], "v1")
        return .json(body)
    }

    private func groupJSON(_ group: String) -> JSONValue {
        let versions: [JSONValue] = catalog.versions(of: group).map {
            ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)]
        }
        return ["name": .string(group), "versions": .array(versions), "preferredVersion": versions.first ?? .null]
    }

    func resourceList(group: String, version: String) throws -> APIResponse {
        let resources = catalog.resources(group: group, version: version)
        guard !resources.isEmpty else { throw APIHandler.notFound }
        var entries: [JSONValue] = []
        for resource in resources {
            var entry: [String: JSONValue] = [
                "name": .string(resource.plural), "singularName": .string(resource.singular),
                "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                "verbs": .array(resource.verbs.map { .string($0) }),
            ]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map { .string($0) }) }
            if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map { .string($0) }) }
            entries.append(.object(entry))
            for sub in resource.subresources {
                var subEntry: [String: JSONValue] = [
                    "name": .string("\(resource.plural)/\(sub.name)"), "singularName": "",
                    "namespaced": .bool(resource.namespaced), "kind": .string(sub.kind),
                    "verbs": .array(sub.verbs.map { .string($0) }),
                ]
                if sub.group != resource.group || sub.version != resource.version {
                    subEntry["group"] = .string(sub.group)
                    subEntry["version"] = .string(sub.version)
                }
                entries.append(.object(subEntry))
            }
        }
        return .json([
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
            "resources": .array(entries),
        ])
    }

    private func aggregatedResource(_ resource: ServedResource) -> JSONValue {
        var entry: [String: JSONValue] = [
            "resource": .string(resource.plural),
            "responseKind": ["group": .string(resource.group), "version": .string(resource.version), "kind": .string(resource.kind)],
            "scope": resource.namespaced ? "Namespaced" : "Cluster",
            "singularResource": .string(resource.singular),
            "verbs": .array(resource.verbs.map { .string($0) }),
        ]
        if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map { .string($0) }) }
        if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map { .string($0) }) }
        if !resource.subresources.isEmpty {
            entry["subresources"] = .array(resource.subresources.map { sub in
                ["subresource": .string(sub.name),
                 "responseKind": ["group": .string(sub.group), "version": .string(sub.version), "kind": .string(sub.kind)],
                 "verbs": .array(sub.verbs.map { .string($0) })]
            })
        }
        return .object(entry)
    }
}
