public import Foundation

/// Factory for the JSON encoder/decoder used for Kubernetes objects.
///
/// The encoder sorts object keys (deterministic bytes) and does not escape `/`, matching Go's
/// `encoding/json` output apart from key order. Timestamps are handled by ``RFC3339Time`` and
/// ``MicroTime`` themselves, so no date strategy is configured.
/// Stateless namespace; each call returns a fresh, unshared instance, so it is safe from any thread.
public enum KubeJSON {
    /// A new encoder with `.sortedKeys` and `.withoutEscapingSlashes`.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A new decoder with default settings (unknown fields are ignored, as in Go).
    public static func decoder() -> JSONDecoder {
        JSONDecoder()
    }

    /// Encodes `value` with ``encoder()``.
    public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        try encoder().encode(value)
    }

    /// Decodes a `Value` from JSON text by parsing it into a ``JSONValue`` tree and decoding that with
    /// ``JSONValueDecoder``: opaque members (`managedFields[].fieldsV1`) are kept as parsed instead of being
    /// decoded member by member. Errors are `DecodingError`s, as from ``decode(_:from:)``.
    public static func decodeTree<Value: Decodable, Bytes: Collection<UInt8>>(_ type: Value.Type, from bytes: Bytes) throws -> Value {
        let tree: JSONValue
        do {
            tree = try JSONValueParser.parse(bytes)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The given data was not valid JSON: \(error)"))
        }
        return try JSONValueDecoder().decode(type, from: tree)
    }

    /// Decodes a `Value` from `data` with ``decoder()``.
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        try decoder().decode(type, from: data)
    }
}
