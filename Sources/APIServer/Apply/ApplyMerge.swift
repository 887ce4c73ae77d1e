import KubeCore

/// Merges an apply configuration into a live object (upstream typed `Merge` with "keep the right-hand
/// side"): structs and maps merge member by member, `set` and `map` lists entry by entry (matching
/// entries merge recursively), and scalars and atomic values are replaced by the configuration's.
///
/// Entry order follows upstream: the configuration's entries in its order, with live-only entries kept
/// where they stood relative to the shared ones.
///
/// Stateless namespace of pure functions; thread-safe.
enum ApplyMerge {
    static func merge(_ live: JSONValue, _ config: JSONValue, schema: ApplySchema) -> JSONValue {
        mergeValue(live, config, schema: schema) ?? config
    }

    private static func mergeValue(_ lhs: JSONValue?, _ rhs: JSONValue?, schema: ApplySchema) -> JSONValue? {
        guard let rhs else { return lhs }
        guard let lhs else { return rhs }
        let node = schema.resolved(for: rhs)
        if case .deduced = schema, schema.resolved(for: lhs).isList != node.isList { return rhs }
        switch node {
        case .scalar:
            return rhs
        case .list(let element, let kind):
            let left = items(lhs)
            let right = items(rhs)
            if kind == .atomic || (left.isEmpty && right.isEmpty) { return rhs }
            guard let leftEntries = ListEntries.entries(left, kind: kind),
                  let rightEntries = ListEntries.entries(right, kind: kind)
            else { return rhs }
            return .array(mergeEntries(leftEntries, rightEntries, schema: element))
        case .structure, .map, .deduced:
            if node.isAtomic { return rhs }
            var result = lhs.members
            let right = rhs.members
            if result.isEmpty && right.isEmpty { return rhs }
            for (name, value) in right {
                result[name] = mergeValue(result[name], value, schema: node.member(name) ?? .deduced)
            }
            return .object(result)
        }
    }

    private static func items(_ value: JSONValue) -> [JSONValue] {
        if case .array(let items) = value { return items }
        return []
    }

    /// Upstream `visitListItems` of the merging walker.
    private static func mergeEntries(
        _ lhs: [(element: PathElement, value: JSONValue)], _ rhs: [(element: PathElement, value: JSONValue)],
        schema: ApplySchema
    ) -> [JSONValue] {
        let observedLHS = Dictionary(lhs.map { ($0.element, $0.value) }, uniquingKeysWith: { a, _ in a })
        let observedRHS = Dictionary(rhs.map { ($0.element, $0.value) }, uniquingKeysWith: { a, _ in a })
        var sharedOrder = rhs.map(\.element).filter { observedLHS[$0] != nil }[...]
        var nextShared = sharedOrder.popFirst()
        var mergedRHS = Set<PathElement>()
        var out: [JSONValue] = []
        var (l, r) = (0, 0)
        while l < lhs.count || r < rhs.count {
            if l < lhs.count && r < rhs.count {
                let element = lhs[l].element
                if element == rhs[r].element {
                    mergedRHS.insert(element)
                    if let merged = mergeValue(observedLHS[element], observedRHS[element], schema: schema) { out.append(merged) }
                    l += 1
                    r += 1
                    nextShared = sharedOrder.popFirst()
                    continue
                }
                if observedRHS[element] != nil, let shared = nextShared, shared != element {
                    l += 1
                    continue
                }
            }
            if l < lhs.count {
                let element = lhs[l].element
                if observedRHS[element] == nil {
                    out.append(lhs[l].value)
                    l += 1
                    continue
                } else if mergedRHS.contains(element) {
                    l += 1
                    continue
                }
            }
            if r < rhs.count {
                let element = rhs[r].element
                mergedRHS.insert(element)
                if let merged = mergeValue(observedLHS[element], observedRHS[element], schema: schema) { out.append(merged) }
                r += 1
                if nextShared == element { nextShared = sharedOrder.popFirst() }
            }
        }
        return out
    }
}

extension ApplySchema {
    /// Whether this is a list schema.
    var isList: Bool {
        if case .list = self { return true }
        return false
    }
}
