import KubeCore

/// The field set of a value (upstream typed `ToFieldSet`) and upstream `EnsureNamedFieldsAreMembers`.
///
/// A value's set holds its scalars, atomic values and list entries (`k:`/`v:` elements); struct fields
/// are members themselves only when null or an empty object, map entries always. Lists whose entries
/// cannot be named (duplicates in a stored object) count as one value.
///
/// Stateless namespace of pure functions; thread-safe.
enum FieldSetExtraction {
    static func fieldSet(of value: JSONValue, schema: ApplySchema) -> FieldSet {
        var set = FieldSet()
        walk(value, schema: schema, path: [], into: &set)
        return set
    }

    private static func walk(_ value: JSONValue, schema: ApplySchema, path: FieldSetPath, into set: inout FieldSet) {
        let node = schema.resolved(for: value)
        switch node {
        case .scalar:
            if !path.elements.isEmpty { set.insert(path) }
        case .list(let element, let kind):
            if kind == .atomic {
                set.insert(path)
                return
            }
            guard case .array(let items) = value else { return }
            guard let entries = ListEntries.entries(items, kind: kind) else {
                set.insert(path)
                return
            }
            for entry in entries {
                let entryPath = path.appending(entry.element)
                walk(entry.value, schema: element, path: entryPath, into: &set)
                set.insert(entryPath)
            }
        case .structure, .map, .deduced:
            if node.isAtomic {
                if !path.elements.isEmpty { set.insert(path) }
                return
            }
            guard case .object(let members) = value else { return }
            for (name, member) in members {
                let memberPath = path.appending(.field(name))
                walk(member, schema: node.member(name) ?? .deduced, path: memberPath, into: &set)
                if member == .null || member == .object([:]) || !node.declares(name) {
                    set.insert(memberPath)
                }
            }
        }
    }

    /// `set` plus every named struct field that is an ancestor of one of its members (so removing it
    /// removes the field as a whole).
    static func ensureNamedFieldsAreMembers(_ set: FieldSet, schema: ApplySchema) -> FieldSet {
        var result = set
        for path in set.paths {
            var node = schema
            for (position, element) in path.elements.enumerated().dropLast() {
                if case .field(let name) = element, node.declares(name) {
                    result.insert(FieldSetPath(Array(path.elements.prefix(position + 1))))
                }
                node = node.child(element)
            }
        }
        return result
    }
}
