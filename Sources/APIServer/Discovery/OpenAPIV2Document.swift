import Foundation
import KubeCore

/// Builds the Swagger 2.0 document served at `/openapi/v2` (what kubectl ≤ 1.28 reads for `explain`, and
/// every kubectl for client-side validation and apply's patch metadata when OpenAPI v3 does not answer).
/// It is derived from the OpenAPI v3 documents of every served group-version, so both describe the same
/// types: `components.schemas` become `definitions` (`#/definitions/<name>` references written directly
/// beside the field's description instead of `allOf: [{$ref}]`; Quantity and IntOrString become strings,
/// IntOrString with format `int-or-string`, as upstream's v2 has them), a type that several group-versions
/// describe is merged (the union of its `x-kubernetes-group-version-kind` entries and properties), and each
/// operation's `requestBody` becomes a `body` parameter plus `consumes`, its responses' content a `schema`
/// plus `produces`, and its parameters' `schema` is folded into the parameter (`type`, `uniqueItems`).
///
/// Stateless namespace; the returned value is immutable.
enum OpenAPIV2Document {
    static let definitionsPrefix = "#/definitions/"

    static func build(catalog: ResourceCatalog) -> JSONValue {
        let openAPIV3 = OpenAPIHandler(catalog: catalog)
        var definitions: [String: JSONValue] = [:]
        var paths: [String: JSONValue] = [:]
        for group in catalog.groups {
            for version in catalog.versions(of: group) {
                let document = openAPIV3.document(group: group, version: version)
                for (name, schema) in document["components"]?["schemas"]?.members ?? [:] {
                    let converted = self.schema(schema)
                    definitions[name] = definitions[name].map { merge($0, converted) } ?? converted
                }
                for (path, item) in document["paths"]?.members ?? [:] {
                    paths[path] = pathItem(item)
                }
            }
        }
        return [
            "swagger": "2.0",
            "info": ["title": "Kubernetes", "version": .string(ServerVersion.gitVersion)],
            "paths": .object(paths),
            "definitions": .object(definitions),
        ]
    }

    // MARK: Schemas

    /// A v3 schema as a v2 one (recursively through properties, items, additionalProperties and allOf).
    static func schema(_ value: JSONValue) -> JSONValue {
        guard case .object(var members) = value else { return value }
        if members.removeValue(forKey: "oneOf") != nil {
            // Quantity (string | number) and IntOrString (integer | string): strings in v2.
            members["type"] = "string"
        }
        if case .array(let parts)? = members["allOf"], parts.count == 1, let reference = parts[0]["$ref"] {
            members["allOf"] = nil
            members["default"] = nil
            members["$ref"] = reference
        }
        if case .string(let reference)? = members["$ref"] {
            members["$ref"] = .string(reference.replacingOccurrences(of: "#/components/schemas/",
                                                                     with: definitionsPrefix))
        }
        if case .object(let properties)? = members["properties"] {
            members["properties"] = .object(properties.mapValues(schema))
        }
        if let items = members["items"] { members["items"] = schema(items) }
        if let additional = members["additionalProperties"], case .object = additional {
            members["additionalProperties"] = schema(additional)
        }
        if case .array(let parts)? = members["allOf"] { members["allOf"] = .array(parts.map(schema)) }
        members["nullable"] = nil
        return .object(members)
    }

    /// Two descriptions of one definition from different group-versions: the union of their kind
    /// extensions and properties, the rest from the first.
    static func merge(_ first: JSONValue, _ second: JSONValue) -> JSONValue {
        var members = first.members
        let gvkKey = "x-kubernetes-group-version-kind"
        if case .array(let added)? = second[gvkKey] {
            var kinds: [JSONValue] = []
            if case .array(let existing)? = members[gvkKey] { kinds = existing }
            for kind in added where !kinds.contains(kind) { kinds.append(kind) }
            members[gvkKey] = .array(kinds)
        }
        if case .object(let added)? = second["properties"] {
            members["properties"] = .object(members["properties"]?.members.merging(added) { kept, _ in kept } ?? added)
        }
        return .object(members)
    }

    // MARK: Paths

    private static let operationKeys = ["get", "put", "post", "delete", "patch", "head", "options"]

    static func pathItem(_ item: JSONValue) -> JSONValue {
        var members = item.members
        if case .array(let parameters)? = members["parameters"] {
            members["parameters"] = .array(parameters.map(parameter))
        }
        for key in operationKeys {
            if let operation = members[key] { members[key] = self.operation(operation) }
        }
        return .object(members)
    }

    /// A v3 operation as a v2 one: `body` parameter first, `consumes` / `produces` from the media types.
    static func operation(_ value: JSONValue) -> JSONValue {
        var members = value.members
        var parameters: [JSONValue] = []
        if let body = members.removeValue(forKey: "requestBody") {
            let content = body["content"]?.members ?? [:]
            members["consumes"] = .array(content.keys.sorted().map { .string($0) })
            var parameter: [String: JSONValue] = ["name": "body", "in": "body", "required": body["required"] ?? true]
            if let first = content.keys.sorted().first, let bodySchema = content[first]?["schema"] {
                parameter["schema"] = schema(bodySchema)
            }
            parameters.append(.object(parameter))
        }
        if case .array(let query)? = members["parameters"] { parameters += query.map(parameter) }
        members["parameters"] = parameters.isEmpty ? nil : .array(parameters)

        var produces: Set<String> = []
        var responses: [String: JSONValue] = [:]
        for (code, response) in members["responses"]?.members ?? [:] {
            var converted: [String: JSONValue] = ["description": response["description"] ?? ""]
            let content = response["content"]?.members ?? [:]
            produces.formUnion(content.keys)
            if let first = content.keys.sorted().first, let responseSchema = content[first]?["schema"] {
                converted["schema"] = schema(responseSchema)
            }
            responses[code] = .object(converted)
        }
        members["responses"] = .object(responses)
        if !produces.isEmpty { members["produces"] = .array(produces.sorted().map { .string($0) }) }
        members["schemes"] = ["https"]
        return .object(members)
    }

    /// A v3 parameter (`schema: {type, …}`) as a v2 one (`type` and the rest beside `name` and `in`).
    static func parameter(_ value: JSONValue) -> JSONValue {
        var members = value.members
        if let parameterSchema = members.removeValue(forKey: "schema") {
            for (key, member) in parameterSchema.members where members[key] == nil { members[key] = member }
        }
        return .object(members)
    }
}
