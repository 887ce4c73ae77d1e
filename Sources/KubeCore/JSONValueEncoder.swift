/// Encodes `Encodable` values straight into a ``JSONValue`` tree, without writing bytes and parsing them back.
///
/// Produces the tree that parsing ``KubeJSON/encode(_:)``'s output would give: a `Double` with an integral
/// value encodes as `.integer` (Foundation writes `1.0` as `1`), non-finite numbers are an error, a value that
/// encodes nothing is an empty object. A ``JSONValue`` is stored as is.
///
/// Value type; Sendable and stateless, so one instance may be shared by concurrent callers.
public struct JSONValueEncoder: Sendable {
    public init() {}

    /// The JSON tree of `value`.
    public func encode<Value: Encodable>(_ value: Value) throws -> JSONValue {
        if let fast = value as? any JSONTreeCodable, let tree = try? fast.jsonTree() { return tree }
        return try JSONValueEncoding.tree(of: value, path: nil)
    }
}

/// A value under construction: containers are references so nested containers can fill them after their
/// parent handed them out, as the `Encoder` protocol requires.
///
/// Reference type, used by one encode call on one thread.
final class EncodingSlot {
    enum Content {
        case empty
        case value(JSONValue)
        case object([String: EncodingSlot])
        case array([EncodingSlot])
    }

    var content: Content = .empty

    init() {}
    init(_ value: JSONValue) { content = .value(value) }

    var tree: JSONValue {
        switch content {
        case .empty: return .object([:])
        case .value(let value): return value
        case .object(let members): return .object(members.mapValues(\.tree))
        case .array(let elements): return .array(elements.map(\.tree))
        }
    }
}

/// The `Encoder` for one value of the tree.
///
/// Value type, used by one encode call on one thread.
struct JSONValueEncoding: Encoder {
    let slot: EncodingSlot
    let path: CodingPathLink?

    var codingPath: [any CodingKey] { CodingPathLink.path(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        switch slot.content {
        case .object: break
        default: slot.content = .object([:])
        }
        return KeyedEncodingContainer(JSONValueKeyedEncoding<Key>(slot: slot, path: path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        switch slot.content {
        case .array: break
        default: slot.content = .array([])
        }
        return JSONValueUnkeyedEncoding(slot: slot, path: path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONValueSingleEncoding(slot: slot, path: path)
    }

    // MARK: Scalars, shared by the three containers

    static func number(_ value: Double, _ path: CodingPathLink?) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: CodingPathLink.path(path), debugDescription: "Unable to encode Double.\(value) directly in JSON.")
            )
        }
        if value == value.rounded(), abs(value) < 1e16, let exact = Int64(exactly: value) { return .integer(exact) }
        return .number(value)
    }

    static func integer<Integer: BinaryInteger>(_ value: Integer) -> JSONValue {
        if let exact = Int64(exactly: value) { return .integer(exact) }
        return .number(Double(value))
    }

    /// The tree of a nested value: scalars directly, anything else through its `encode(to:)`.
    static func tree<Value: Encodable>(of value: Value, path: CodingPathLink?) throws -> JSONValue {
        if Value.self == String.self { return .string(value as! String) }
        if Value.self == Bool.self { return .bool(value as! Bool) }
        if Value.self == Int.self { return .integer(Int64(value as! Int)) }
        if Value.self == Int64.self { return .integer(value as! Int64) }
        if Value.self == Int32.self { return .integer(Int64(value as! Int32)) }
        if Value.self == JSONValue.self { return value as! JSONValue }
        if Value.self == [String: String].self { return .object((value as! [String: String]).mapValues { .string($0) }) }
        if let fast = value as? any JSONTreeCodable, let tree = try? fast.jsonTree() { return tree }
        let slot = EncodingSlot()
        try value.encode(to: JSONValueEncoding(slot: slot, path: path))
        return slot.tree
    }
}

