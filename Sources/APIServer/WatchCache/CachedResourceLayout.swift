import KubeCore
import KubeStorage

/// What the watch cache needs to know about one stored resource: its key prefix, whether it is namespaced,
/// and how to read its selectable fields; turns stored values into cache entries and evaluates selectors
/// on them.
///
/// Value type; Sendable; immutable.
struct CachedResourceLayout: Sendable {
    let keyPrefix: String
    let namespaced: Bool
    /// The resource's selectable fields beyond `metadata.name` / `metadata.namespace`, sorted.
    let fieldNames: [String]
    let selectableFields: @Sendable (JSONValue) -> [String: String]

    init(_ resource: ServedResource) {
        keyPrefix = resource.keyPrefix
        namespaced = resource.namespaced
        selectableFields = resource.selectableFields
        fieldNames = resource.selectableFields(.object([:])).keys.sorted()
    }

    /// Parses a stored value into a cache entry; nil when it is not a JSON object. Call it outside the
    /// cache's lock: this is the expensive part of applying an event.
    /// `parsed`, when given, is the value's tree (a written object's hint), so it is not parsed again.
    func entry(value: [UInt8], modRevision: Revision, parsed: JSONValue? = nil) -> CachedObject? {
        CachedObject(value: value, modRevision: modRevision, fieldNames: fieldNames, selectableFields: selectableFields,
                     parsed: parsed)
    }

    /// Whether `object` (stored at `key`) is selected by `selection`.
    func matches(_ selection: ListSelection, key: String, object: CachedObject) -> Bool {
        if selection.isEverything { return true }
        guard selection.labels.matches(object.labels) else { return false }
        if selection.fields.isEmpty { return true }
        let path = key.dropFirst(keyPrefix.count)
        let slash = namespaced ? path.firstIndex(of: "/") : nil
        return selection.fields.matches { field in
            switch field {
            case "metadata.name": return String(slash.map { path[path.index(after: $0)...] } ?? path)
            case "metadata.namespace": return namespaced ? slash.map { String(path[..<$0]) } : nil
            default:
                guard let index = fieldNames.firstIndex(of: field) else { return nil }
                return object.fields[index]
            }
        }
    }
}
