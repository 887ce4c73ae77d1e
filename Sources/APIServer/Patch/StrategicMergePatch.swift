import KubeCore

/// Strategic merge patch. Until every kind publishes its merge keys, lists are replaced (as for kinds
/// without a schema) and the `$`-directives are honoured where they do not need merge keys:
/// `$patch: replace|delete` on maps, `$retainKeys`, and `$setElementOrder/…` / `$deleteFromPrimitiveList/…`
/// are consumed rather than stored.
enum StrategicMergePatch {
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        if patchMembers["$patch"]?.stringValue == "replace" {
            var replacement = patchMembers
            replacement["$patch"] = nil
            return strip(.object(replacement))
        }
        if patchMembers["$patch"]?.stringValue == "delete" { return .null }
        var result = target.members
        if case .object = target {} else { result = [:] }
        if case .array(let retained)? = patchMembers["$retainKeys"] {
            let keep = Set(retained.compactMap(\.stringValue))
            result = result.filter { keep.contains($0.key) }
        }
        for (key, value) in patchMembers {
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let list = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                if case .array(let existing)? = result[list], case .array(let remove) = value {
                    result[list] = .array(existing.filter { !remove.contains($0) })
                }
                continue
            }
            if key.hasPrefix("$") { continue }
            if value == .null {
                result[key] = nil
            } else if case .object = value {
                let merged = apply(value, to: result[key] ?? .null)
                result[key] = merged == .null ? nil : merged
            } else {
                result[key] = strip(value)
            }
        }
        return .object(result)
    }

    /// Removes `$`-directives from a value that replaces whatever was there.
    private static func strip(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var clean: [String: JSONValue] = [:]
            for (key, member) in members where !key.hasPrefix("$") { clean[key] = strip(member) }
            return .object(clean)
        case .array(let elements):
            return .array(elements.map(strip))
        default:
            return value
        }
    }
}
