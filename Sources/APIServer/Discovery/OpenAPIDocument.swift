import KubeAPI
import KubeCore

/// Builds the OpenAPI v3 document of one group-version: for every served resource whose kind KubeAPI
/// defines, the collection, item, all-namespaces and `status` / `scale` paths with one operation per verb
/// (each PATCH with `dryRun`, `fieldManager`, `fieldValidation` and `force`, which is what kubectl checks
/// before leaving validation to the server), and `components.schemas` for every type they reach.
/// Resources without a schema are left out.
///
/// Stateless namespace; the returned value is immutable.
enum OpenAPIDocument {
    static func build(group: String, version: String, resources: [ServedResource]) -> JSONValue {
        var schemas = OpenAPISchemas()
        schemas.addMeta()
        var paths: [String: JSONValue] = [:]
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        let tag = JSONValue.array([.string(group.isEmpty ? "core_\(version)" : "\(identifier(group))_\(version)")])
        for resource in resources {
            guard let schema = KindSchemas.schema(for: resource) else { continue }
            schemas.addKind(schema, group: group, version: version, kind: resource.kind, listKind: resource.listKind)
            let operations = Operations(
                gvk: ["group": .string(group), "version": .string(version), "kind": .string(resource.kind)],
                tags: tag, kindRef: OpenAPISchemas.ref(schema.openAPIName),
                listRef: OpenAPISchemas.ref(OpenAPISchemas.listName(of: schema)))
            let scope = resource.namespaced ? "Namespaced" : ""
            let id = operationPrefix(group: group, version: version) + scope + resource.kind
            let verbs = Set(resource.verbs)
            let collection = resource.namespaced
                ? "\(prefix)/namespaces/{namespace}/\(resource.plural)" : "\(prefix)/\(resource.plural)"
            let scopeParameters: [JSONValue] = resource.namespaced ? [pathParameter("namespace")] : []
            let itemParameters = [pathParameter("name")] + scopeParameters

            var collectionItem: [String: JSONValue] = [:]
            if verbs.contains("list") { collectionItem["get"] = operations.list(id: "list" + id) }
            if verbs.contains("create") { collectionItem["post"] = operations.create(id: "create" + id) }
            if verbs.contains("deletecollection") {
                collectionItem["delete"] = operations.deleteCollection(id: "deleteCollection" + id)
            }
            if !collectionItem.isEmpty {
                if !scopeParameters.isEmpty { collectionItem["parameters"] = .array(scopeParameters) }
                paths[collection] = .object(collectionItem)
            }

            var item: [String: JSONValue] = ["parameters": .array(itemParameters)]
            if verbs.contains("get") { item["get"] = operations.read(id: "read" + id) }
            if verbs.contains("update") { item["put"] = operations.replace(id: "replace" + id) }
            if verbs.contains("patch") { item["patch"] = operations.patch(id: "patch" + id) }
            if verbs.contains("delete") { item["delete"] = operations.delete(id: "delete" + id) }
            paths[collection + "/{name}"] = .object(item)

            if resource.namespaced, verbs.contains("list") {
                let allID = operationPrefix(group: group, version: version) + resource.kind + "ForAllNamespaces"
                paths["\(prefix)/\(resource.plural)"] = ["get": operations.list(id: "list" + allID)]
            }

            for subresource in resource.subresources where ["status", "scale"].contains(subresource.name) {
                guard let subSchema = KindSchemas.schema(
                    group: subresource.group, version: subresource.version, kind: subresource.kind)
                else { continue }
                if subSchema.openAPIName != schema.openAPIName {
                    schemas.addKind(subSchema, group: subresource.group, version: subresource.version,
                                    kind: subresource.kind, listKind: nil)
                }
                let subOperations = Operations(
                    gvk: ["group": .string(subresource.group), "version": .string(subresource.version),
                          "kind": .string(subresource.kind)],
                    tags: tag, kindRef: OpenAPISchemas.ref(subSchema.openAPIName), listRef: nil)
                let subID = id + subresource.name.prefix(1).uppercased() + subresource.name.dropFirst()
                let subVerbs = Set(subresource.verbs)
                var subItem: [String: JSONValue] = ["parameters": .array(itemParameters)]
                if subVerbs.contains("get") { subItem["get"] = subOperations.read(id: "read" + subID) }
                if subVerbs.contains("update") { subItem["put"] = subOperations.replace(id: "replace" + subID) }
                if subVerbs.contains("patch") { subItem["patch"] = subOperations.patch(id: "patch" + subID) }
                paths[collection + "/{name}/" + subresource.name] = .object(subItem)
            }
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": .string(ServerVersion.gitVersion)],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas.components)],
        ]
    }

    /// `CoreV1`, `AppsV1`, `NetworkingV1`, `RbacAuthorizationV1`: upstream's operation-id prefix.
    static func operationPrefix(group: String, version: String) -> String {
        (group.isEmpty ? "Core" : identifier(group)) + version.prefix(1).uppercased() + version.dropFirst()
    }

    /// A group as an identifier without the `.k8s.io` suffix: `networking.k8s.io` → `Networking`.
    private static func identifier(_ group: String) -> String {
        let trimmed = group.hasSuffix(".k8s.io") ? String(group.dropLast(".k8s.io".count)) : group
        return trimmed.split(whereSeparator: { $0 == "." || $0 == "-" })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func pathParameter(_ name: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string", "uniqueItems": true],
         "description": .string(name == "name" ? "name of the object" : "namespace of the object")]
    }

