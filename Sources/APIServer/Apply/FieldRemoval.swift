import KubeCore

/// Removes the members of a field set from a value (upstream typed `RemoveItems`): a member path removes
/// the whole field or list entry it names; atomic values are never entered.
///
/// Stateless namespace of pure functions; thread-safe.
enum FieldRemoval {
    /// `value` without the fields of `set` (paths relative to `value`).
    static func removing(_ set: FieldSet, from value: JSONValue, schema: ApplySchema) -> JSONValue {
        guard !set.isEmpty else { return value }
        let node = schema.resolved(for: value)
        switch (node, value) {
        case (.list(let element, let kind), .array(let items)) where kind != .atomic:
            guard let entries = ListEntries.entries(items, kind: kind) else { return value }
            var kept: [JSONValue] = []
            for entry in entries where !set.contains([entry.element]) {
                let below = set.withPrefix(entry.element)
                kept.append(below.isEmpty ? entry.value : removing(below, from: entry.value, schema: element))
            }
            return .array(kept)
        case (.structure, .object(let members)), (.map, .object(let members)), (.deduced, .object(let members)):
            guard !node.isAtomic else { return value }
            var kept: [String: JSONValue] = [:]
            for (name, member) in members where !set.contains([.field(name)]) {
                let below = set.withPrefix(.field(name))
                kept[name] = below.isEmpty ? member : removing(below, from: member, schema: node.member(name) ?? .deduced)
            }
            return .object(kept)
        default:
            return value
        }
    }
}
