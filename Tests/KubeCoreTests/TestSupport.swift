import Foundation
import KubeCore

/// JSON text of `value` as produced by `KubeJSON.encoder()` (sorted keys).
func encodedJSON<Value: Encodable>(_ value: Value) throws -> String {
    String(decoding: try KubeJSON.encode(value), as: UTF8.self)
}

/// Decodes `Value` from JSON text with `KubeJSON.decoder()`.
func decodeJSON<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
    try KubeJSON.decode(type, from: Data(text.utf8))
}

/// Parses JSON text into a `JSONValue` for structural comparison.
func jsonValue(_ text: String) throws -> JSONValue {
    try decodeJSON(JSONValue.self, text)
}

/// Encodes `value` and re-reads it as a `JSONValue`.
func encodedJSONValue<Value: Encodable>(_ value: Value) throws -> JSONValue {
    try KubeJSON.decode(JSONValue.self, from: KubeJSON.encode(value))
}

/// A struct wrapping one value, to exercise Codable inside a keyed container.
struct Box<Value: Codable & Equatable>: Codable, Equatable {
    var value: Value
}
