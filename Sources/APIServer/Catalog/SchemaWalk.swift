import KubeAPI
import KubeCore

/// Walks a request body (a JSON tree) against a kind's ``TypeSchema`` tree from ``APIRegistry``, the way
/// the API server's strict JSON decoder does: it collects every member the type does not define (for
/// `fieldValidation`) and finds the first member whose JSON type cannot be decoded into its Go type.
///
/// Stateless namespace of pure functions; safe from any thread.
enum SchemaWalk {
    /// What a walk found.
    ///
    /// Value type; Sendable.
    struct Report: Sendable {
        /// Paths such as `.spec.template.spec.containers[0].foo` (the server drops the leading dot).
        var unknownFields: [String] = []
        /// The first type mismatch, as Go's `json.UnmarshalTypeError` words it.
        var typeError: String?
    }

    /// Checks `object` (the whole resource) against the schema named `typeName`. `apiVersion` and `kind`
    /// at the top are known.
    static func check(_ object: JSONValue, typeName: String) -> Report {
        var report = Report()
        guard let fields = fieldTables[typeName] else { return report }
        guard case .object(let members) = object else { return report }
        var walker = Walker(sortsKeys: false)
        walker.walkStruct(members, fields: fields, owner: typeName, skippingTypeMeta: true)
        if walker.typeError != nil {
            // The first mismatch in key order, as the report promises: walk again in that order.
            var ordered = Walker(sortsKeys: true)
            ordered.walkStruct(members, fields: fields, owner: typeName, skippingTypeMeta: true)
            walker.typeError = ordered.typeError
        }
        report.unknownFields = walker.unknownFields.sorted()
        report.typeError = walker.typeError
        return report
    }

    /// Each type's field types by JSON name, built once from ``APIRegistry/schemas`` so that the walk
    /// looks fields up by hash instead of copying schemas and scanning their field lists.
    private static let fieldTables: [String: [String: FieldType]] = APIRegistry.schemas.mapValues { schema in
        Dictionary(schema.fields.map { ($0.name, $0.type) }, uniquingKeysWith: { first, _ in first })
    }

    /// One step of the path to the member being checked.
    private enum PathStep {
        case member(String)
        case index(Int)
    }

    /// The walk's state: the path to the current member as a stack of steps (spelled out only for an unknown
    /// field or a mismatch) and what was found. Members are visited in key order when `sortsKeys` is set,
    /// in storage order otherwise (unknown fields are sorted afterwards either way).
    private struct Walker {
        let sortsKeys: Bool
        var steps: [PathStep] = []
        var unknownFields: [String] = []
        var typeError: String?

        init(sortsKeys: Bool) {
            self.sortsKeys = sortsKeys
        }

        /// `.spec.containers[0].foo`: the unknown-field path, with indices.
        var path: String {
            var text = ""
            for step in steps {
                switch step {
                case .member(let key): text += "." + key
                case .index(let index): text += "[\(index)]"
                }
            }
            return text
        }

        /// `spec.containers.foo`: the field stack Go's type errors print (names and map keys, no indices).
        var goPath: String {
            steps.compactMap { step -> String? in
                if case .member(let key) = step { return key }
                return nil
            }.joined(separator: ".")
        }

        /// Calls `visit` for each member, in key order when the walk needs a deterministic order.
        private mutating func forEachMember(
            _ members: [String: JSONValue], _ visit: (inout Walker, String, JSONValue) -> Void
        ) {
            if sortsKeys {
                for key in members.keys.sorted() { visit(&self, key, members[key]!) }
            } else {
                for (key, value) in members { visit(&self, key, value) }
            }
        }

        mutating func walkStruct(
            _ members: [String: JSONValue], fields: [String: FieldType], owner: String, skippingTypeMeta: Bool = false
        ) {
            forEachMember(members) { walker, key, value in
                if skippingTypeMeta, key == "apiVersion" || key == "kind" { return }
                walker.steps.append(.member(key))
                if let type = fields[key] {
                    walker.walk(value, type: type, owner: owner)
                } else {
                    walker.unknownFields.append(walker.path)
                }
                walker.steps.removeLast()
            }
        }

