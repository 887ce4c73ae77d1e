import Foundation

/// Decodes `Decodable` values straight from a parsed ``JSONValue`` tree, without serialising it to bytes and
/// scanning them again as `JSONDecoder` would.
///
/// Behaves like ``KubeJSON/decoder()`` (Foundation's `JSONDecoder` with default settings) for the types
/// Kubernetes objects use: unknown members are ignored; numbers convert to any integer type when exact and in
/// range; `null` for a non-optional value is `valueNotFound`; errors carry the coding path. A ``JSONValue``
/// member is returned as the subtree itself, so opaque payloads such as `managedFields[].fieldsV1` cost nothing
/// to decode.
///
/// Value type; Sendable and stateless, so one instance may be shared by concurrent callers.
public struct JSONValueDecoder: Sendable {
    public init() {}

    /// Decodes a `Value` from `json`.
    public func decode<Value: Decodable>(_ type: Value.Type, from json: JSONValue) throws -> Value {
        if let fast = Value.self as? any JSONTreeCodable.Type, let value = try? fast.init(jsonTree: json) {
            return value as! Value
        }
        return try Value(from: JSONValueDecoding(value: json, path: nil))
    }
}

/// One link of a coding path, built only as deep as decoding goes and turned into an array only for errors.
///
/// Immutable reference type; not shared across threads (each decode owns its chain).
final class CodingPathLink {
    let parent: CodingPathLink?
    let key: any CodingKey

    init(parent: CodingPathLink?, key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    static func path(_ link: CodingPathLink?) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        var current = link
        while let node = current {
            keys.append(node.key)
            current = node.parent
        }
        return keys.reversed()
    }
}

/// An integer position in an array, as a coding key.
struct IndexCodingKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

/// The `Decoder` for one value of the tree.
///
/// Value type, used by one decode call on one thread.
struct JSONValueDecoding: Decoder {
    let value: JSONValue
    let path: CodingPathLink?

    var codingPath: [any CodingKey] { CodingPathLink.path(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch value {
        case .object(let members):
            return KeyedDecodingContainer(JSONValueKeyedDecoding<Key>(members: members, path: path))
        case .null:
            throw DecodingError.valueNotFound(
                [String: JSONValue].self,
                .init(codingPath: codingPath, debugDescription: "Cannot get keyed decoding container -- found null value instead")
            )
        default:
            throw JSONValueDecoding.mismatch([String: JSONValue].self, value, path)
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .array(let elements):
            return JSONValueUnkeyedDecoding(elements: elements, path: path)
        case .null:
            throw DecodingError.valueNotFound(
                [JSONValue].self,
                .init(codingPath: codingPath, debugDescription: "Cannot get unkeyed decoding container -- found null value instead")
            )
        default:
            throw JSONValueDecoding.mismatch([JSONValue].self, value, path)
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONValueSingleDecoding(value: value, path: path)
    }

    // MARK: Scalars, shared by the three containers

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: CodingPathLink?) -> DecodingError {
        DecodingError.typeMismatch(
            type, .init(codingPath: CodingPathLink.path(path), debugDescription: "Expected to decode \(type) but found \(kindName(value)) instead.")
        )
    }

    static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .integer, .number: "number"
        case .string: "a string"
        case .array: "an array"
        case .object: "a dictionary"
        }
    }

    static func null(_ type: Any.Type, _ path: CodingPathLink?) -> DecodingError {
        DecodingError.valueNotFound(
            type, .init(codingPath: CodingPathLink.path(path), debugDescription: "Cannot get value of type \(type) -- found null value instead")
        )
    }

    static func bool(_ value: JSONValue, _ path: CodingPathLink?) throws -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .null: throw null(Bool.self, path)
        default: throw mismatch(Bool.self, value, path)
        }
    }

    static func string(_ value: JSONValue, _ path: CodingPathLink?) throws -> String {
        switch value {
        case .string(let text): return text
        case .null: throw null(String.self, path)
        default: throw mismatch(String.self, value, path)
        }
    }

    static func double(_ value: JSONValue, _ path: CodingPathLink?) throws -> Double {
        switch value {
        case .integer(let number): return Double(number)
        case .number(let number): return number
        case .null: throw null(Double.self, path)
        default: throw mismatch(Double.self, value, path)
        }
    }

    static func integer<Integer: FixedWidthInteger>(_ type: Integer.Type, _ value: JSONValue, _ path: CodingPathLink?) throws -> Integer {
        switch value {
        case .integer(let number):
            if let exact = Integer(exactly: number) { return exact }
            throw notRepresentable(type, "\(number)", path)
        case .number(let number):
            if let exact = Integer(exactly: number) { return exact }
            throw notRepresentable(type, "\(number)", path)
        case .null:
            throw null(type, path)
        default:
            throw mismatch(type, value, path)
        }
    }

    /// A JSON number as a `Decimal` (as Foundation's `JSONDecoder` reads one), from its shortest decimal text.
    static func decimal(_ value: JSONValue, _ path: CodingPathLink?) throws -> Decimal {
        switch value {
        case .integer(let number): return Decimal(number)
        case .number(let number):
            if let decimal = Decimal(string: "\(number)") { return decimal }
            throw notRepresentable(Decimal.self, "\(number)", path)
        case .null: throw null(Decimal.self, path)
        default: throw mismatch(Decimal.self, value, path)
        }
    }

    private static func notRepresentable(_ type: Any.Type, _ text: String, _ path: CodingPathLink?) -> DecodingError {
        DecodingError.dataCorrupted(
            .init(codingPath: CodingPathLink.path(path), debugDescription: "Number \(text) is not representable in Swift as \(type).")
        )
    }

    /// A nested value: scalars, optionals, arrays and string-keyed maps without a nested decoder (the path
    /// is built only for an error or a nested decoder), anything else through its `init(from:)`.
    static func decode<Value: Decodable>(_ type: Value.Type, from value: JSONValue, path: () -> CodingPathLink?) throws -> Value {
        if Value.self == String.self {
            if case .string(let text) = value { return text as! Value }
            return try string(value, path()) as! Value
        }
        if Value.self == Bool.self {
            if case .bool(let flag) = value { return flag as! Value }
            return try bool(value, path()) as! Value
        }
        if Value.self == Int.self { return try integer(Int.self, value, path()) as! Value }
        if Value.self == Int64.self { return try integer(Int64.self, value, path()) as! Value }
        if Value.self == Int32.self { return try integer(Int32.self, value, path()) as! Value }
        if Value.self == Double.self { return try double(value, path()) as! Value }
        if Value.self == JSONValue.self { return value as! Value }
        if Value.self == Decimal.self { return try decimal(value, path()) as! Value }
        if let container = Value.self as? any JSONTreeDecodable.Type {
            return try container.decodeTree(value, path: path) as! Value
        }
        if let fast = Value.self as? any JSONTreeCodable.Type, let decoded = try? fast.init(jsonTree: value) {
            return decoded as! Value
        }
        return try Value(from: JSONValueDecoding(value: value, path: path()))
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from value: JSONValue, path: CodingPathLink?) throws -> Value {
        try decode(type, from: value, path: { path })
    }
}

