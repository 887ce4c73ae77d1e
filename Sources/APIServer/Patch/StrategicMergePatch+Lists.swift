import KubeAPI
import KubeCore

/// Lists in a strategic merge patch: merging by key or as a set, the `$patch` list elements,
/// `$setElementOrder/<list>`, and upstream's order normalisation (patch items in patch order, server-only
/// items in live order, the two interleaved by their live positions).
///
/// Stateless; thread-safe.
extension StrategicMergePatch {
    /// Merges the patch list into the live list per the field's strategy (replace unless `merge`).
    static func mergeList(_ original: [JSONValue], _ patch: [JSONValue], meta: FieldMeta) throws -> [JSONValue] {
        guard meta.merges else { return try replacement(patch, meta: meta) }
        if original.isEmpty && patch.isEmpty { return original }
        let special = patch.filter(isDirectiveElement)
        let plain = patch.filter { !isDirectiveElement($0) }
        let objects = try elementsAreObjects(original + plain, default: meta.mergeKey != nil)
        guard objects else { return try mergePrimitives(original, plain, special: special) }
        guard let key = meta.mergeKey else {
            throw APIError.badRequest("cannot merge lists without merge key for \(meta.type?.description ?? "list")")
        }
        var live = original
        var replace = false
        for element in special {
            switch element[directive]?.stringValue {
            case "delete":
                guard let value = element[key] else { throw noMergeKey(element, key) }
                live.removeAll { $0[key].map { sameValue($0, value) } ?? false }
            case "replace":
                replace = true
            case "merge":
                break
            default:
                let marker = describe(element[directive] ?? .null)
                throw APIError.badRequest("Unexpected kind: \(marker) in \(describe(element))")
            }
        }
        if replace { return try replacement(plain, meta: meta) }
        var merged = live
        for element in plain {
            guard case .object(let members) = element, let value = members[key] else { throw noMergeKey(element, key) }
            if let position = merged.firstIndex(where: { $0[key].map { sameValue($0, value) } ?? false }) {
                guard case .object(let existing) = merged[position] else {
                    throw APIError.badRequest("value for key \(position) is not a map")
                }
                merged[position] = try mergeMap(existing, members, shape: meta.elementShape) ?? .object([:])
            } else if let added = try mergeMap(nil, members, shape: meta.elementShape) {
                merged.append(added)
            }
        }
        let inPatch = merged.filter { item in plain.contains { sameElement($0, item, key: key) } }
        let serverOnly = merged.filter { item in !plain.contains { sameElement($0, item, key: key) } }
        return normalizeOrder(inPatch, serverOnly, patchOrder: plain, serverOrder: live, key: key)
    }

    /// `$setElementOrder/<list>` directives: each merges its list (if the patch has it) and orders the
    /// result; the list is then removed from `patch` so it is not merged again.
    static func applySetElementOrder(_ result: inout [String: JSONValue], _ patch: inout [String: JSONValue],
                                     shape: Shape) throws {
        for directiveKey in patch.keys.sorted() where directiveKey.hasPrefix(setElementOrderPrefix) {
            guard case .array(let order)? = patch.removeValue(forKey: directiveKey) else {
                throw APIError.badRequest("invalid patch format of setElementOrder list")
            }
            let name = String(directiveKey.dropFirst(setElementOrderPrefix.count))
            let meta = shape.field(name)
            var live: [JSONValue]?
            var patchList: [JSONValue]?
            if let value = result[name] {
                guard case .array(let elements) = value else { continue }
                live = elements
            }
            if let value = patch[name] {
                guard case .array(let elements) = value else { continue }
                patchList = elements
            }
            let all = (live ?? []) + (patchList ?? []) + order
            let objects = try elementsAreObjects(all, default: meta.mergeKey != nil)
            let key = objects ? meta.mergeKey : nil
            if let patchList { try validateOrder(patchList, order: order, key: key) }
            let merged: [JSONValue]
            switch (live, patchList) {
            case (let live?, nil): merged = live
            case (let live, let patchList?): merged = try mergeList(live ?? [], patchList, meta: meta)
            case (nil, nil): continue
            }
            let inOrder = merged.filter { item in order.contains { sameElement($0, item, key: key) } }
            let serverOnly = merged.filter { item in !order.contains { sameElement($0, item, key: key) } }
            result[name] = .array(normalizeOrder(inOrder, serverOnly, patchOrder: order, serverOrder: live ?? [],
                                                 key: key))
            patch[name] = nil
        }
    }

    /// A replaced list: the patch's elements with directives consumed (elements carrying `$patch` dropped).
    private static func replacement(_ patch: [JSONValue], meta: FieldMeta) throws -> [JSONValue] {
        var elements: [JSONValue] = []
        for element in patch {
            switch element {
            case .object(let members):
                guard members[directive] == nil else { continue }
                if let clean = try mergeMap(nil, members, shape: meta.elementShape) { elements.append(clean) }
            case .array(let nested):
                elements.append(.array(try replacement(nested, meta: FieldMeta(type: nil))))
            default:
                elements.append(element)
            }
        }
        return elements
    }

