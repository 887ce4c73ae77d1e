public import KubeCore

/// Convenience accessors for API objects held as JSON trees (`.object` values).
extension JSONValue {
    /// The members of an object (empty for anything else).
    var members: [String: JSONValue] {
        if case .object(let members) = self { return members }
        return [:]
    }

    /// The text of a string value.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value of a boolean.
    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The number of an integer value.
    var integerValue: Int64? {
        switch self {
        case .integer(let number): number
        case .number(let number) where number == number.rounded(): Int64(exactly: number)
        default: nil
        }
    }

    /// Sets `value` at a path of object keys, creating intermediate objects; nil removes the member.
    /// Objects along the path are changed in place when this value holds the only reference to them.
    mutating func set(_ path: [String], _ value: JSONValue?) {
        set(path[...], value)
    }

    private mutating func set(_ path: ArraySlice<String>, _ value: JSONValue?) {
        guard let first = path.first else {
            if let value { self = value }
            return
        }
        var members: [String: JSONValue] = [:]
        if case .object(let existing) = self { members = existing }
        // Drop this value's reference so that `members` is unique and changes without a copy.
        self = .null
        if path.count == 1 {
            members[first] = value
        } else {
            if case .object? = members[first] {} else { members[first] = .object([:]) }
            members[first]!.set(path.dropFirst(), value)
        }
        self = .object(members)
    }

    /// The value at a path of object keys.
    func value(at path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    /// A string member of `metadata`.
    func metadataString(_ field: String) -> String {
        self["metadata"]?[field]?.stringValue ?? ""
    }

    /// A string map member of `metadata` (labels, annotations).
    func metadataMap(_ field: String) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in self["metadata"]?[field]?.members ?? [:] {
            if let text = value.stringValue { result[key] = text }
        }
        return result
    }

    var name: String { metadataString("name") }
    var namespace: String { metadataString("namespace") }
    var resourceVersion: String { metadataString("resourceVersion") }
    var uid: String { metadataString("uid") }
    var labels: [String: String] { metadataMap("labels") }

    var finalizers: [String] {
        if case .array(let values)? = self["metadata"]?["finalizers"] { return values.compactMap(\.stringValue) }
        return []
    }

    var isBeingDeleted: Bool {
        if let value = self["metadata"]?["deletionTimestamp"], value != .null { return true }
        return false
    }

    /// The object encoded as compact JSON.
    var jsonBytes: [UInt8] { JSONValueWriter.bytes(self) }
}
