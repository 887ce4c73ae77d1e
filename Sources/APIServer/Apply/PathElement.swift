import KubeCore

/// One step of a path into an object, as server-side apply's field sets name it (upstream
/// structured-merge-diff `fieldpath.PathElement`): a struct or map member, a list entry by its key fields
/// (lists of type `map`), a list entry by its value (lists of type `set`), or a list index.
///
/// Value type; Sendable.
enum PathElement: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// A member of a struct or a map: `f:<name>` in FieldsV1, `.<name>` in messages.
    case field(String)
    /// A list entry by its key fields, sorted by name: `k:{"name":"x"}`, `[name="x"]`.
    case key([KeyField])
    /// A set entry by its value: `v:"x"`, `[="x"]`.
    case value(JSONValue)
    /// A list entry by position (lists without keys): `i:0`, `[0]`.
    case index(Int)

    /// One key field of a ``PathElement/key(_:)``.
    struct KeyField: Hashable, Sendable {
        var name: String
        var value: JSONValue
    }

    /// A key element with its fields sorted by name, as upstream keeps them.
    static func keyed(_ fields: [KeyField]) -> PathElement {
        .key(fields.sorted { $0.name < $1.name })
    }

    /// The FieldsV1 member name of this element (`f:`, `k:`, `v:` or `i:` prefixed).
    var fieldsV1Key: String {
        switch self {
        case .field(let name): "f:" + name
        case .key(let fields):
            "k:{" + fields.map { Self.jsonText(.string($0.name)) + ":" + Self.jsonText($0.value) }
                .joined(separator: ",") + "}"
        case .value(let value): "v:" + Self.jsonText(value)
        case .index(let index): "i:" + String(index)
        }
    }

    /// Parses a FieldsV1 member name; nil when it is not one.
    init?(fieldsV1Key text: String) {
        let prefix = text.prefix(2)
        let rest = String(text.dropFirst(2))
        switch prefix {
        case "f:":
            self = .field(rest)
        case "k:":
            guard case .object(let members)? = try? JSONValueParser.parse(Array(rest.utf8)), !members.isEmpty else {
                return nil
            }
            self = .keyed(members.map { KeyField(name: $0.key, value: $0.value) })
        case "v:":
            guard let value = try? JSONValueParser.parse(Array(rest.utf8)) else { return nil }
            self = .value(value)
        case "i:":
            guard let index = Int(rest), index >= 0 else { return nil }
            self = .index(index)
        default:
            return nil
        }
    }

    /// Upstream `PathElement.String()`: `.name`, `[name="x",port=80]`, `[="x"]`, `[0]`.
    var description: String {
        switch self {
        case .field(let name): "." + name
        case .key(let fields): "[" + fields.map { $0.name + "=" + Self.goText($0.value) }.joined(separator: ",") + "]"
        case .value(let value): "[=" + Self.goText(value) + "]"
        case .index(let index): "[" + String(index) + "]"
        }
    }

    /// Upstream order: fields, then keys, then values, then indices; within a kind by their text.
    static func < (lhs: PathElement, rhs: PathElement) -> Bool {
        if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
        return lhs.fieldsV1Key < rhs.fieldsV1Key
    }

    private var rank: Int {
        switch self {
        case .field: 0
        case .key: 1
        case .value: 2
        case .index: 3
        }
    }

    private static func jsonText(_ value: JSONValue) -> String {
        String(decoding: JSONValueWriter.bytes(value), as: UTF8.self)
    }

    /// Upstream `value.ToString`: strings Go-quoted, numbers and booleans plain.
    static func goText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): GoQuoting.quote(text)
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .number(let number): number == number.rounded() && abs(number) < 9e15 ? String(Int64(number)) : String(number)
        case .array(let elements): "[" + elements.map(goText).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.keys.sorted().map { $0 + "=" + goText(members[$0]!) }.joined(separator: ",") + "}"
        }
    }
}