    /// A merging list of primitives: the union (live values first), unless an element says
    /// `$patch: replace`.
    private static func mergePrimitives(_ original: [JSONValue], _ plain: [JSONValue], special: [JSONValue]) throws
        -> [JSONValue]
    {
        for element in special {
            switch element[directive]?.stringValue {
            case "replace": return deduplicated(plain)
            case "merge": continue
            default: throw APIError.badRequest("invalid patch format of primitive list: \(describe(element))")
            }
        }
        let merged = deduplicated(original + plain)
        let inPatch = merged.filter { item in plain.contains { sameValue($0, item) } }
        let serverOnly = merged.filter { item in !plain.contains { sameValue($0, item) } }
        return normalizeOrder(inPatch, serverOnly, patchOrder: plain, serverOrder: original, key: nil)
    }

    /// Upstream `normalizeElementOrder`: sorts the patch items by `patchOrder` and the server-only items by
    /// `serverOrder`, then inserts the server-only items among the patch items by their live positions.
    static func normalizeOrder(_ patchItems: [JSONValue], _ serverOnly: [JSONValue], patchOrder: [JSONValue],
                               serverOrder: [JSONValue], key: String?) -> [JSONValue] {
        let right = sorted(patchItems, by: patchOrder, key: key)
        let left = sorted(serverOnly, by: serverOrder, key: key)
        var result: [JSONValue] = []
        result.reserveCapacity(left.count + right.count)
        var (i, j) = (0, 0)
        while i < left.count || j < right.count {
            if i >= left.count {
                result.append(right[j])
                j += 1
            } else if j >= right.count {
                result.append(left[i])
                i += 1
            } else if let l = index(of: left[i], in: serverOrder, key: key),
                      let r = index(of: right[j], in: serverOrder, key: key), l < r {
                result.append(left[i])
                i += 1
            } else {
                result.append(right[j])
                j += 1
            }
        }
        return result
    }

    /// Stable sort by position in `order`; items not in it keep their relative order after those that are.
    private static func sorted(_ items: [JSONValue], by order: [JSONValue], key: String?) -> [JSONValue] {
        items.enumerated()
            .map { (rank: index(of: $0.element, in: order, key: key) ?? Int.max, offset: $0.offset, item: $0.element) }
            .sorted { ($0.rank, $0.offset) < ($1.rank, $1.offset) }
            .map(\.item)
    }

    private static func index(of item: JSONValue, in list: [JSONValue], key: String?) -> Int? {
        list.firstIndex { sameElement($0, item, key: key) }
    }

    /// Same entry: equal merge-key values for maps (with a key), equal values otherwise.
    private static func sameElement(_ left: JSONValue, _ right: JSONValue, key: String?) -> Bool {
        guard let key else { return sameValue(left, right) }
        guard let a = left[key], let b = right[key] else { return false }
        return sameValue(a, b)
    }

    /// Upstream `validatePatchWithSetOrderList`: the patch list's entries (deletions aside) appear in the
    /// `$setElementOrder` list, in the same relative order.
    private static func validateOrder(_ patchList: [JSONValue], order: [JSONValue], key: String?) throws {
        let entries = patchList.filter { !isDirectiveElement($0) }
        var (p, o) = (0, 0)
        while p < entries.count && o < order.count {
            if sameElement(entries[p], order[o], key: key) { p += 1 }
            o += 1
        }
        if p < entries.count {
            throw APIError.badRequest("The order in patch list:\n\(describe(.array(patchList)))\n doesn't match "
                + "$setElementOrder list:\n\(describe(.array(order)))")
        }
    }

    private static func isDirectiveElement(_ element: JSONValue) -> Bool {
        element[directive] != nil
    }

    /// Whether the list holds maps (true) or primitives (false); `fallback` for an empty list. Lists of
    /// lists and mixed lists are errors, as upstream.
    private static func elementsAreObjects(_ elements: [JSONValue], default fallback: Bool) throws -> Bool {
        var objects = 0
        for element in elements {
            switch element {
            case .array: throw APIError.badRequest("lists of lists are not supported")
            case .object: objects += 1
            default: break
            }
        }
        if objects == 0 { return elements.isEmpty ? fallback : false }
        guard objects == elements.count else {
            throw APIError.badRequest("list element types are not identical: \(describe(.array(elements)))")
        }
        return true
    }

    private static func deduplicated(_ values: [JSONValue]) -> [JSONValue] {
        var result: [JSONValue] = []
        for value in values where !result.contains(where: { sameValue($0, value) }) { result.append(value) }
        return result
    }

    private static func noMergeKey(_ element: JSONValue, _ key: String) -> APIError {
        APIError.badRequest("map: \(describe(element)) does not contain declared merge key: \(key)")
    }
}
