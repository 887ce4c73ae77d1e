import KubeAPI
import KubeCore

/// OpenAPI v3 `components.schemas` built from KubeAPI's ``TypeSchema``s, in upstream's shape: one object
/// schema per type, named by its `openAPIName`, with `description`, `properties`, `required`, `enum`, the
/// patch and list extensions (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`,
/// `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`), references as
/// `allOf: [{$ref}]` with the field's description beside them, and `x-kubernetes-group-version-kind` plus
/// `apiVersion` / `kind` properties on top-level kinds (and their synthesized `…List` kinds). Quantity
/// and IntOrString are upstream's v3 `oneOf` forms (string | number, integer | string with format
/// `int-or-string`), so `kubectl explain` names them (`<IntOrString>`, `<map[string]Quantity>`); Time and
/// MicroTime are strings with format `date-time`.
///
/// Value type built by one caller and then discarded; not shared between threads.
struct OpenAPISchemas {
    /// The schemas collected so far, by component name.
    private(set) var components: [String: JSONValue] = [:]

    static let metaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1."
    static let quantityName = "io.k8s.apimachinery.pkg.api.resource.Quantity"
    static let intOrStringName = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
    static let timeName = metaPrefix + "Time"
    static let microTimeName = metaPrefix + "MicroTime"
    static let statusName = metaPrefix + "Status"
    static let deleteOptionsName = metaPrefix + "DeleteOptions"
    static let patchName = metaPrefix + "Patch"

    /// `#/components/schemas/<name>`.
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/" + name)] }

    /// Adds `schema` and every type reachable from it (fields, array elements, map values).
    mutating func add(_ schema: TypeSchema) {
        guard components[schema.openAPIName] == nil else { return }
        components[schema.openAPIName] = object(schema)
        for field in schema.fields { addReferences(of: field.type) }
    }

    /// Adds `schema` as the top-level kind `group/version/kind` (GVK extension, `apiVersion`, `kind`) and,
    /// when `listKind` is given, the `<kind>List` schema beside it.
    mutating func addKind(_ schema: TypeSchema, group: String, version: String, kind: String, listKind: String?) {
        add(schema)
        guard case .object(var members)? = components[schema.openAPIName] else { return }
        members["x-kubernetes-group-version-kind"] = Self.gvk(group: group, version: version, kind: kind)
        var properties = members["properties"]?.members ?? [:]
        properties["apiVersion"] = Self.apiVersionProperty
        properties["kind"] = Self.kindProperty
        members["properties"] = .object(properties)
        components[schema.openAPIName] = .object(members)
        guard let listKind else { return }
        addMeta()
        components[Self.listName(of: schema)] = [
            "type": "object",
            "description": .string("\(listKind) is a list of \(kind) objects."),
            "required": ["items"],
            "properties": [
                "apiVersion": Self.apiVersionProperty,
                "kind": Self.kindProperty,
                "items": ["type": "array", "description": .string("The \(kind) objects."),
                          "items": ["allOf": [Self.ref(schema.openAPIName)], "default": [:]]],
                "metadata": ["allOf": [Self.ref(Self.metaPrefix + "ListMeta")], "default": [:],
                             "description": "Standard list metadata."],
            ],
            "x-kubernetes-group-version-kind": Self.gvk(group: group, version: version, kind: listKind),
        ]
    }

    /// The name of the synthesized list schema of a kind: `io.k8s.api.apps.v1.DeploymentList`.
    static func listName(of schema: TypeSchema) -> String { schema.openAPIName + "List" }