/// Containers the tree decoder fills directly, without a nested `Decoder` and container per value.
protocol JSONTreeDecodable {
    static func decodeTree(_ value: JSONValue, path: () -> CodingPathLink?) throws -> Self
}

extension Optional: JSONTreeDecodable where Wrapped: Decodable {
    static func decodeTree(_ value: JSONValue, path: () -> CodingPathLink?) throws -> Self {
        if case .null = value { return nil }
        return try JSONValueDecoding.decode(Wrapped.self, from: value, path: path)
    }
}

extension Array: JSONTreeDecodable where Element: Decodable {
    static func decodeTree(_ value: JSONValue, path: () -> CodingPathLink?) throws -> Self {
        guard case .array(let elements) = value else {
            if case .null = value { throw JSONValueDecoding.null(Self.self, path()) }
            throw JSONValueDecoding.mismatch(Self.self, value, path())
        }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            result.append(try JSONValueDecoding.decode(
                Element.self, from: element, path: { CodingPathLink(parent: path(), key: IndexCodingKey(index)) }))
        }
        return result
    }
}

extension Dictionary: JSONTreeDecodable where Key == String, Value: Decodable {
    static func decodeTree(_ value: JSONValue, path: () -> CodingPathLink?) throws -> Self {
        guard case .object(let members) = value else {
            if case .null = value { throw JSONValueDecoding.null(Self.self, path()) }
            throw JSONValueDecoding.mismatch(Self.self, value, path())
        }
        var result: [String: Value] = [:]
        result.reserveCapacity(members.count)
        for (key, member) in members {
            result[key] = try JSONValueDecoding.decode(
                Value.self, from: member, path: { CodingPathLink(parent: path(), key: AnyCodingKey(key)) })
        }
        return result
    }
}

