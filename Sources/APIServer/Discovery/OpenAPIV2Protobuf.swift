import KubeCore

/// Encodes a Swagger 2.0 document (as ``OpenAPIV2Document`` builds it) as gnostic's `openapi.v2.Document`
/// protobuf, the form client-go asks for (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`)
/// and always parses. Field numbers are those of gnostic's `OpenAPIv2.proto`; maps are written as their
/// repeated `Named…` pairs in sorted key order, `x-…` members as `vendor_extension` `NamedAny`s whose
/// `Any.yaml` holds the value as JSON text (JSON is YAML, so kube-openapi's YAML decoding reads it), and
/// `enum` / `default` values likewise as `Any`s. Only the members the server's documents use are encoded
/// (others are skipped): Document, Info, Paths, PathItem, Operation, body / query / path / header
/// parameters, Responses, Definitions and Schema with its properties, items, additionalProperties, allOf
/// and the common validation keywords.
///
/// Stateless namespace; pure.
enum OpenAPIV2Protobuf {
    static func encode(_ document: JSONValue) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.string(1, document["swagger"]?.stringValue ?? "2.0")
        if let info = document["info"] {
            writer.message(2) { writer in
                writer.string(1, info["title"]?.stringValue ?? "")
                writer.string(2, info["version"]?.stringValue ?? "")
                writer.string(3, info["description"]?.stringValue ?? "")
                vendorExtensions(&writer, 7, info)
            }
        }
        writer.string(3, document["host"]?.stringValue ?? "")
        writer.string(4, document["basePath"]?.stringValue ?? "")
        for (field, key) in [(5, "schemes"), (6, "consumes"), (7, "produces")] {
            for value in strings(document[key]) { writer.repeatedString(field, value) }
        }
        if let paths = document["paths"] {
            writer.message(8) { writer in
                for (name, item) in sorted(paths) {
                    if name.hasPrefix("x-") {
                        writer.message(1) { namedAny(&$0, name, item) }
                    } else {
                        writer.message(2) { named in
                            named.string(1, name)
                            named.message(2) { pathItem(&$0, item) }
                        }
                    }
                }
            }
        }
        if let definitions = document["definitions"] {
            writer.message(9) { namedSchemas(&$0, definitions) }
        }
        vendorExtensions(&writer, 16, document)
        return writer.bytes
    }

    // MARK: Paths and operations

    private static let operationFields = [
        ("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("options", 6), ("head", 7), ("patch", 8),
    ]

    private static func pathItem(_ writer: inout ProtobufWriter, _ item: JSONValue) {
        writer.string(1, item["$ref"]?.stringValue ?? "")
        for (key, field) in operationFields {
            if let operation = item[key] { writer.message(field) { self.operation(&$0, operation) } }
        }
        for parameter in elements(item["parameters"]) { writer.message(9) { parametersItem(&$0, parameter) } }
        vendorExtensions(&writer, 10, item)
    }

    private static func operation(_ writer: inout ProtobufWriter, _ operation: JSONValue) {
        for tag in strings(operation["tags"]) { writer.repeatedString(1, tag) }
        writer.string(2, operation["summary"]?.stringValue ?? "")
        writer.string(3, operation["description"]?.stringValue ?? "")
        writer.string(5, operation["operationId"]?.stringValue ?? "")
        for type in strings(operation["produces"]) { writer.repeatedString(6, type) }
        for type in strings(operation["consumes"]) { writer.repeatedString(7, type) }
        for parameter in elements(operation["parameters"]) { writer.message(8) { parametersItem(&$0, parameter) } }
        if let responses = operation["responses"] {
            writer.message(9) { writer in
                for (code, response) in sorted(responses) {
                    if code.hasPrefix("x-") {
                        writer.message(2) { namedAny(&$0, code, response) }
                        continue
                    }
                    writer.message(1) { named in
                        named.string(1, code)
                        named.message(2) { value in
                            if let reference = response["$ref"]?.stringValue {
                                value.message(2) { $0.string(1, reference) }
                            } else {
                                value.message(1) { self.response(&$0, response) }
                            }
                        }
                    }
                }
            }
        }
        for scheme in strings(operation["schemes"]) { writer.repeatedString(10, scheme) }
        writer.bool(11, operation["deprecated"] == true)
        vendorExtensions(&writer, 13, operation)
    }

    private static func response(_ writer: inout ProtobufWriter, _ response: JSONValue) {
        writer.string(1, response["description"]?.stringValue ?? "")
        if let responseSchema = response["schema"] {
            writer.message(2) { item in item.message(1) { schema(&$0, responseSchema) } }
        }
        vendorExtensions(&writer, 5, response)
    }

    /// `ParametersItem`: a `JsonReference` for `$ref`, else a `Parameter` (body or non-body).
    private static func parametersItem(_ writer: inout ProtobufWriter, _ parameter: JSONValue) {
        if let reference = parameter["$ref"]?.stringValue {
            writer.message(2) { $0.string(1, reference) }
            return
        }
        writer.message(1) { wrapper in
            let location = parameter["in"]?.stringValue ?? ""
            if location == "body" {
                wrapper.message(1) { body in
                    body.string(1, parameter["description"]?.stringValue ?? "")
                    body.string(2, parameter["name"]?.stringValue ?? "")
                    body.string(3, location)
                    body.bool(4, parameter["required"] == true)
                    if let bodySchema = parameter["schema"] { body.message(5) { schema(&$0, bodySchema) } }
                    vendorExtensions(&body, 6, parameter)
                }
                return
            }
            // NonBodyParameter: header = 1, formData = 2, query = 3, path = 4. Query and formData have
            // `allow_empty_value` at 5, which moves every later field up by one.
            let (choice, shift): (Int, Int) = switch location {
            case "header": (1, 0)
            case "formData": (2, 1)
            case "path": (4, 0)
            default: (3, 1)
            }
            wrapper.message(2) { nonBody in
                nonBody.message(choice) { sub in
                    sub.bool(1, parameter["required"] == true)
                    sub.string(2, location)
                    sub.string(3, parameter["description"]?.stringValue ?? "")
                    sub.string(4, parameter["name"]?.stringValue ?? "")
                    if shift == 1 { sub.bool(5, parameter["allowEmptyValue"] == true) }
                    sub.string(5 + shift, parameter["type"]?.stringValue ?? "")
                    sub.string(6 + shift, parameter["format"]?.stringValue ?? "")
                    sub.string(8 + shift, parameter["collectionFormat"]?.stringValue ?? "")
                    if let value = parameter["default"] { sub.message(9 + shift) { any(&$0, value) } }
                    sub.bool(19 + shift, parameter["uniqueItems"] == true)
                    for value in elements(parameter["enum"]) { sub.message(20 + shift) { any(&$0, value) } }
                    vendorExtensions(&sub, 22 + shift, parameter)
                }
            }
        }
    }

    // MARK: Schemas

    /// `Definitions` and `Properties` alike: repeated `NamedSchema` at field 1.
    private static func namedSchemas(_ writer: inout ProtobufWriter, _ schemas: JSONValue) {
        for (name, value) in sorted(schemas) {
            writer.message(1) { named in
                named.string(1, name)
                named.message(2) { schema(&$0, value) }
            }
        }
    }

    static func schema(_ writer: inout ProtobufWriter, _ schema: JSONValue) {
        writer.string(1, schema["$ref"]?.stringValue ?? "")
        writer.string(2, schema["format"]?.stringValue ?? "")
        writer.string(3, schema["title"]?.stringValue ?? "")
        writer.string(4, schema["description"]?.stringValue ?? "")
        if let value = schema["default"] { writer.message(5) { any(&$0, value) } }
        writer.double(6, number(schema["multipleOf"]))
        writer.double(7, number(schema["maximum"]))
        writer.bool(8, schema["exclusiveMaximum"] == true)
        writer.double(9, number(schema["minimum"]))
        writer.bool(10, schema["exclusiveMinimum"] == true)
        writer.int64(11, schema["maxLength"]?.integerValue ?? 0)
        writer.int64(12, schema["minLength"]?.integerValue ?? 0)
        writer.string(13, schema["pattern"]?.stringValue ?? "")
        writer.int64(14, schema["maxItems"]?.integerValue ?? 0)
        writer.int64(15, schema["minItems"]?.integerValue ?? 0)
        writer.bool(16, schema["uniqueItems"] == true)
        writer.int64(17, schema["maxProperties"]?.integerValue ?? 0)
        writer.int64(18, schema["minProperties"]?.integerValue ?? 0)
        for name in strings(schema["required"]) { writer.repeatedString(19, name) }
        for value in elements(schema["enum"]) { writer.message(20) { any(&$0, value) } }
        switch schema["additionalProperties"] {
        case .bool(let allowed)?:
            writer.message(21) { $0.bool(2, allowed) }
        case let additional? where additional.isObject:
            writer.message(21) { item in item.message(1) { self.schema(&$0, additional) } }
        default:
            break
        }
        if let type = schema["type"] {
            writer.message(22) { item in
                for name in type.stringValue.map({ [$0] }) ?? strings(type) { item.repeatedString(1, name) }
            }
        }
        switch schema["items"] {
        case let items? where items.isObject:
            writer.message(23) { item in item.message(1) { self.schema(&$0, items) } }
        case .array(let all)?:
            writer.message(23) { item in for element in all { item.message(1) { self.schema(&$0, element) } } }
        default:
            break
        }
        for part in elements(schema["allOf"]) { writer.message(24) { self.schema(&$0, part) } }
        if let properties = schema["properties"] { writer.message(25) { namedSchemas(&$0, properties) } }
        writer.string(26, schema["discriminator"]?.stringValue ?? "")
        writer.bool(27, schema["readOnly"] == true)
        if let value = schema["example"] { writer.message(30) { any(&$0, value) } }
        vendorExtensions(&writer, 31, schema)
    }

    // MARK: Values

    /// Every `x-…` member of `object` as a repeated `NamedAny` at `field`.
    private static func vendorExtensions(_ writer: inout ProtobufWriter, _ field: Int, _ object: JSONValue) {
        for (name, value) in sorted(object) where name.hasPrefix("x-") {
            writer.message(field) { namedAny(&$0, name, value) }
        }
    }

    private static func namedAny(_ writer: inout ProtobufWriter, _ name: String, _ value: JSONValue) {
        writer.string(1, name)
        writer.message(2) { any(&$0, value) }
    }

    /// `Any` with the value as YAML text (field 2); JSON text is valid YAML for every value.
    private static func any(_ writer: inout ProtobufWriter, _ value: JSONValue) {
        writer.repeatedString(2, String(decoding: value.jsonBytes, as: UTF8.self) + "\n")
    }

    private static func sorted(_ object: JSONValue) -> [(String, JSONValue)] {
        object.members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private static func elements(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let elements)? = value { return elements }
        return []
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        elements(value).compactMap(\.stringValue)
    }

    private static func number(_ value: JSONValue?) -> Double {
        switch value {
        case .integer(let number)?: Double(number)
        case .number(let number)?: number
        default: 0
        }
    }
}

private extension JSONValue {
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
