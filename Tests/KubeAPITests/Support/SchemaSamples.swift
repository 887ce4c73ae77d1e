import Foundation
@testable import KubeAPI
import KubeCore

/// Builds JSON from ``TypeSchema``s: a sample with every field set, and the JSON Go would write for
/// a zero value. Comparing these with what the Swift types decode and encode checks that the generated
/// code, the schemas and the Go coding rules agree, for every type at once.
struct SchemaSamples {
    let schemas: [String: TypeSchema]

    /// The registry's schemas plus `extra` (the fixture types).
    init(extra: [TypeSchema] = []) {
        var all = APIRegistry.schemas
        for schema in extra { all[schema.name] = schema }
        schemas = all
    }

    /// An object with every field set to a non-zero value (recursion through lists and maps stops at `depth` 3).
    func sample(_ schema: TypeSchema, depth: Int = 0) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for field in schema.fields {
            if let value = sample(field, field.type, depth: depth) { members[field.name] = value }
        }
        return .object(members)
    }

    private func sample(_ field: FieldSchema, _ type: FieldType, depth: Int) -> JSONValue? {
        switch type {
        case .string: return .string(field.enumValues.first { !$0.isEmpty } ?? "value-of-" + field.name)
        case .int32: return 7
        case .int64: return 42
        case .bool: return true
        case .double: return 0.5
        case .bytes: return "aGVsbG8="
        case .quantity: return "250m"
        case .intOrString: return "25%"
        case .time: return "2024-05-06T07:08:09Z"
        case .microTime: return "2024-05-06T07:08:09.123456Z"
        case .json: return ["k": ["v", 1, true], "n": nil]
        case .object(let name):
            guard let schema = schemas[name] else { return nil }
            return sample(schema, depth: depth + 1)
        case .array(let element):
            if depth >= 3, element.referencedTypeName != nil { return field.always ? [] : nil }
            return sample(field, element, depth: depth + 1).map { .array([$0]) }
        case .map(let element):
            if depth >= 3, element.referencedTypeName != nil { return field.always ? [:] : nil }
            return sample(field, element, depth: depth + 1).map { .object(["key": $0]) }
        }
    }

    /// What Go's `encoding/json` writes for the zero value of `schema`.
    func zero(_ schema: TypeSchema) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for field in schema.fields {
            if let value = zero(field) { members[field.name] = value }
        }
        return .object(members)
    }

    private func zero(_ field: FieldSchema) -> JSONValue? {
        if field.pointer { return field.always ? .null : nil }
        switch field.type {
        case .time, .microTime, .json: return .null
        case .quantity: return "0"
        case .intOrString: return 0
        case .object(let name): return schemas[name].map(zero)
        case .string, .bytes: return field.always ? "" : nil
        case .int32, .int64, .double: return field.always ? 0 : nil
        case .bool: return field.always ? false : nil
        case .array: return field.always ? [] : nil
        case .map: return field.always ? [:] : nil
        }
    }
}

/// JSON helpers for the tests.
enum TestJSON {
    static func data(_ value: JSONValue) throws -> Data { try KubeJSON.encode(value) }

    static func data(_ text: String) -> Data { Data(text.utf8) }

    static func value(_ data: Data) throws -> JSONValue { try KubeJSON.decode(JSONValue.self, from: data) }

    static func string(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// Paths (`.spec.containers[0].name`) where `actual` and `expected` differ; empty when equal.
    static func differences(_ actual: JSONValue, _ expected: JSONValue, at path: String = "") -> [String] {
        switch (actual, expected) {
        case (.object(let left), .object(let right)):
            return Set(left.keys).union(right.keys).sorted().flatMap { key -> [String] in
                switch (left[key], right[key]) {
                case (let l?, let r?): return differences(l, r, at: path + "." + key)
                case (nil, let r?): return ["\(path).\(key): missing, expected \(r)"]
                case (let l?, nil): return ["\(path).\(key): unexpected \(l)"]
                case (nil, nil): return []
                }
            }
        case (.array(let left), .array(let right)) where left.count == right.count:
            return zip(left, right).enumerated().flatMap { differences($1.0, $1.1, at: path + "[\($0)]") }
        default:
            return actual == expected ? [] : ["\(path.isEmpty ? "." : path): \(actual), expected \(expected)"]
        }
    }

    /// Decodes `input` as `T`, encodes it again, and returns the re-encoded JSON and the decoded value.
    static func roundTrip<T: Codable>(_ type: T.Type, _ input: Data) throws -> (JSONValue, T) {
        let decoded = try KubeJSON.decode(T.self, from: input)
        return (try value(try KubeJSON.encode(decoded)), decoded)
    }
}