/// A keyed container over an object's members.
///
/// Value type, used by one decode call on one thread.
struct JSONValueKeyedDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let path: CodingPathLink?

    var codingPath: [any CodingKey] { CodingPathLink.path(path) }
    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\").")
            )
        }
        return value
    }

    /// The member unless it is missing or `null`.
    private func present(_ key: Key) -> JSONValue? {
        guard let value = members[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return value
    }

    private func link(_ key: Key) -> CodingPathLink { CodingPathLink(parent: path, key: key) }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try JSONValueDecoding.bool(member(key), link(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try JSONValueDecoding.string(member(key), link(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try JSONValueDecoding.double(member(key), link(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try JSONValueDecoding.double(member(key), link(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try JSONValueDecoding.integer(type, member(key), link(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try JSONValueDecoding.integer(type, member(key), link(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try JSONValueDecoding.integer(type, member(key), link(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try JSONValueDecoding.integer(type, member(key), link(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try JSONValueDecoding.integer(type, member(key), link(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try JSONValueDecoding.integer(type, member(key), link(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try JSONValueDecoding.integer(type, member(key), link(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try JSONValueDecoding.integer(type, member(key), link(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try JSONValueDecoding.integer(type, member(key), link(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try JSONValueDecoding.integer(type, member(key), link(key)) }

    func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
        try JSONValueDecoding.decode(type, from: member(key), path: { link(key) })
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.bool(value, link(key))
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.string(value, link(key))
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.integer(type, value, link(key))
    }

    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.integer(type, value, link(key))
    }

    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.integer(type, value, link(key))
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.double(value, link(key))
    }

    func decodeIfPresent<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard let value = present(key) else { return nil }
        return try JSONValueDecoding.decode(type, from: value, path: { link(key) })
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try JSONValueDecoding(value: member(key), path: link(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoding(value: member(key), path: link(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONValueDecoding(value: members["super"] ?? .null, path: CodingPathLink(parent: path, key: AnyCodingKey("super")))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoding(value: members[key.stringValue] ?? .null, path: link(key))
    }
}

/// An unkeyed container over an array's elements.
///
/// Value type, used by one decode call on one thread.
struct JSONValueUnkeyedDecoding: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let path: CodingPathLink?
    private(set) var currentIndex = 0

    init(elements: [JSONValue], path: CodingPathLink?) {
        self.elements = elements
        self.path = path
    }

    var codingPath: [any CodingKey] { CodingPathLink.path(path) }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(_ type: Any.Type) throws -> (JSONValue, CodingPathLink) {
        let link = CodingPathLink(parent: path, key: IndexCodingKey(currentIndex))
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: CodingPathLink.path(link), debugDescription: "Unkeyed container is at end.")
            )
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], link)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any?.self, .init(codingPath: codingPath, debugDescription: "Unkeyed container is at end.")
            )
        }
        if case .null = elements[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { let (v, p) = try next(type); return try JSONValueDecoding.bool(v, p) }
    mutating func decode(_ type: String.Type) throws -> String { let (v, p) = try next(type); return try JSONValueDecoding.string(v, p) }
    mutating func decode(_ type: Double.Type) throws -> Double { let (v, p) = try next(type); return try JSONValueDecoding.double(v, p) }
    mutating func decode(_ type: Float.Type) throws -> Float { let (v, p) = try next(type); return Float(try JSONValueDecoding.double(v, p)) }
    mutating func decode(_ type: Int.Type) throws -> Int { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { let (v, p) = try next(type); return try JSONValueDecoding.integer(type, v, p) }

    mutating func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        let (value, link) = try next(type)
        return try JSONValueDecoding.decode(type, from: value, path: link)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, link) = try next([String: JSONValue].self)
        return try JSONValueDecoding(value: value, path: link).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, link) = try next([JSONValue].self)
        return try JSONValueDecoding(value: value, path: link).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, link) = try next(JSONValue.self)
        return JSONValueDecoding(value: value, path: link)
    }
}

/// A single-value container over one value.
///
/// Value type, used by one decode call on one thread.
struct JSONValueSingleDecoding: SingleValueDecodingContainer {
    let value: JSONValue
    let path: CodingPathLink?

    var codingPath: [any CodingKey] { CodingPathLink.path(path) }

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try JSONValueDecoding.bool(value, path) }
    func decode(_ type: String.Type) throws -> String { try JSONValueDecoding.string(value, path) }
    func decode(_ type: Double.Type) throws -> Double { try JSONValueDecoding.double(value, path) }
    func decode(_ type: Float.Type) throws -> Float { Float(try JSONValueDecoding.double(value, path)) }
    func decode(_ type: Int.Type) throws -> Int { try JSONValueDecoding.integer(type, value, path) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONValueDecoding.integer(type, value, path) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONValueDecoding.integer(type, value, path) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONValueDecoding.integer(type, value, path) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONValueDecoding.integer(type, value, path) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONValueDecoding.integer(type, value, path) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONValueDecoding.integer(type, value, path) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONValueDecoding.integer(type, value, path) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONValueDecoding.integer(type, value, path) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONValueDecoding.integer(type, value, path) }

    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONValueDecoding.decode(type, from: value, path: path)
    }
}
