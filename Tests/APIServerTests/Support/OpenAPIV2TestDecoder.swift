@testable import APIServer
import KubeCore

/// Test support: decodes gnostic `openapi.v2.Document` protobuf back into the Swagger 2.0 JSON shape, with
/// its own copy of the field numbers of gnostic's `OpenAPIv2.proto` (independent of the server's encoder,
/// so a wrong number there makes the round trip fail). Covers the messages the server writes: Document,
/// Info, Paths, PathItem, Operation, ParametersItem (body, query, path), Responses, Definitions, Schema,
/// NamedAny / Any (YAML read as JSON).
///
/// Value type; Sendable.
struct OpenAPIV2TestDecoder: Sendable {
    struct DecodingError: Error, CustomStringConvertible {
        var description: String
    }

    /// One field of a message: its number and raw value.
    private enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes([UInt8])

        var message: [UInt8] {
            if case .bytes(let bytes) = self { return bytes }
            return []
        }

        var string: String { String(decoding: message, as: UTF8.self) }

        var bool: Bool {
            if case .varint(let value) = self { return value != 0 }
            return false
        }
    }

    private func fields(_ bytes: [UInt8]) throws -> [(Int, Value)] {
        var reader = ProtobufReader(bytes)
        var fields: [(Int, Value)] = []
        while !reader.isAtEnd {
            let tag = try reader.readTag()
            switch tag.wireType {
            case .varint: fields.append((tag.field, .varint(try reader.readVarint())))
            case .fixed64: fields.append((tag.field, .fixed64(try reader.readFixed64())))
            case .lengthDelimited: fields.append((tag.field, .bytes(try reader.readBytes())))
            default: throw DecodingError(description: "unexpected wire type \(tag.wireType) for field \(tag.field)")
            }
        }
        return fields
    }

    func document(_ bytes: [UInt8]) throws -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (field, value) in try fields(bytes) {
            switch field {
            case 1: members["swagger"] = .string(value.string)
            case 2:
                var info: [String: JSONValue] = [:]
                for (infoField, infoValue) in try fields(value.message) {
                    if infoField == 1 { info["title"] = .string(infoValue.string) }
                    if infoField == 2 { info["version"] = .string(infoValue.string) }
                }
                members["info"] = .object(info)
            case 8:
                var paths: [String: JSONValue] = [:]
                for (pathsField, named) in try fields(value.message) where pathsField == 2 {
                    let (name, item) = try self.named(named.message)
                    paths[name] = try pathItem(item)
                }
                members["paths"] = .object(paths)
            case 9: members["definitions"] = try namedSchemas(value.message)
            default: throw DecodingError(description: "Document field \(field)")
            }
        }
        return .object(members)
    }

    /// `Named…`: name (1) and value message (2).
    private func named(_ bytes: [UInt8]) throws -> (String, [UInt8]) {
        var name = ""
        var value: [UInt8] = []
        for (field, raw) in try fields(bytes) {
            if field == 1 { name = raw.string }
            if field == 2 { value = raw.message }
        }
        return (name, value)
    }

    private func namedSchemas(_ bytes: [UInt8]) throws -> JSONValue {
        var schemas: [String: JSONValue] = [:]
        for (field, raw) in try fields(bytes) where field == 1 {
            let (name, value) = try named(raw.message)
            schemas[name] = try schema(value)
        }
        return .object(schemas)
    }

    /// `Any`: the YAML text (2), which the server writes as JSON.
    private func any(_ bytes: [UInt8]) throws -> JSONValue {
        for (field, raw) in try fields(bytes) where field == 2 { return try JSONValueParser.parse(raw.message) }
        throw DecodingError(description: "Any without yaml")
    }

    private func vendorExtension(_ bytes: [UInt8], into members: inout [String: JSONValue]) throws {
        let (name, value) = try named(bytes)
        members[name] = try any(value)
    }

    func schema(_ bytes: [UInt8]) throws -> JSONValue {
        var members: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        var enumValues: [JSONValue] = []
        var allOf: [JSONValue] = []
        for (field, raw) in try fields(bytes) {
            switch field {
            case 1: members["$ref"] = .string(raw.string)
            case 2: members["format"] = .string(raw.string)
            case 4: members["description"] = .string(raw.string)
            case 5: members["default"] = try any(raw.message)
            case 16: members["uniqueItems"] = .bool(raw.bool)
            case 19: required.append(.string(raw.string))
            case 20: enumValues.append(try any(raw.message))
            case 21:
                for (choice, value) in try fields(raw.message) {
                    members["additionalProperties"] = choice == 1 ? try schema(value.message) : .bool(value.bool)
                }
            case 22:
                let types = try fields(raw.message).filter { $0.0 == 1 }.map { JSONValue.string($0.1.string) }
                members["type"] = types.count == 1 ? types[0] : .array(types)
            case 23:
                let items = try fields(raw.message).filter { $0.0 == 1 }.map { try schema($0.1.message) }
                members["items"] = items.count == 1 ? items[0] : .array(items)
            case 24: allOf.append(try schema(raw.message))
            case 25: members["properties"] = try namedSchemas(raw.message)
            case 31: try vendorExtension(raw.message, into: &members)
            default: throw DecodingError(description: "Schema field \(field)")
            }
        }
        if !required.isEmpty { members["required"] = .array(required) }
        if !enumValues.isEmpty { members["enum"] = .array(enumValues) }
        if !allOf.isEmpty { members["allOf"] = .array(allOf) }
        return .object(members)
    }

    private func pathItem(_ bytes: [UInt8]) throws -> JSONValue {
        let operations = [2: "get", 3: "put", 4: "post", 5: "delete", 6: "options", 7: "head", 8: "patch"]
        var members: [String: JSONValue] = [:]
        var parameters: [JSONValue] = []
        for (field, raw) in try fields(bytes) {
            if let name = operations[field] {
                members[name] = try operation(raw.message)
            } else if field == 9 {
                parameters.append(try parametersItem(raw.message))
            } else {
                throw DecodingError(description: "PathItem field \(field)")
            }
        }
        if !parameters.isEmpty { members["parameters"] = .array(parameters) }
        return .object(members)
    }

    private func operation(_ bytes: [UInt8]) throws -> JSONValue {
        var members: [String: JSONValue] = [:]
        var lists: [String: [JSONValue]] = [:]
        for (field, raw) in try fields(bytes) {
            switch field {
            case 1: lists["tags", default: []].append(.string(raw.string))
            case 5: members["operationId"] = .string(raw.string)
            case 6: lists["produces", default: []].append(.string(raw.string))
            case 7: lists["consumes", default: []].append(.string(raw.string))
            case 8: lists["parameters", default: []].append(try parametersItem(raw.message))
            case 9: members["responses"] = try responses(raw.message)
            case 10: lists["schemes", default: []].append(.string(raw.string))
            case 13: try vendorExtension(raw.message, into: &members)
            default: throw DecodingError(description: "Operation field \(field)")
            }
        }
        for (key, list) in lists { members[key] = .array(list) }
        return .object(members)
    }

    private func responses(_ bytes: [UInt8]) throws -> JSONValue {
        var responses: [String: JSONValue] = [:]
        for (field, raw) in try fields(bytes) where field == 1 {
            let (code, value) = try named(raw.message)
            for (choice, responseBytes) in try fields(value) where choice == 1 {
                var response: [String: JSONValue] = [:]
                for (responseField, member) in try fields(responseBytes.message) {
                    if responseField == 1 { response["description"] = .string(member.string) }
                    if responseField == 2 {
                        for (itemField, item) in try fields(member.message) where itemField == 1 {
                            response["schema"] = try schema(item.message)
                        }
                    }
                }
                responses[code] = .object(response)
            }
        }
        return .object(responses)
    }

    /// `ParametersItem` → `Parameter` → body (1) or non-body (2: query 3, path 4).
    private func parametersItem(_ bytes: [UInt8]) throws -> JSONValue {
        var members: [String: JSONValue] = [:]
        for (itemField, parameter) in try fields(bytes) where itemField == 1 {
            for (kind, payload) in try fields(parameter.message) {
                if kind == 1 {
                    for (field, raw) in try fields(payload.message) {
                        switch field {
                        case 1: members["description"] = .string(raw.string)
                        case 2: members["name"] = .string(raw.string)
                        case 3: members["in"] = .string(raw.string)
                        case 4: members["required"] = .bool(raw.bool)
                        case 5: members["schema"] = try schema(raw.message)
                        default: throw DecodingError(description: "BodyParameter field \(field)")
                        }
                    }
                    continue
                }
                for (location, sub) in try fields(payload.message) {
                    // QueryParameterSubSchema: type 6, unique_items 20; PathParameterSubSchema: type 5, 19.
                    let (typeField, uniqueField) = location == 3 ? (6, 20) : (5, 19)
                    guard location == 3 || location == 4 else {
                        throw DecodingError(description: "NonBodyParameter choice \(location)")
                    }
                    for (field, raw) in try fields(sub.message) {
                        switch field {
                        case 1: members["required"] = .bool(raw.bool)
                        case 2: members["in"] = .string(raw.string)
                        case 3: members["description"] = .string(raw.string)
                        case 4: members["name"] = .string(raw.string)
                        case typeField: members["type"] = .string(raw.string)
                        case uniqueField: members["uniqueItems"] = .bool(raw.bool)
                        default: throw DecodingError(description: "parameter sub-schema field \(field)")
                        }
                    }
                }
            }
        }
        return .object(members)
    }
}
