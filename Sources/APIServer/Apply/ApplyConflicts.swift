/// An apply that would change fields other managers own (upstream `merge.Conflicts`); `ErrorMapping`
/// answers it with a 409 Conflict status whose causes name each field and manager.
///
/// Value type; Sendable.
struct ApplyConflicts: Error, Sendable {
    struct Conflict: Sendable, Equatable {
        var manager: ManagerIdentity
        var path: FieldSetPath
    }

    var conflicts: [Conflict]

    /// Upstream `getConflictMessage`.
    var message: String {
        if conflicts.count == 1 {
            let conflict = conflicts[0]
            return "Apply failed with 1 conflict: conflict with \(conflict.manager.conflictDescription): \(conflict.path)"
        }
        var lines: [String] = []
        var byManager: [String: [FieldSetPath]] = [:]
        for conflict in conflicts { byManager[conflict.manager.conflictDescription, default: []].append(conflict.path) }
        for manager in byManager.keys.sorted() {
            lines.append("conflicts with \(manager):")
            lines += byManager[manager]!.map { "- \($0)" }
        }
        return "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
    }
}
