import KubeCore

/// Checks that every `set` and `map` list of an apply configuration names its entries uniquely (upstream
/// rejects such a configuration when converting it to a typed value).
///
/// Stateless namespace of pure functions; thread-safe.
enum ApplyConfigurationCheck {
    static func check(_ config: JSONValue, schema: ApplySchema) throws(ApplyValueError) {
        try walk(config, schema: schema, path: [])
    }

    private static func walk(_ value: JSONValue, schema: ApplySchema, path: FieldSetPath) throws(ApplyValueError) {
        let node = schema.resolved(for: value)
        switch (node, value) {
        case (.list(let element, let kind), .array(let items)) where kind != .atomic:
            var seen = Set<PathElement>()
            for item in items {
                switch ListEntries.element(of: item, kind: kind) {
                case .failure(let error):
                    throw ApplyValueError(path: path, message: error.message)
                case .success(let name):
                    guard seen.insert(name).inserted else {
                        if case .value = name {
                            throw ApplyValueError(path: path, message: "duplicate entries for value \(name.description.dropFirst(2).dropLast())")
                        }
                        throw ApplyValueError(path: path, message: "duplicate entries for key \(name)")
                    }
                    try walk(item, schema: element, path: path.appending(name))
                }
            }
        case (.structure, .object(let members)), (.map, .object(let members)), (.deduced, .object(let members)):
            guard !node.isAtomic else { return }
            for name in members.keys.sorted() {
                try walk(members[name]!, schema: node.member(name) ?? .deduced, path: path.appending(.field(name)))
            }
        default:
            return
        }
    }
}
