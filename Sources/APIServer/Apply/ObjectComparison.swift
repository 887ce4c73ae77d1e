import KubeCore

/// What changed between two versions of an object, as field sets (upstream typed `Compare`): leaves and
/// atomic values that were added, removed or modified, and structs, maps, lists and list entries that
/// were added or removed as a whole.
///
/// Value type; Sendable.
struct ObjectComparison: Sendable, Equatable {
    var added = FieldSet()
    var removed = FieldSet()
    var modified = FieldSet()

    /// Compares `old` with `new` under `schema`.
    init(old: JSONValue, new: JSONValue, schema: ApplySchema) {
        walk(old, new, schema: schema, path: [])
    }

    init(added: FieldSet, removed: FieldSet, modified: FieldSet) {
        self.added = added
        self.removed = removed
        self.modified = modified
    }

    /// The comparison without the paths under `ignored` (upstream `FilterFields`).
    func excluding(_ ignored: FieldSet) -> ObjectComparison {
        guard !ignored.isEmpty else { return self }
        return ObjectComparison(
            added: added.recursiveSubtracting(ignored), removed: removed.recursiveSubtracting(ignored),
            modified: modified.recursiveSubtracting(ignored))
    }

    private mutating func walk(_ lhs: JSONValue?, _ rhs: JSONValue?, schema: ApplySchema, path: FieldSetPath) {
        var leaf = false
        var node = schema.resolved(for: rhs ?? lhs)
        if case .deduced = schema, let lhs, let rhs, !Self.sameKind(lhs, rhs) { node = .scalar }
        switch node {
        case .scalar:
            leaf = true
        case .list(let element, let kind):
            let left = Self.items(lhs)
            let right = Self.items(rhs)
            if kind == .atomic || (left.isEmpty && right.isEmpty) {
                leaf = true
            } else if let leftEntries = ListEntries.entries(left, kind: kind),
                      let rightEntries = ListEntries.entries(right, kind: kind) {
                let rightByElement = Dictionary(rightEntries.map { ($0.element, $0.value) }, uniquingKeysWith: { a, _ in a })
                let leftElements = Set(leftEntries.map(\.element))
                for entry in leftEntries {
                    walk(entry.value, rightByElement[entry.element], schema: element, path: path.appending(entry.element))
                }
                for entry in rightEntries where !leftElements.contains(entry.element) {
                    walk(nil, entry.value, schema: element, path: path.appending(entry.element))
                }
            } else {
                leaf = true
            }
        case .structure, .map, .deduced:
            let left = lhs?.members ?? [:]
            let right = rhs?.members ?? [:]
            if node.isAtomic || (left.isEmpty && right.isEmpty) {
                leaf = true
            } else {
                for name in Set(left.keys).union(right.keys) {
                    walk(left[name], right[name], schema: node.member(name) ?? .deduced, path: path.appending(.field(name)))
                }
            }
        }
        guard !path.elements.isEmpty else { return }
        if lhs == nil {
            added.insert(path)
        } else if rhs == nil {
            removed.insert(path)
        } else if leaf && lhs != rhs {
            modified.insert(path)
        }
    }

    /// The elements of a JSON array; none for anything else.
    static func items(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    /// Whether two values are both objects, both arrays, or both scalars.
    static func sameKind(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object, .object), (.array, .array): true
        case (.object, _), (_, .object), (.array, _), (_, .array): false
        default: true
        }
    }
}
