import KubeCore

/// The FieldsV1 an `Update` entry records for a create, computed in one walk of the new object against
/// the kind's zero value: the same JSON as ``ObjectComparison`` (added and modified paths), minus the
/// `ignored` subtrees and the exact ``FieldManager/serverMetadata`` paths, encoded by ``FieldSet/fieldsV1``
/// — without building path sets.
///
/// A node of the result is present when its path was added or modified (and is not filtered out) or
/// when a descendant is; a present node that is itself a member and has children gets `"."`. Subtrees the
/// new object does not have are skipped (they can only hold removed paths, which an update never owns).
///
/// Stateless namespace of pure functions; thread-safe.
enum CreatedFieldsV1 {
    /// The outcome of the walk.
    enum Outcome: Sendable, Equatable {
        /// The FieldsV1 object; nil when the create owns nothing.
        case fields(JSONValue?)
        /// Two distinct path elements share one FieldsV1 member name (for example `v:1` for an integer and
        /// a float entry): the general path decides which one wins, so callers use it.
        case unsupported
    }

    /// Which paths the result leaves out, as a tree of path elements: a node marked `ignored` drops its
    /// whole subtree (upstream `RecursiveDifference`), one marked `suppressed` only its own membership
    /// (the exact paths of ``FieldManager/serverMetadata``).
    ///
    /// Value type; Sendable.
    struct PathFilter: Sendable {
        var ignored = false
        var suppressed = false
        var children: [PathElement: PathFilter] = [:]

        init() {}

        /// The filter for a field manager's ignored set and the server-maintained metadata.
        init(ignored: FieldSet, suppressed: FieldSet) {
            for path in ignored.paths { insert(path.elements[...]) { $0.ignored = true } }
            for path in suppressed.paths { insert(path.elements[...]) { $0.suppressed = true } }
        }

        private mutating func insert(_ elements: ArraySlice<PathElement>, mark: (inout PathFilter) -> Void) {
            guard let first = elements.first else {
                mark(&self)
                return
            }
            children[first, default: PathFilter()].insert(elements.dropFirst(), mark: mark)
        }
    }

    private struct Collision: Error {}

    /// The FieldsV1 of what a create of `new` adds or modifies relative to `zero` under `schema`. Both
    /// objects must already be without `metadata.managedFields`.
    static func fieldsV1(zero: JSONValue, new: JSONValue, schema: ApplySchemaNode, filter: PathFilter) -> Outcome {
        if filter.ignored { return .fields(nil) }
        do {
            let root = try walk(zero, new, schema: schema, filter: filter)
            return .fields(root.children.isEmpty ? nil : .object(root.children))
        } catch {
            return .unsupported
        }
    }

    /// What one node contributes: whether its own path was added or modified, and its FieldsV1 members.
    private struct Node {
        var changed: Bool
        var children: [String: JSONValue]
    }

    /// Mirrors ``ObjectComparison``'s walk (same schema resolution, same leaf rules, same list entry
    /// naming) for a node whose new value is `rhs`.
    private static func walk(_ lhs: JSONValue?, _ rhs: JSONValue, schema: ApplySchemaNode, filter: PathFilter?)
        throws(Collision) -> Node
    {
        var leaf = false
        var node = schema.resolved(for: rhs)
        if schema.isDeduced, let lhs, !ObjectComparison.sameKind(lhs, rhs) { node = .scalar }
        var children: [String: JSONValue] = [:]
        switch node.shape {
        case .scalar:
            leaf = true
        case .list(let kind):
            let element = node.entry
            let left = ObjectComparison.items(lhs)
            let right = ObjectComparison.items(rhs)
            if kind == .atomic || (left.isEmpty && right.isEmpty) {
                leaf = true
            } else if let leftEntries = ListEntries.entries(left, kind: kind),
                      let rightEntries = ListEntries.entries(right, kind: kind) {
                if leftEntries.isEmpty {
                    children.reserveCapacity(rightEntries.count + 1)
                    for entry in rightEntries {
                        try add(entry.element, key: nil, walking: nil, entry.value, schema: element, filter: filter,
                                to: &children)
                    }
                } else {
                    let leftByElement = Dictionary(leftEntries.map { ($0.element, $0.value) },
                                                   uniquingKeysWith: { first, _ in first })
                    for entry in rightEntries {
                        try add(entry.element, key: nil, walking: leftByElement[entry.element], entry.value,
                                schema: element, filter: filter, to: &children)
                    }
                }
            } else {
                leaf = true
            }
        case .structure, .map, .deduced:
            let left = lhs?.members ?? [:]
            let right = rhs.members
            if node.isAtomic || (left.isEmpty && right.isEmpty) {
                leaf = true
            } else {
                children.reserveCapacity(right.count + 1)
                for (name, value) in right {
                    let member = node.memberAndKey(name)
                    try add(.field(name), key: member.fieldsV1Key, walking: left.isEmpty ? nil : left[name], value,
                            schema: member.node, filter: filter, to: &children)
                }
            }
        }
        let changed: Bool
        if let lhs { changed = leaf && lhs != rhs } else { changed = true }
        return Node(changed: changed, children: children)
    }

    /// Walks the child at `element` and adds its FieldsV1 member to `children` when it has one; `key` is
    /// the element's FieldsV1 name when the caller has it at hand.
    private static func add(_ element: PathElement, key: String?, walking lhs: JSONValue?, _ rhs: JSONValue,
                            schema: ApplySchemaNode, filter: PathFilter?, to children: inout [String: JSONValue])
        throws(Collision)
    {
        let childFilter = filter.flatMap { $0.children.isEmpty ? nil : $0.children[element] }
        if childFilter?.ignored == true { return }
        let child = try walk(lhs, rhs, schema: schema, filter: childFilter)
        let member = child.changed && childFilter?.suppressed != true
        guard member || !child.children.isEmpty else { return }
        var encoded = child.children
        if member && !encoded.isEmpty { encoded["."] = .object([:]) }
        let key = key ?? element.fieldsV1Key
        guard children.updateValue(.object(encoded), forKey: key) == nil else { throw Collision() }
    }

}
