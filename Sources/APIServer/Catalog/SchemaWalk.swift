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
        guard let schema = APIRegistry.schema(named: typeName) else { return report }
        guard case .object(let members) = object else { return report }
        var body = members
        body["apiVersion"] = nil
        body["kind"] = nil
        walkStruct(body, schema: schema, path: "", goPath: [], report: &report)
        report.unknownFields.sort()
        return report
    }

    /// `path` is the unknown-field path (with `[i]` indices); `goPath` the field stack Go's type errors
    /// print (names and map keys, no indices).
    private static func walkStruct(
        _ members: [String: JSONValue], schema: TypeSchema, path: String, goPath: [String], report: inout Report
    ) {
        for key in members.keys.sorted() {
            let value = members[key]!
            let memberPath = path + "." + key
            guard let field = schema.field(named: key) else {
                report.unknownFields.append(memberPath)
                continue
            }
            walk(value, type: field.type, owner: schema, path: memberPath, goPath: goPath + [key], report: &report)
        }
    }

    private static func walk(
        _ value: JSONValue, type: FieldType, owner: TypeSchema, path: String, goPath: [String], report: inout Report
    ) {
        // Go decodes `null` into anything as the zero value.
        if case .null = value { return }
        switch type {
        case .json:
            return
        case .object(let name):
            guard let schema = APIRegistry.schema(named: name) else { return }
            guard case .object(let members) = value else {
                return mismatch(value, type: type, owner: owner, goPath: goPath, report: &report)
            }
            walkStruct(members, schema: schema, path: path, goPath: goPath, report: &report)
        case .array(let element):
            guard case .array(let elements) = value else {
                return mismatch(value, type: type, owner: owner, goPath: goPath, report: &report)
            }
            for (index, item) in elements.enumerated() {
                walk(item, type: element, owner: owner, path: path + "[\(index)]", goPath: goPath, report: &report)
            }
        case .map(let element):
            guard case .object(let members) = value else {
                return mismatch(value, type: type, owner: owner, goPath: goPath, report: &report)
            }
            for key in members.keys.sorted() {
                walk(members[key]!, type: element, owner: owner, path: path + "." + key, goPath: goPath + [key],
                     report: &report)
            }
        default:
            if !scalarFits(value, type) {
                mismatch(value, type: type, owner: owner, goPath: goPath, report: &report)
            }
        }
    }

    /// Whether Go's decoder accepts `value` for a scalar field of `type`.
    private static func scalarFits(_ value: JSONValue, _ type: FieldType) -> Bool {
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

    /// Records the first mismatch as `json: cannot unmarshal string into Go struct field
    /// PodSpec.spec.containers of type []v1.Container`.
    private static func mismatch(
        _ value: JSONValue, type: FieldType, owner: TypeSchema, goPath: [String], report: inout Report
    ) {
        guard report.typeError == nil else { return }
        report.typeError = "json: cannot unmarshal \(goValueName(value, into: type)) into Go struct field "
            + "\(owner.goName).\(goPath.joined(separator: ".")) of type \(goTypeName(type))"
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
