/// A coding key built from any string; used for inline/dynamic JSON members.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ stringValue: String) { self.stringValue = stringValue }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `omitempty` helpers mirroring Go's `encoding/json`.
extension KeyedEncodingContainer {
    mutating func encodeUnlessEmpty(_ value: String, forKey key: Key) throws {
        if !value.isEmpty { try encode(value, forKey: key) }
    }

    mutating func encodeUnlessEmpty<Element: Encodable>(_ value: [Element], forKey key: Key) throws {
        if !value.isEmpty { try encode(value, forKey: key) }
    }

    mutating func encodeUnlessEmpty<Element: Encodable>(_ value: [String: Element], forKey key: Key) throws {
        if !value.isEmpty { try encode(value, forKey: key) }
    }

    mutating func encodeUnlessZero<Number: BinaryInteger & Encodable>(_ value: Number, forKey key: Key) throws {
        if value != 0 { try encode(value, forKey: key) }
    }
}

/// Go-style lenient decoding: a missing or `null` member decodes as the zero value.
extension KeyedDecodingContainer {
    func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key, orDefault defaultValue: Value) throws -> Value {
        try decodeIfPresent(type, forKey: key) ?? defaultValue
    }
}
