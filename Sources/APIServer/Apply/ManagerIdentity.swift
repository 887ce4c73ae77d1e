import KubeCore

/// Who owns a field set: the manager name, the operation, the API version (for `Update` entries only, so
/// an applier keeps one entry whatever version it applies in) and the subresource (upstream
/// `BuildManagerIdentifier`).
///
/// Value type; Sendable.
struct ManagerIdentity: Hashable, Sendable, Comparable {
    static let apply = "Apply"
    static let update = "Update"

    var manager: String
    var operation: String
    var apiVersion: String
    var subresource: String

    init(manager: String, operation: String, apiVersion: String, subresource: String = "") {
        self.manager = manager
        self.operation = operation
        self.apiVersion = operation == Self.apply ? "" : apiVersion
        self.subresource = subresource
    }

    var isApply: Bool { operation == Self.apply }

    /// Upstream `printManager`: `"kubectl"`, `"kubectl-edit" using v1`,
    /// `"controller" with subresource "status" using apps/v1`.
    var conflictDescription: String {
        var text = GoQuoting.quote(manager)
        if !subresource.isEmpty { text += " with subresource \(GoQuoting.quote(subresource))" }
        if operation == Self.update { text += " using \(apiVersion)" }
        return text
    }

    static func < (lhs: ManagerIdentity, rhs: ManagerIdentity) -> Bool {
        (lhs.manager, lhs.operation, lhs.apiVersion, lhs.subresource)
            < (rhs.manager, rhs.operation, rhs.apiVersion, rhs.subresource)
    }
}