    static func queryParameter(_ name: String, _ type: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "description": .string(description),
         "schema": ["type": .string(type), "uniqueItems": true]]
    }
}

/// The operations of one path, sharing the kind extension, tags and body schemas.
///
/// Value type; Sendable.
private struct Operations: Sendable {
    let gvk: JSONValue
    let tags: JSONValue
    let kindRef: JSONValue
    let listRef: JSONValue?

    private static let dryRun = OpenAPIDocument.queryParameter(
        "dryRun", "string", "When present (All), the request is processed but nothing is persisted.")
    private static let fieldManager = OpenAPIDocument.queryParameter(
        "fieldManager", "string", "The name of the actor making the change, recorded in managedFields.")
    private static let fieldValidation = OpenAPIDocument.queryParameter(
        "fieldValidation", "string",
        "How the server treats unknown or duplicate fields: Ignore, Warn (the default) or Strict.")
    private static let force = OpenAPIDocument.queryParameter(
        "force", "boolean", "Apply requests only: take ownership of fields other managers own.")
    private static let write = [dryRun, fieldManager, fieldValidation]
    private static let delete = [
        dryRun,
        OpenAPIDocument.queryParameter("gracePeriodSeconds", "integer", "Seconds before the object is deleted."),
        OpenAPIDocument.queryParameter("propagationPolicy", "string",
                                       "Orphan, Background or Foreground garbage collection of dependents."),
    ]
    private static let list: [JSONValue] = [
        ("allowWatchBookmarks", "boolean", "Watch only: ask for BOOKMARK events."),
        ("continue", "string", "The continue token of the previous page."),
        ("fieldSelector", "string", "Restrict the list by fields, e.g. metadata.name=web."),
        ("labelSelector", "string", "Restrict the list by labels, e.g. app=web,tier!=db."),
        ("limit", "integer", "Return at most this many objects and a continue token."),
        ("resourceVersion", "string", "Serve the list or start the watch at this version."),
        ("resourceVersionMatch", "string", "How resourceVersion applies: Exact or NotOlderThan."),
        ("sendInitialEvents", "boolean", "Watch only: start with ADDED events for the existing objects."),
        ("timeoutSeconds", "integer", "End the list or watch after this many seconds."),
        ("watch", "boolean", "Watch for changes instead of listing."),
    ].map { OpenAPIDocument.queryParameter($0.0, $0.1, $0.2) }

    private func operation(_ action: String, id: String, parameters: [JSONValue], body: JSONValue?,
                           responses: [String: JSONValue?]) -> JSONValue {
        var members: [String: JSONValue] = [
            "operationId": .string(id), "tags": tags, "x-kubernetes-action": .string(action),
            "x-kubernetes-group-version-kind": gvk,
        ]
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        if let body { members["requestBody"] = body }
        var replies: [String: JSONValue] = ["401": ["description": "Unauthorized"]]
        for (code, schema) in responses {
            var reply: [String: JSONValue] = ["description": .string(Self.statusText[code] ?? "OK")]
            if let schema { reply["content"] = Self.content(schema, types: Self.responseTypes) }
            replies[code] = .object(reply)
        }
        members["responses"] = .object(replies)
        return .object(members)
    }

    private static let statusText = ["200": "OK", "201": "Created", "202": "Accepted"]
    private static let responseTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]

    private static func content(_ schema: JSONValue, types: [String]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: types.map { ($0, ["schema": schema]) }))
    }

    private func body(_ schema: JSONValue, types: [String] = ["*/*"]) -> JSONValue {
        ["content": Self.content(schema, types: types), "required": true]
    }

    private var statusRef: JSONValue { OpenAPISchemas.ref(OpenAPISchemas.statusName) }
    private var deleteOptions: JSONValue { body(OpenAPISchemas.ref(OpenAPISchemas.deleteOptionsName)) }

    func list(id: String) -> JSONValue {
        operation("list", id: id, parameters: Self.list, body: nil, responses: ["200": listRef])
    }

    func create(id: String) -> JSONValue {
        operation("post", id: id, parameters: Self.write, body: body(kindRef),
                  responses: ["200": kindRef, "201": kindRef, "202": kindRef])
    }

    func deleteCollection(id: String) -> JSONValue {
        operation("deletecollection", id: id, parameters: Self.list + Self.delete, body: deleteOptions,
                  responses: ["200": statusRef])
    }

    func read(id: String) -> JSONValue {
        operation("get", id: id, parameters: [], body: nil, responses: ["200": kindRef])
    }

    func replace(id: String) -> JSONValue {
        operation("put", id: id, parameters: Self.write, body: body(kindRef),
                  responses: ["200": kindRef, "201": kindRef])
    }

    func patch(id: String) -> JSONValue {
        let types = ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json",
                     "application/strategic-merge-patch+json"]
        return operation("patch", id: id, parameters: Self.write + [Self.force],
                         body: body(OpenAPISchemas.ref(OpenAPISchemas.patchName), types: types),
                         responses: ["200": kindRef, "201": kindRef])
    }

    func delete(id: String) -> JSONValue {
        operation("delete", id: id, parameters: Self.delete, body: deleteOptions,
                  responses: ["200": statusRef, "202": statusRef])
    }
}
