import KubeAPI
import KubeCore

/// Strategic merge patch (`application/strategic-merge-patch+json`), driven by KubeAPI's ``TypeSchema``s,
/// following upstream `k8s.io/apimachinery/pkg/util/strategicpatch` (apply side):
///
/// - maps merge recursively and `null` deletes a key;
/// - lists whose field has `patchStrategy: merge` merge: maps by `patchMergeKey` (matching entries merge
///   recursively, new ones are appended), primitives as a union; every other list is replaced;
/// - `$patch: replace` on a map or as a list element replaces it, `$patch: delete` on a list element
///   deletes the entry with that key (on a map it empties the map), `$patch: merge` is the default;
/// - `$setElementOrder/<list>` orders the merged list (upstream's interleaving of server-only entries),
///   `$deleteFromPrimitiveList/<list>` removes values from a primitive list, `$retainKeys` drops the
///   keys it does not list;
/// - a field without a schema (unknown, or a free-form JSON field) merges like a JSON merge patch, with
///   lists replaced.
///
/// Directives never reach the result: values the patch adds are applied to an empty value, which
/// consumes them. Malformed patches throw ``APIError/badRequest(_:)``.
///
/// Stateless namespace; thread-safe.
enum StrategicMergePatch {
    /// Applies `patch` to `current`; `schema` is the kind's schema (nil: JSON merge patch rules).
    static func apply(_ patch: JSONValue, to current: JSONValue, schema: TypeSchema?) throws -> JSONValue {
        guard case .object(let patchMembers) = patch else {
            throw APIError.badRequest("strategic merge patch must be a JSON object")
        }
        let shape: Shape = schema.map { .type($0) } ?? .untyped
        var original: [String: JSONValue]? = nil
        if case .object(let members) = current { original = members }
        return try mergeMap(original, patchMembers, shape: shape) ?? .object([:])
    }

    /// The schema of the kind a served resource holds, nil when KubeAPI does not define it.
    static func schema(for resource: ServedResource) -> TypeSchema? {
        KindSchemas.schema(for: resource)
    }

    static let directive = "$patch"
    static let retainKeys = "$retainKeys"
    static let setElementOrderPrefix = "$setElementOrder/"
    static let deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/"

    /// What is known about a JSON object's members.
    enum Shape {
        /// A struct: members are its fields.
        case type(TypeSchema)
        /// `map[string]T`: every member has the value type.
        case map(FieldType)
        /// No schema: JSON merge patch rules.
        case untyped

        init(_ type: FieldType?) {
            switch type {
            case .object(let name)?: self = APIRegistry.schema(named: name).map { .type($0) } ?? .untyped
            case .map(let value)?: self = .map(value)
            default: self = .untyped
            }
        }

        /// The patch metadata of member `key`.
        func field(_ key: String) -> FieldMeta {
            switch self {
            case .type(let schema):
                guard let field = schema.field(named: key) else { return FieldMeta(type: nil) }
                return FieldMeta(type: field.type, strategy: field.patchStrategy, mergeKey: field.patchMergeKey)
            case .map(let value):
                return FieldMeta(type: value)
            case .untyped:
                return FieldMeta(type: nil)
            }
        }
    }

    /// The strategy of one field: its type and `patchStrategy` / `patchMergeKey`.
    struct FieldMeta {
        var type: FieldType?
        var strategy: String? = nil
        var mergeKey: String? = nil

        private var strategies: [Substring] { strategy?.split(separator: ",") ?? [] }
        /// Lists merge (rather than being replaced).
        var merges: Bool { strategies.contains("merge") }
        /// Maps are replaced (rather than merged).
        var replaces: Bool { strategies.contains("replace") }
        /// The shape of the field's value when it is an object.
        var shape: Shape { Shape(type) }
        /// The shape of the list's elements.
        var elementShape: Shape {
            if case .array(let element)? = type { return Shape(element) }
            return .untyped
        }
    }

    /// Merges `patch` into `original` (nil: absent). Returns nil when the map itself is to be removed
    /// (a `$patch: delete` map that was not there before).
    static func mergeMap(_ original: [String: JSONValue]?, _ patch: [String: JSONValue], shape: Shape) throws
        -> JSONValue?
    {
        var patch = patch
        if let marker = patch[directive] {
            switch marker.stringValue {
            case "replace":
                patch[directive] = nil
                return try mergeMap(nil, patch, shape: shape)
            case "delete":
                return original == nil ? nil : .object([:])
            case "merge":
                patch[directive] = nil
            default:
                throw APIError.badRequest("Unexpected kind: \(describe(marker)) in \(describe(.object(patch)))")
            }
        }
        var result = original ?? [:]
        try applyRetainKeys(&result, &patch)
        try applySetElementOrder(&result, &patch, shape: shape)
        for key in patch.keys.sorted() {
            let value = patch[key]!
            if key.hasPrefix(deleteFromPrimitiveListPrefix) {
                let name = String(key.dropFirst(deleteFromPrimitiveListPrefix.count))
                guard case .array(let remove) = value else {
                    throw APIError.badRequest("invalid patch format of primitive list: \(key)")
                }
                if case .array(let existing)? = result[name] {
                    result[name] = .array(existing.filter { element in !remove.contains { sameValue($0, element) } })
                }
                continue
            }
            if key.hasPrefix("$") { continue }
            if value == .null {
                result[key] = nil
                continue
            }
            let meta = shape.field(key)
            switch (result[key], value) {
            case (.object(let existing)?, .object(let members)):
                if meta.replaces {
                    result[key] = try mergeMap(nil, members, shape: meta.shape)
                } else {
                    result[key] = try mergeMap(existing, members, shape: meta.shape)
                }
            case (.array(let existing)?, .array(let elements)):
                result[key] = .array(try mergeList(existing, elements, meta: meta))
            default:
                result[key] = try fresh(value, meta: meta)
            }
        }
        return .object(result)
    }

    /// A value the patch sets where nothing (or a value of another type) was: applied to an empty value,
    /// which drops nulls and consumes directives. Nil when it is a `$patch: delete` map.
    static func fresh(_ value: JSONValue, meta: FieldMeta) throws -> JSONValue? {
        switch value {
        case .object(let members): try mergeMap(nil, members, shape: meta.shape)
        case .array(let elements): .array(try mergeList([], elements, meta: meta))
        default: value
        }
    }

    /// `$retainKeys`: keys of `result` not listed are dropped; every non-null patch key must be listed.
    private static func applyRetainKeys(_ result: inout [String: JSONValue], _ patch: inout [String: JSONValue])
        throws
    {
        guard let retained = patch.removeValue(forKey: retainKeys) else { return }
        guard case .array(let names) = retained else {
            throw APIError.badRequest("invalid patch format of retainKeys")
        }
        let keep = Set(names.compactMap(\.stringValue))
        for (key, value) in patch where value != .null && !key.hasPrefix("$") && !keep.contains(key) {
            throw APIError.badRequest("invalid patch format of retainKeys: \(key) is not listed in $retainKeys")
        }
        result = result.filter { keep.contains($0.key) }
    }

    /// A JSON value for error messages.
    static func describe(_ value: JSONValue) -> String {
        String(decoding: value.jsonBytes, as: UTF8.self)
    }

    /// Equality for merge keys and primitive list values: numbers compare by value.
    static func sameValue(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): Double(a) == b
        default: left == right
        }
    }
}
