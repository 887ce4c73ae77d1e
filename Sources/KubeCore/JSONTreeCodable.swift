/// A type that converts itself straight from and to a ``JSONValue`` tree, without `Codable`'s keyed
/// containers, coding keys and existential boxes: the fast path of ``JSONValueDecoder`` and
/// ``JSONValueEncoder`` for the API types (their conformances are generated with the types).
///
/// Contract: for every tree, `init(jsonTree:)` either returns exactly what `init(from:)` decodes through
/// ``JSONValueDecoder`` or throws ``JSONTreeMismatch``; `jsonTree()` returns exactly what `encode(to:)` gives
/// through ``JSONValueEncoder`` or throws. A throw carries no detail: the coders then run the `Codable` path,
/// which produces the error with its coding path (or, for rare inputs the fast path does not handle, the
/// value). So the fast path may decline anything, but must never accept what `Codable` rejects.
///
/// Conformers are value types; both requirements are pure.
public protocol JSONTreeCodable: Codable {
    init(jsonTree: JSONValue) throws(JSONTreeMismatch)
    func jsonTree() throws(JSONTreeMismatch) -> JSONValue
}

/// The fast path of ``JSONTreeCodable`` declined a value; the `Codable` path decides (and explains).
///
/// Value type; Sendable.
public struct JSONTreeMismatch: Error, Sendable {
    @inlinable public init() {}
}

/// Go `encoding/json` member rules for generated ``JSONTreeCodable`` conformances: a missing or `null`
/// member is the zero value; `null` elements of lists and maps decoded leniently are the zero element.
///
/// Stateless namespace; pure functions.
public enum JSONTree {
    /// A missing or `null` member is `zero()`; anything else must decode as `Value`.
    @inlinable
    public static func value<Value: JSONTreeCodable>(_ member: JSONValue?, orZero zero: @autoclosure () -> Value)
        throws(JSONTreeMismatch) -> Value
    {
        guard let member else { return zero() }
        if case .null = member { return zero() }
        return try Value(jsonTree: member)
    }

    /// A missing or `null` member is nil.
    @inlinable
    public static func optional<Value: JSONTreeCodable>(_ member: JSONValue?) throws(JSONTreeMismatch) -> Value? {
        guard let member else { return nil }
        if case .null = member { return nil }
        return try Value(jsonTree: member)
    }

    /// A missing or `null` list is empty; `null` elements are `zeroElement()`.
    @inlinable
    public static func list<Element: JSONTreeCodable>(
        _ member: JSONValue?, zeroElement: @autoclosure () -> Element
    ) throws(JSONTreeMismatch) -> [Element] {
        guard let member else { return [] }
        switch member {
        case .null: return []
        case .array(let elements):
            var result: [Element] = []
            result.reserveCapacity(elements.count)
            for element in elements {
                if case .null = element { result.append(zeroElement()) } else { result.append(try Element(jsonTree: element)) }
            }
            return result
        default: throw JSONTreeMismatch()
        }
    }

    /// A missing or `null` map is empty; `null` values are `zeroElement()`.
    @inlinable
    public static func map<Element: JSONTreeCodable>(
        _ member: JSONValue?, zeroElement: @autoclosure () -> Element
    ) throws(JSONTreeMismatch) -> [String: Element] {
        guard let member else { return [:] }
        switch member {
        case .null: return [:]
        case .object(let members):
            var result: [String: Element] = [:]
            result.reserveCapacity(members.count)
            for (key, value) in members {
                if case .null = value { result[key] = zeroElement() } else { result[key] = try Element(jsonTree: value) }
            }
            return result
        default: throw JSONTreeMismatch()
        }
    }

    /// The members of a struct's object; `null` and other kinds decline (as `Codable` refuses them).
    @inlinable
    public static func members(_ tree: JSONValue) throws(JSONTreeMismatch) -> [String: JSONValue] {
        guard case .object(let members) = tree else { throw JSONTreeMismatch() }
        return members
    }
}

