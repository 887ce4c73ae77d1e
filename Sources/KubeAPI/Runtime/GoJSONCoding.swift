import Foundation

// Go `encoding/json` behaviour for the generated types:
// - a missing or `null` member decodes as the Go zero value (so do `null` elements of arrays and maps);
// - `omitempty` drops "", 0, false and empty arrays and maps; structs are never omitted;
// - `[]byte` is a standard base64 string with padding.

/// Values Go's `omitempty` can drop.
protocol GoOmittable {
    /// Whether Go's `omitempty` drops this value.
    var isGoEmpty: Bool { get }
}

extension String: GoOmittable { var isGoEmpty: Bool { isEmpty } }
extension Int32: GoOmittable { var isGoEmpty: Bool { self == 0 } }
extension Int64: GoOmittable { var isGoEmpty: Bool { self == 0 } }
extension Bool: GoOmittable { var isGoEmpty: Bool { !self } }
extension Double: GoOmittable { var isGoEmpty: Bool { self == 0 } }
extension Array: GoOmittable { var isGoEmpty: Bool { isEmpty } }
extension Dictionary: GoOmittable { var isGoEmpty: Bool { isEmpty } }

/// `[]byte` in JSON: a standard base64 string with padding; `null` is no bytes.
struct Base64Bytes: Codable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            bytes = []
            return
        }
        let text = try container.decode(String.self)
        // Go's base64.StdEncoding skips carriage returns and newlines.
        let cleaned = text.filter { $0 != "\r" && $0 != "\n" }
        guard let data = Data(base64Encoded: cleaned) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "illegal base64 data: expected standard base64 with padding (e.g. \"aGVsbG8=\")"
            )
        }
        bytes = [UInt8](data)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Data(bytes).base64EncodedString())
    }
}

extension KeyedDecodingContainer {
    /// A missing or `null` member is `zero`; a member of the wrong JSON type throws.
    func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key, orZero zero: @autoclosure () -> Value) throws -> Value {
        try decodeIfPresent(type, forKey: key) ?? zero()
    }

    /// A list whose `null` elements become `zeroElement`; a missing or `null` list is empty.
    func decodeList<Element: Decodable>(
        _ type: Element.Type, forKey key: Key, zeroElement: @autoclosure () -> Element
    ) throws -> [Element] {
        guard let elements = try decodeIfPresent([Element?].self, forKey: key) else { return [] }
        return elements.map { $0 ?? zeroElement() }
    }

    /// A map whose `null` values become `zeroElement`; a missing or `null` map is empty.
    func decodeMap<Element: Decodable>(
        _ type: Element.Type, forKey key: Key, zeroElement: @autoclosure () -> Element
    ) throws -> [String: Element] {
        guard let members = try decodeIfPresent([String: Element?].self, forKey: key) else { return [:] }
        return members.mapValues { $0 ?? zeroElement() }
    }

    func decodeBytes(forKey key: Key) throws -> [UInt8] {
        try decodeIfPresent(Base64Bytes.self, forKey: key)?.bytes ?? []
    }

    func decodeBytesIfPresent(forKey key: Key) throws -> [UInt8]? {
        try decodeIfPresent(Base64Bytes.self, forKey: key)?.bytes
    }

    func decodeBytesList(forKey key: Key) throws -> [[UInt8]] {
        try decodeIfPresent([Base64Bytes?].self, forKey: key)?.map { $0?.bytes ?? [] } ?? []
    }

    func decodeBytesMap(forKey key: Key) throws -> [String: [UInt8]] {
        try decodeIfPresent([String: Base64Bytes?].self, forKey: key)?.mapValues { $0?.bytes ?? [] } ?? [:]
    }
}

extension KeyedEncodingContainer {
    /// Go `omitempty`: nothing is written for "", 0, false or an empty array or map.
    mutating func encodeOmitEmpty<Value: Encodable & GoOmittable>(_ value: Value, forKey key: Key) throws {
        if !value.isGoEmpty { try encode(value, forKey: key) }
    }

    /// A Go field that is never omitted: `null` when nil (non-pointer times, pointers without `omitempty`).
    mutating func encodeOrNull<Value: Encodable>(_ value: Value?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }

    mutating func encodeBytes(_ value: [UInt8], forKey key: Key, omitEmpty: Bool) throws {
        if omitEmpty && value.isEmpty { return }
        try encode(Base64Bytes(value), forKey: key)
    }

    mutating func encodeBytesIfPresent(_ value: [UInt8]?, forKey key: Key, nullWhenNil: Bool = false) throws {
        try nullWhenNil ? encodeOrNull(value.map(Base64Bytes.init), forKey: key)
            : encodeIfPresent(value.map(Base64Bytes.init), forKey: key)
    }

    mutating func encodeBytesList(_ value: [[UInt8]], forKey key: Key, omitEmpty: Bool) throws {
        if omitEmpty && value.isEmpty { return }
        try encode(value.map(Base64Bytes.init), forKey: key)
    }

    mutating func encodeBytesMap(_ value: [String: [UInt8]], forKey key: Key, omitEmpty: Bool) throws {
        if omitEmpty && value.isEmpty { return }
        try encode(value.mapValues(Base64Bytes.init), forKey: key)
    }
}

/// Coding keys of a type without fields: it still requires (and writes) a JSON object.
struct NoCodingKeys: CodingKey {
    var stringValue: String { "" }
    var intValue: Int? { nil }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}
