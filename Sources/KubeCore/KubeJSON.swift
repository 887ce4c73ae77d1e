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

    /// Decodes a `Value` from `data` with ``decoder()``.
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        try decoder().decode(type, from: data)
    }
}
