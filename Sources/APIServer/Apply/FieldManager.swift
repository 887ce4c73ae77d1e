import KubeCore

/// Maintains field ownership for one resource (upstream structured-merge-diff `merge.Updater` with the
/// API server's field-manager layers): records what each write changed, applies configurations with
/// conflict detection, and prunes fields an applier stopped applying.
///
/// - An update (create, replace, non-apply patch) gives its manager the fields it added or modified and
///   takes them (and the fields it removed) away from every other manager.
/// - An apply merges the configuration into the live object; the applier then owns exactly the
///   configuration's fields. A field it owned before and no longer applies is removed unless another
///   manager owns it. Changing a field another manager owns is a conflict unless `force` is set, in
///   which case the field changes hands; applying the value a field already has shares it.
///
/// Server-maintained metadata (name, uid, resourceVersion, ...) is never owned; `ignored` (the fields
/// the endpoint resets, such as `status` on the main resource) is neither owned nor a conflict.
///
/// Value type; Sendable; pure (the caller supplies the time).
struct FieldManager: Sendable {
    let schema: ApplySchema
    /// The resource's `apiVersion`, recorded in entries.
    let apiVersion: String
    let ignored: FieldSet

    /// Upstream `stripMetaManager`'s set.
    static let serverMetadata: FieldSet = [
        .fields("apiVersion"), .fields("kind"), .fields("metadata"), .fields("metadata", "name"),
        .fields("metadata", "namespace"), .fields("metadata", "creationTimestamp"), .fields("metadata", "selfLink"),
        .fields("metadata", "uid"), .fields("metadata", "clusterName"), .fields("metadata", "generation"),
        .fields("metadata", "managedFields"), .fields("metadata", "resourceVersion"),
    ]

    /// Records an update from `old` to `new` by `manager` (an `Update` identity) at `time`.
    func update(old: JSONValue, new: JSONValue, managed: ManagedFieldsState, manager: ManagerIdentity, time: String)
        -> ManagedFieldsState
    {
        let current = ManagerIdentity(manager: "\u{0}current-operation", operation: ManagerIdentity.update,
                                      apiVersion: apiVersion)
        var managers = managed.entries
        let comparison = takeOwnership(old: old, new: new, managers: &managers, except: current)
        let changed = comparison.modified.union(comparison.added).subtracting(Self.serverMetadata)
        var result = ManagedFieldsState(entries: managers.filter { !$0.value.set.isEmpty })
        if !changed.isEmpty {
            let previous = result.entries[manager]?.set ?? FieldSet()
            result.entries[manager] = ManagedFieldsState.Entry(set: previous.union(changed), apiVersion: apiVersion,
                                                               time: time)
        }
        return Self.capUpdateManagers(result)
    }

    /// At most this many `Update` entries are kept (upstream `DefaultMaxUpdateManagers`).
    static let maxUpdateManagers = 10
    /// The entry the oldest updates are merged into beyond the cap.
    static let ancientChanges = "ancient-changes"

    /// Upstream `capManagersManager`: beyond ``maxUpdateManagers`` `Update` entries, the oldest are merged
    /// into an `ancient-changes` entry of their API version.
    static func capUpdateManagers(_ state: ManagedFieldsState) -> ManagedFieldsState {
        var entries = state.entries
        let updaters = entries.filter { !$0.key.isApply }.sorted { a, b in
            let (ta, tb) = (a.value.time ?? "", b.value.time ?? "")
            return ta != tb ? ta < tb : a.key < b.key
        }
        var count = updaters.count
        for (identity, entry) in updaters where count > maxUpdateManagers {
            let bucket = ManagerIdentity(manager: ancientChanges, operation: ManagerIdentity.update,
                                         apiVersion: entry.apiVersion)
            guard identity != bucket else { continue }
            if entries[bucket] != nil { count -= 1 }
            let merged = (entries[bucket]?.set ?? FieldSet()).union(entry.set)
            entries[identity] = nil
            entries[bucket] = ManagedFieldsState.Entry(set: merged, apiVersion: entry.apiVersion, time: entry.time)
        }
        return ManagedFieldsState(entries: entries)
    }