    /// Adds the meta types every document's operations use: ListMeta, Status, DeleteOptions and Patch.
    mutating func addMeta() {
        guard components[Self.statusName] == nil else { return }
        add(KubeCoreSchemas.listMeta)
        components[Self.patchName] = [
            "type": "object",
            "description": .string("The body of a PATCH request: a JSON patch, merge patch, strategic merge patch "
                + "or apply configuration."),
        ]
        components[Self.statusName] = [
            "type": "object",
            "description": "The result of an operation that does not return an object, and the body of every error.",
            "properties": [
                "apiVersion": Self.apiVersionProperty,
                "kind": Self.kindProperty,
                "metadata": ["allOf": [Self.ref(Self.metaPrefix + "ListMeta")], "default": [:],
                             "description": "Standard list metadata."],
                "status": ["type": "string", "description": "Success or Failure."],
                "message": ["type": "string", "description": "A human-readable description of the status."],
                "reason": ["type": "string", "description": "A machine-readable reason; empty when unknown."],
                "details": ["type": "object", "x-kubernetes-preserve-unknown-fields": true,
                            "description": "Extended data for the reason (name, group, kind, causes)."],
                "code": ["type": "integer", "format": "int32", "description": "The HTTP status code."],
            ],
            "x-kubernetes-group-version-kind": Self.gvk(group: "", version: "v1", kind: "Status"),
        ]
        components[Self.deleteOptionsName] = [
            "type": "object",
            "description": "Options for a DELETE request.",
            "properties": [
                "apiVersion": Self.apiVersionProperty,
                "kind": Self.kindProperty,
                "dryRun": ["type": "array", "items": ["type": "string", "default": ""],
                           "x-kubernetes-list-type": "atomic",
                           "description": "All: process the request without persisting it."],
                "gracePeriodSeconds": ["type": "integer", "format": "int64",
                                       "description": "Seconds before the object is deleted; 0 deletes immediately."],
                "propagationPolicy": ["type": "string",
                                      "description": "Orphan, Background or Foreground garbage collection of dependents."],
            ],
        ]
    }

    /// `[{group, version, kind}]`, upstream's form of the kind extension (core group is "").
    static func gvk(group: String, version: String, kind: String) -> JSONValue {
        [["group": .string(group), "version": .string(version), "kind": .string(kind)]]
    }

    private static let apiVersionProperty: JSONValue = [
        "type": "string",
        "description": "The versioned schema of this representation of an object; the server converts recognized schemas to the latest internal value.",
    ]
    private static let kindProperty: JSONValue = [
        "type": "string",
        "description": "The REST resource this object represents, in CamelCase; the server infers it from the endpoint.",
    ]

    private mutating func addReferences(of type: FieldType) {
        switch type {
        case .object(let name):
            if let schema = APIRegistry.schema(named: name) { add(schema) }
        case .array(let element), .map(let element):
            addReferences(of: element)
        case .quantity:
            components[Self.quantityName] = [
                "oneOf": [["type": "string"], ["type": "number"]],
                "description": "A fixed-point number with an optional suffix (binary Ki, Mi, Gi, …; decimal m, k, M, G, …; or an exponent), e.g. 100m, 1.5Gi, 2e3.",
            ]
        case .intOrString:
            components[Self.intOrStringName] = [
                "oneOf": [["type": "integer"], ["type": "string"]], "format": "int-or-string",
                "description": "A value that is either an int32 or a string, e.g. a port number or name, or a count or percentage.",
            ]
        case .time:
            components[Self.timeName] = [
                "type": "string", "format": "date-time",
                "description": "A timestamp in RFC 3339 form with second precision, always in UTC (e.g. 2024-05-01T12:00:00Z).",
            ]
        case .microTime:
            components[Self.microTimeName] = [
                "type": "string", "format": "date-time",
                "description": "A timestamp in RFC 3339 form with microsecond precision.",
            ]
        default:
            break
        }
    }

    /// The object schema of one type.
    private func object(_ schema: TypeSchema) -> JSONValue {
        var members: [String: JSONValue] = ["type": "object", "description": .string(schema.doc)]
        var properties: [String: JSONValue] = [:]
        for field in schema.fields { properties[field.name] = property(field) }
        if !properties.isEmpty { members["properties"] = .object(properties) }
        let required = schema.requiredFields
        if !required.isEmpty { members["required"] = .array(required.map { .string($0) }) }
        if schema.structType == "atomic" { members["x-kubernetes-map-type"] = "atomic" }
        return .object(members)
    }