// MARK: - Scalars and collections

extension String: JSONTreeCodable {
    @inlinable
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        guard case .string(let text) = jsonTree else { throw JSONTreeMismatch() }
        self = text
    }

    @inlinable
    public func jsonTree() -> JSONValue { .string(self) }
}

extension Bool: JSONTreeCodable {
    @inlinable
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        guard case .bool(let flag) = jsonTree else { throw JSONTreeMismatch() }
        self = flag
    }

    @inlinable
    public func jsonTree() -> JSONValue { .bool(self) }
}

extension Int32: JSONTreeCodable {
    @inlinable
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        switch jsonTree {
        case .integer(let number):
            guard let exact = Int32(exactly: number) else { throw JSONTreeMismatch() }
            self = exact
        case .number(let number):
            guard let exact = Int32(exactly: number) else { throw JSONTreeMismatch() }
            self = exact
        default: throw JSONTreeMismatch()
        }
    }

    @inlinable
    public func jsonTree() -> JSONValue { .integer(Int64(self)) }
}

extension Int64: JSONTreeCodable {
    @inlinable
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        switch jsonTree {
        case .integer(let number): self = number
        case .number(let number):
            guard let exact = Int64(exactly: number) else { throw JSONTreeMismatch() }
            self = exact
        default: throw JSONTreeMismatch()
        }
    }

    @inlinable
    public func jsonTree() -> JSONValue { .integer(self) }
}

extension Int: JSONTreeCodable {
    @inlinable
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        self = Int(try Int64(jsonTree: jsonTree))
    }

    @inlinable
    public func jsonTree() -> JSONValue { .integer(Int64(self)) }
}

extension Double: JSONTreeCodable {
    @inlinable
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        switch jsonTree {
        case .integer(let number): self = Double(number)
        case .number(let number): self = number
        default: throw JSONTreeMismatch()
        }
    }

    /// As ``JSONValueEncoder``: integral values are integers; non-finite values decline (`Codable` throws).
    @inlinable
    public func jsonTree() throws(JSONTreeMismatch) -> JSONValue {
        guard isFinite else { throw JSONTreeMismatch() }
        if self == rounded(), abs(self) < 1e16, let exact = Int64(exactly: self) { return .integer(exact) }
        return .number(self)
    }
}

extension JSONValue: JSONTreeCodable {
    @inlinable
    public init(jsonTree: JSONValue) { self = jsonTree }

    @inlinable
    public func jsonTree() -> JSONValue { self }
}

/// Strict, as `Codable`'s arrays: a `null` element declines.
extension Array: JSONTreeCodable where Element: JSONTreeCodable {
    @inlinable
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        guard case .array(let elements) = jsonTree else { throw JSONTreeMismatch() }
        var result: [Element] = []
        result.reserveCapacity(elements.count)
        for element in elements { result.append(try Element(jsonTree: element)) }
        self = result
    }

    @inlinable
    public func jsonTree() throws(JSONTreeMismatch) -> JSONValue {
        var elements: [JSONValue] = []
        elements.reserveCapacity(count)
        for element in self { elements.append(try element.jsonTree()) }
        return .array(elements)
    }
}

/// Strict, as `Codable`'s string-keyed dictionaries: a `null` value declines.
extension Dictionary: JSONTreeCodable where Key == String, Value: JSONTreeCodable {
    @inlinable
    public init(jsonTree: JSONValue) throws(JSONTreeMismatch) {
        guard case .object(let members) = jsonTree else { throw JSONTreeMismatch() }
        var result: [String: Value] = [:]
        result.reserveCapacity(members.count)
        for (key, value) in members { result[key] = try Value(jsonTree: value) }
        self = result
    }

    @inlinable
    public func jsonTree() throws(JSONTreeMismatch) -> JSONValue {
        var members: [String: JSONValue] = [:]
        members.reserveCapacity(count)
        for (key, value) in self { members[key] = try value.jsonTree() }
        return .object(members)
    }
}
