import KubeCore

/// Names the entries of `set` and `map` lists by ``PathElement`` (upstream `listItemToPathElement`):
/// a set entry by its value, a map entry by its key fields. A key field an entry omits takes its API
/// default when it has one (`protocol: TCP` of container and service ports), as upstream reads the
/// OpenAPI default.
///
/// Stateless namespace; thread-safe.
enum ListEntries {
    /// Key fields that have an API default, and the default.
    static let keyDefaults: [String: JSONValue] = ["protocol": "TCP"]

    /// The path element of `item`, or the reason it has none.
    static func element(of item: JSONValue, kind: ApplySchema.ListKind) -> Result<PathElement, ApplyValueError> {
        switch kind {
        case .atomic:
            return .failure(ApplyValueError(path: [], message: "atomic lists have no entry names"))
        case .set:
            switch item {
            case .object, .array:
                return .failure(ApplyValueError(path: [], message: "associative list without keys has an element that's a map type"))
            case .null:
                return .failure(ApplyValueError(path: [], message: "associative list without keys may not have a null element"))
            default:
                return .success(.value(item))
            }
        case .map(let keys):
            guard case .object(let members) = item else {
                if item == .null {
                    return .failure(ApplyValueError(path: [], message: "associative list with keys may not have a null element"))
                }
                return .failure(ApplyValueError(path: [], message: "associative list with keys may not have non-map elements"))
            }
            var fields: [PathElement.KeyField] = []
            for key in keys {
                if let value = members[key], value != .null {
                    fields.append(PathElement.KeyField(name: key, value: value))
                } else if let value = keyDefaults[key] {
                    fields.append(PathElement.KeyField(name: key, value: value))
                } else {
                    return .failure(ApplyValueError(path: [], message:
                        "associative list with keys has an element that omits key field \(GoQuoting.quote(key)) (and doesn't have default value)"))
                }
            }
            return .success(.keyed(fields))
        }
    }

    /// The entries of a list with their path elements, in list order; nil when an entry has no name or two
    /// entries share one (such a list is then handled as a whole, as upstream does with duplicates in
    /// stored objects).
    static func entries(_ items: [JSONValue], kind: ApplySchema.ListKind) -> [(element: PathElement, value: JSONValue)]? {
        var seen = Set<PathElement>()
        var result: [(element: PathElement, value: JSONValue)] = []
        for item in items {
            guard case .success(let name) = element(of: item, kind: kind), seen.insert(name).inserted else {
                return nil
            }
            result.append((name, item))
        }
        return result
    }
}

/// A value that does not fit its schema (in an apply configuration), with the path where it was found.
///
/// Value type; Sendable.
struct ApplyValueError: Error, Sendable, CustomStringConvertible {
    var path: FieldSetPath
    var message: String
    var description: String { path.elements.isEmpty ? message : "\(path): \(message)" }
}