        mutating func walk(_ value: JSONValue, type: FieldType, owner: String) {
            // Go decodes `null` into anything as the zero value.
            if case .null = value { return }
            switch type {
            case .json:
                return
            case .object(let name):
                guard let fields = SchemaWalk.fieldTables[name] else { return }
                guard case .object(let members) = value else { return mismatch(value, type: type, owner: owner) }
                walkStruct(members, fields: fields, owner: name)
            case .array(let element):
                guard case .array(let elements) = value else { return mismatch(value, type: type, owner: owner) }
                for (index, item) in elements.enumerated() {
                    steps.append(.index(index))
                    walk(item, type: element, owner: owner)
                    steps.removeLast()
                }
            case .map(let element):
                guard case .object(let members) = value else { return mismatch(value, type: type, owner: owner) }
                forEachMember(members) { walker, key, item in
                    walker.steps.append(.member(key))
                    walker.walk(item, type: element, owner: owner)
                    walker.steps.removeLast()
                }
            default:
                if !SchemaWalk.scalarFits(value, type) { mismatch(value, type: type, owner: owner) }
            }
        }

        /// Records the first mismatch as `json: cannot unmarshal string into Go struct field
        /// PodSpec.spec.containers of type []v1.Container`; `owner` names the Swift type holding the field.
        mutating func mismatch(_ value: JSONValue, type: FieldType, owner: String) {
            guard typeError == nil else { return }
            let goName = APIRegistry.schema(named: owner)?.goName ?? owner
            typeError = "json: cannot unmarshal \(SchemaWalk.goValueName(value, into: type)) into Go struct field "
                + "\(goName).\(goPath) of type \(SchemaWalk.goTypeName(type))"
        }
    }

    /// Whether Go's decoder accepts `value` for a scalar field of `type`.
    fileprivate static func scalarFits(_ value: JSONValue, _ type: FieldType) -> Bool {
        switch (type, value) {
        case (.string, .string), (.bytes, .string), (.time, .string), (.microTime, .string): true
        case (.bool, .bool): true
        case (.int32, .integer(let number)): Int32(exactly: number) != nil
        case (.int64, .integer): true
        case (.double, .integer), (.double, .number): true
        case (.quantity, .string), (.quantity, .integer), (.quantity, .number): true
        case (.intOrString, .string): true
        case (.intOrString, .integer(let number)): Int32(exactly: number) != nil
        default: false
        }
    }

    /// Go's `UnmarshalTypeError.Value`: the JSON kind, with the literal for a number that does not fit a
    /// numeric field (a fraction or an overflow).
    static func goValueName(_ value: JSONValue, into type: FieldType) -> String {
        let numeric = [FieldType.int32, .int64, .intOrString].contains(type)
        return switch value {
        case .null: "null"
        case .bool: "bool"
        case .integer(let number): numeric ? "number \(number)" : "number"
        case .number(let number): numeric ? "number \(number)" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The Go spelling of a field type: `[]v1.Container`, `map[string]string`, `*int32` is `int32`.
    static func goTypeName(_ type: FieldType) -> String {
        switch type {
        case .string: "string"
        case .int32: "int32"
        case .int64: "int64"
        case .bool: "bool"
        case .double: "float64"
        case .bytes: "[]uint8"
        case .quantity: "resource.Quantity"
        case .intOrString: "intstr.IntOrString"
        case .time: "v1.Time"
        case .microTime: "v1.MicroTime"
        case .json: "interface {}"
        case .object(let name):
            APIRegistry.schema(named: name).map { "\($0.version).\($0.goName)" } ?? name
        case .array(let element): "[]" + goTypeName(element)
        case .map(let element): "map[string]" + goTypeName(element)
        }
    }
}