/// A keyed container filling an object slot.
///
/// Value type, used by one encode call on one thread.
struct JSONValueKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: EncodingSlot
    let path: CodingPathLink?

    var codingPath: [any CodingKey] { CodingPathLink.path(path) }

    private func store(_ value: JSONValue, _ key: Key) { store(EncodingSlot(value), key) }

    private func store(_ child: EncodingSlot, _ key: Key) {
        guard case .object(var members) = slot.content else { return }
        slot.content = .empty
        members[key.stringValue] = child
        slot.content = .object(members)
    }

    private func link(_ key: Key) -> CodingPathLink { CodingPathLink(parent: path, key: key) }

    mutating func encodeNil(forKey key: Key) throws { store(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { store(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { store(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { store(try JSONValueEncoding.number(value, link(key)), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        store(try JSONValueEncoding.number(Double(value.description) ?? Double(value), link(key)), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { store(JSONValueEncoding.integer(value), key) }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        store(try JSONValueEncoding.tree(of: value, path: link(key)), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = EncodingSlot()
        store(child, key)
        return JSONValueEncoding(slot: child, path: link(key)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = EncodingSlot()
        store(child, key)
        return JSONValueEncoding(slot: child, path: link(key)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = EncodingSlot()
        store(child, Key(stringValue: "super")!)
        return JSONValueEncoding(slot: child, path: CodingPathLink(parent: path, key: AnyCodingKey("super")))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = EncodingSlot()
        store(child, key)
        return JSONValueEncoding(slot: child, path: link(key))
    }
}

/// An unkeyed container filling an array slot.
///
/// Value type, used by one encode call on one thread.
struct JSONValueUnkeyedEncoding: UnkeyedEncodingContainer {
    let slot: EncodingSlot
    let path: CodingPathLink?

    var codingPath: [any CodingKey] { CodingPathLink.path(path) }
    var count: Int {
        if case .array(let elements) = slot.content { return elements.count }
        return 0
    }

    private func append(_ value: JSONValue) { append(EncodingSlot(value)) }

    private func append(_ child: EncodingSlot) {
        guard case .array(var elements) = slot.content else { return }
        slot.content = .empty
        elements.append(child)
        slot.content = .array(elements)
    }

    private var nextLink: CodingPathLink { CodingPathLink(parent: path, key: IndexCodingKey(count)) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try JSONValueEncoding.number(value, nextLink)) }
    mutating func encode(_ value: Float) throws { append(try JSONValueEncoding.number(Double(value.description) ?? Double(value), nextLink)) }
    mutating func encode(_ value: Int) throws { append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int8) throws { append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int16) throws { append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int32) throws { append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int64) throws { append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt8) throws { append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt16) throws { append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt32) throws { append(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt64) throws { append(JSONValueEncoding.integer(value)) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        append(try JSONValueEncoding.tree(of: value, path: nextLink))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let link = nextLink
        let child = EncodingSlot()
        append(child)
        return JSONValueEncoding(slot: child, path: link).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let link = nextLink
        let child = EncodingSlot()
        append(child)
        return JSONValueEncoding(slot: child, path: link).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let link = nextLink
        let child = EncodingSlot()
        append(child)
        return JSONValueEncoding(slot: child, path: link)
    }
}

/// A single-value container setting a slot's value.
///
/// Value type, used by one encode call on one thread.
struct JSONValueSingleEncoding: SingleValueEncodingContainer {
    let slot: EncodingSlot
    let path: CodingPathLink?

    var codingPath: [any CodingKey] { CodingPathLink.path(path) }

    private func set(_ value: JSONValue) { slot.content = .value(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try JSONValueEncoding.number(value, path)) }
    mutating func encode(_ value: Float) throws { set(try JSONValueEncoding.number(Double(value.description) ?? Double(value), path)) }
    mutating func encode(_ value: Int) throws { set(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int8) throws { set(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int16) throws { set(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int32) throws { set(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: Int64) throws { set(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt) throws { set(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt8) throws { set(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt16) throws { set(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt32) throws { set(JSONValueEncoding.integer(value)) }
    mutating func encode(_ value: UInt64) throws { set(JSONValueEncoding.integer(value)) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        set(try JSONValueEncoding.tree(of: value, path: path))
    }
}
