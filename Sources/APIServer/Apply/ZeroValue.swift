import KubeAPI
import KubeCore

/// The JSON of a kind's Go zero value, which upstream compares a created object against: struct fields
/// that are not pointers are present (as objects holding their own zero fields), slices and maps
/// encoded without `omitempty` and timestamps are present as null, everything else is absent. So a create does not
/// own `spec` or `containers` as a whole, but does own `data` or `labels` as a whole.
///
/// Stateless namespace of pure functions; thread-safe.
enum ZeroValue {
    static func object(_ schema: TypeSchema, apiVersion: String, kind: String) -> JSONValue {
        var members = fields(of: schema, depth: 0)
        members["apiVersion"] = .string(apiVersion)
        members["kind"] = .string(kind)
        return .object(members)
    }

    private static func fields(of schema: TypeSchema, depth: Int) -> [String: JSONValue] {
        guard depth < 16 else { return [:] }
        var members: [String: JSONValue] = [:]
        for field in schema.fields where !field.pointer {
            switch field.type {
            case .object(let name):
                if let nested = APIRegistry.schema(named: name) {
                    members[field.name] = .object(fields(of: nested, depth: depth + 1))
                }
            case .array, .map:
                if field.always { members[field.name] = .null }
            case .time, .microTime:
                // metav1.Time is a struct whose zero value encodes as null.
                members[field.name] = .null
            default:
                break
            }
        }
        return members
    }
}
