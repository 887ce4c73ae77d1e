import KubeCore

/// The decoded `metadata.managedFields` of an object: one field set per ``ManagerIdentity``, with the
/// API version the set is expressed in and the time the manager last changed the object.
///
/// Value type; Sendable.
struct ManagedFieldsState: Sendable, Equatable {
    /// One manager's ownership.
    struct Entry: Sendable, Equatable {
        var set: FieldSet
        var apiVersion: String
        var time: String?
    }

    var entries: [ManagerIdentity: Entry] = [:]

    init(entries: [ManagerIdentity: Entry] = [:]) { self.entries = entries }

    /// Decodes a `managedFields` list (absent or null: no entries). Throws when an entry is not a valid
    /// FieldsV1 entry (upstream `DecodeManagedFields`).
    init(decoding value: JSONValue?) throws(FieldSetDecodingError) {
        guard let value, value != .null else { return }
        guard case .array(let items) = value else { throw FieldSetDecodingError(message: "managedFields is not a list") }
        for item in items {
            guard case .object(let members) = item else {
                throw FieldSetDecodingError(message: "a managedFields entry is not an object")
            }
            switch members["fieldsType"]?.stringValue ?? "" {
            case "FieldsV1": break
            case "": throw FieldSetDecodingError(message: "missing fieldsType in managed fields entry")
            case let other: throw FieldSetDecodingError(message: "invalid fieldsType \(GoQuoting.quote(other))")
            }
            let set = try FieldSet(fieldsV1: members["fieldsV1"] ?? .object([:]))
            let apiVersion = members["apiVersion"]?.stringValue ?? ""
            let identity = ManagerIdentity(
                manager: members["manager"]?.stringValue ?? "", operation: members["operation"]?.stringValue ?? "",
                apiVersion: apiVersion, subresource: members["subresource"]?.stringValue ?? "")
            entries[identity] = Entry(set: set, apiVersion: apiVersion, time: members["time"]?.stringValue)
        }
    }

    /// Upstream's reset request: `managedFields: [{}]` (one empty entry) clears the ownership record.
    static func isResetRequest(_ value: JSONValue?) -> Bool {
        guard case .array(let items)? = value, items.count == 1 else { return false }
        return items[0] == .object([:])
    }

    /// The `managedFields` list, sorted as upstream does (Apply before Update, then by time, manager, API
    /// version and subresource); nil when no manager owns anything.
    var encoded: JSONValue? {
        let live = entries.filter { !$0.value.set.isEmpty }
        guard !live.isEmpty else { return nil }
        let ordered = live.sorted { a, b in
            if a.key.operation != b.key.operation { return a.key.operation < b.key.operation }
            let (ta, tb) = (a.value.time ?? "", b.value.time ?? "")
            if ta != tb { return ta < tb }
            if a.key.manager != b.key.manager { return a.key.manager < b.key.manager }
            if a.value.apiVersion != b.value.apiVersion { return a.value.apiVersion < b.value.apiVersion }
            return a.key.subresource < b.key.subresource
        }
        return .array(ordered.map { identity, entry in
            Self.encodedEntry(identity: identity, apiVersion: entry.apiVersion, time: entry.time,
                              fieldsV1: entry.set.fieldsV1)
        })
    }

    /// One `managedFields` entry as ``encoded`` writes it.
    static func encodedEntry(identity: ManagerIdentity, apiVersion: String, time: String?, fieldsV1: JSONValue)
        -> JSONValue
    {
        var members: [String: JSONValue] = [
            "manager": .string(identity.manager), "operation": .string(identity.operation),
            "apiVersion": .string(apiVersion), "fieldsType": "FieldsV1", "fieldsV1": fieldsV1,
        ]
        if let time { members["time"] = .string(time) }
        if !identity.subresource.isEmpty { members["subresource"] = .string(identity.subresource) }
        return .object(members)
    }
}