    /// Applies `config` to `live` for `manager` (an `Apply` identity). Returns the new object and
    /// ownership; throws ``ApplyConflicts`` when `config` changes fields other managers own and `force` is off.
    func apply(live: JSONValue, config: JSONValue, managed: ManagedFieldsState, manager: ManagerIdentity,
               force: Bool, time: String) throws(ApplyConflicts) -> (object: JSONValue, managed: ManagedFieldsState)
    {
        var managers = managed.entries
        let merged = ApplyMerge.merge(live, config, schema: schema)
        let lastSet = managers[manager]?.set
        let applied = FieldSetExtraction.fieldSet(of: config, schema: schema).recursiveSubtracting(ignored)
            .subtracting(Self.serverMetadata)
        managers[manager] = ManagedFieldsState.Entry(set: applied, apiVersion: apiVersion, time: managers[manager]?.time)
        let pruned = prune(merged, managers: managers, lastSet: lastSet)
        let comparison = ObjectComparison(old: live, new: pruned, schema: schema).excluding(ignored)
        var conflicts: [ApplyConflicts.Conflict] = []
        for (identity, entry) in managers where identity != manager {
            for path in entry.set.intersection(comparison.modified.union(comparison.added)).sorted {
                conflicts.append(ApplyConflicts.Conflict(manager: identity, path: path))
            }
        }
        if !conflicts.isEmpty && !force {
            throw ApplyConflicts(conflicts: conflicts.sorted { ($0.manager, $0.path) < ($1.manager, $1.path) })
        }
        _ = takeOwnership(old: live, new: pruned, managers: &managers, except: manager)
        if pruned != live || managed.entries[manager] == nil {
            managers[manager]?.time = time
        }
        return (pruned, ManagedFieldsState(entries: managers.filter { !$0.value.set.isEmpty }))
    }

    /// Upstream `Updater.update` with force: every manager but `except` loses the fields that changed or
    /// were removed. Returns the comparison (without ignored fields).
    private func takeOwnership(old: JSONValue, new: JSONValue, managers: inout [ManagerIdentity: ManagedFieldsState.Entry],
                               except: ManagerIdentity) -> ObjectComparison {
        let comparison = ObjectComparison(old: old, new: new, schema: schema).excluding(ignored)
        let taken = comparison.modified.union(comparison.added).union(comparison.removed)
        for (identity, entry) in managers where identity != except {
            managers[identity]?.set = entry.set.subtracting(taken)
        }
        return comparison
    }

    /// Upstream `Updater.prune`: removes from `merged` the fields of `lastSet` that the applier no longer
    /// applies and no other manager owns, keeping everything outside `lastSet`.
    private func prune(_ merged: JSONValue, managers: [ManagerIdentity: ManagedFieldsState.Entry],
                       lastSet: FieldSet?) -> JSONValue {
        guard let lastSet, !lastSet.isEmpty else { return merged }
        func named(_ set: FieldSet) -> FieldSet { FieldSetExtraction.ensureNamedFieldsAreMembers(set, schema: schema) }
        let last = named(lastSet)
        let firstCut = FieldRemoval.removing(last, from: merged, schema: schema)
        // Add back what anyone (the applier included) still owns.
        let owned = named(managers.values.reduce(FieldSet()) { $0.union($1.set) })
        let mergedSet = named(FieldSetExtraction.fieldSet(of: merged, schema: schema))
        let firstCutSet = named(FieldSetExtraction.fieldSet(of: firstCut, schema: schema))
        let ownedBack = FieldRemoval.removing(mergedSet.subtracting(firstCutSet.union(owned)), from: merged, schema: schema)
        // Only what was in the applier's last set goes.
        let prunedSet = named(FieldSetExtraction.fieldSet(of: ownedBack, schema: schema))
        return FieldRemoval.removing(mergedSet.subtracting(prunedSet).intersection(last), from: merged, schema: schema)
    }
}