    /// One property: its type schema, description, enum and patch / list extensions.
    private func property(_ field: FieldSchema) -> JSONValue {
        var members = typeSchema(field.type, format: field.format).members
        if let reference = members["$ref"] {
            members = ["allOf": [["$ref": reference]]]
        }
        if !field.doc.isEmpty { members["description"] = .string(field.doc) }
        if !field.enumValues.isEmpty {
            let values = JSONValue.array(field.enumValues.map { .string($0) })
            if case .array = field.type, var items = members["items"]?.members, items["type"] == "string" {
                items["enum"] = values
                members["items"] = .object(items)
            } else {
                members["enum"] = values
            }
        }
        if let strategy = field.patchStrategy { members["x-kubernetes-patch-strategy"] = .string(strategy) }
        if let key = field.patchMergeKey { members["x-kubernetes-patch-merge-key"] = .string(key) }
        if let listType = field.listType { members["x-kubernetes-list-type"] = .string(listType) }
        if !field.listMapKeys.isEmpty {
            members["x-kubernetes-list-map-keys"] = .array(field.listMapKeys.map { .string($0) })
        }
        return .object(members)
    }

    /// The schema of a type: a primitive with its format, an array, a map, or a `$ref` (for structs and the
    /// named string types Quantity, IntOrString, Time, MicroTime).
    private func typeSchema(_ type: FieldType, format: String? = nil) -> JSONValue {
        func primitive(_ name: String, _ defaultFormat: String?) -> JSONValue {
            var members: [String: JSONValue] = ["type": .string(name)]
            if let chosen = format ?? defaultFormat { members["format"] = .string(chosen) }
            return .object(members)
        }
        switch type {
        case .string: return primitive("string", nil)
        case .int32: return primitive("integer", "int32")
        case .int64: return primitive("integer", "int64")
        case .bool: return primitive("boolean", nil)
        case .double: return primitive("number", "double")
        case .bytes: return primitive("string", "byte")
        case .quantity: return Self.ref(Self.quantityName)
        case .intOrString: return Self.ref(Self.intOrStringName)
        case .time: return Self.ref(Self.timeName)
        case .microTime: return Self.ref(Self.microTimeName)
        case .json: return ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        case .object(let name):
            guard let schema = APIRegistry.schema(named: name) else { return ["type": "object"] }
            return Self.ref(schema.openAPIName)
        case .array(let element):
            return ["type": "array", "items": nested(element)]
        case .map(let value):
            return ["type": "object", "additionalProperties": nested(value)]
        }
    }

    /// An array element or map value: references wrapped in `allOf` as upstream does.
    private func nested(_ type: FieldType) -> JSONValue {
        let schema = typeSchema(type)
        guard let reference = schema["$ref"] else { return schema }
        if case .object = type { return ["allOf": [["$ref": reference]], "default": [:]] }
        return ["allOf": [["$ref": reference]]]
    }
}

/// Finds the ``TypeSchema`` of a kind: the registry resource with that group, version and kind, or any
/// generated type whose Go name, group and version match (for kinds such as `autoscaling/v1 Scale` that
/// are not resources). The index is built once, on first use.
///
/// Stateless namespace; the index is an immutable static (thread-safe lazy initialisation).
enum KindSchemas {
    static func schema(group: String, version: String, kind: String) -> TypeSchema? {
        if let type = APIRegistry.resourceType(forKind: kind, group: group, version: version) {
            return type.typeSchema
        }
        return byKind["\(group)/\(version)/\(kind)"]
    }

    /// The schema of a served resource's kind, nil when KubeAPI does not define it.
    static func schema(for resource: ServedResource) -> TypeSchema? {
        schema(group: resource.group, version: resource.version, kind: resource.kind)
    }

    private static let byKind: [String: TypeSchema] = Dictionary(
        APIRegistry.schemas.values.map { ("\($0.group)/\($0.version)/\($0.goName)", $0) },
        uniquingKeysWith: { first, second in first.name < second.name ? first : second }
    )
}
