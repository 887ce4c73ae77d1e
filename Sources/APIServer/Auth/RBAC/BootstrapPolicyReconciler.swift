import KubeAPI
import KubeCore
import Logging

/// Keeps the bootstrap policy (`BootstrapPolicy`) in the store, as upstream's `rbac/bootstrap-roles`
/// post-start hook does: at startup, missing roles and bindings are created and existing ones whose
/// `rbac.authorization.kubernetes.io/autoupdate` annotation is not `"false"` get the missing rules,
/// aggregation selectors, subjects, labels and annotations added (never removed; a binding whose roleRef
/// differs is recreated). Afterwards a deleted bootstrap object is recreated as soon as the index sees the
/// delete.
///
/// Stateless; Sendable. Writes go through the handler as `system:apiserver`.
struct BootstrapPolicyReconciler: Sendable {
    static let fieldManager = "kube-apiserver"
    let handler: APIHandler
    let logger: Logger

    /// The startup reconciliation, against the store as it is now.
    func reconcile(_ snapshot: RBACPolicySnapshot) async throws {
        for expected in BootstrapPolicy.clusterRoles {
            guard let existing = snapshot.clusterRoles[expected.metadata.name] else {
                try await create(expected)
                continue
            }
            guard let reconciled = Self.reconciled(existing, expected: expected) else { continue }
            try await handler.updateClusterObject(plural: "clusterroles", name: expected.metadata.name,
                                                  fieldManager: Self.fieldManager) { current in
                var updated = current
                updated.set(["metadata", "labels"], Self.stringMap(reconciled.metadata.labels))
                updated.set(["metadata", "annotations"], Self.stringMap(reconciled.metadata.annotations))
                updated.set(["rules"], try APIHandler.jsonTree(reconciled)["rules"])
                updated.set(["aggregationRule"], try APIHandler.jsonTree(reconciled)["aggregationRule"])
                return updated
            }
            logger.info("Bootstrap ClusterRole reconciled", metadata: ["name": "\(expected.metadata.name)"])
        }
        for expected in BootstrapPolicy.clusterRoleBindings {
            let name = expected.metadata.name
            guard let existing = snapshot.clusterRoleBindings.first(where: { $0.metadata.name == name }) else {
                try await create(expected)
                continue
            }
            guard let reconciled = Self.reconciled(existing, expected: expected) else { continue }
            if reconciled.roleRef != existing.roleRef {
                try await handler.deleteClusterObject(plural: "clusterrolebindings", name: name)
                var fresh = reconciled
                fresh.metadata = ObjectMeta()
                fresh.metadata.name = name
                fresh.metadata.labels = reconciled.metadata.labels
                fresh.metadata.annotations = reconciled.metadata.annotations
                try await create(fresh)
                continue
            }
            try await handler.updateClusterObject(plural: "clusterrolebindings", name: name,
                                                  fieldManager: Self.fieldManager) { current in
                var updated = current
                updated.set(["metadata", "labels"], Self.stringMap(reconciled.metadata.labels))
                updated.set(["metadata", "annotations"], Self.stringMap(reconciled.metadata.annotations))
                updated.set(["subjects"], try APIHandler.jsonTree(reconciled)["subjects"])
                return updated
            }
            logger.info("Bootstrap ClusterRoleBinding reconciled", metadata: ["name": "\(name)"])
        }
    }

    /// Recreates bootstrap objects missing from `snapshot` (someone deleted them).
    func recreateMissing(_ snapshot: RBACPolicySnapshot) async throws {
        for expected in BootstrapPolicy.clusterRoles where snapshot.clusterRoles[expected.metadata.name] == nil {
            try await create(expected)
        }
        let bindings = Set(snapshot.clusterRoleBindings.map(\.metadata.name))
        for expected in BootstrapPolicy.clusterRoleBindings where !bindings.contains(expected.metadata.name) {
            try await create(expected)
        }
    }

    private func create(_ role: ClusterRole) async throws {
        if try await handler.createClusterObject(role, plural: "clusterroles", fieldManager: Self.fieldManager) {
            logger.info("Bootstrap ClusterRole created", metadata: ["name": "\(role.metadata.name)"])
        }
    }

    private func create(_ binding: ClusterRoleBinding) async throws {
        if try await handler.createClusterObject(binding, plural: "clusterrolebindings", fieldManager: Self.fieldManager) {
            logger.info("Bootstrap ClusterRoleBinding created", metadata: ["name": "\(binding.metadata.name)"])
        }
    }

    static func isProtected(_ meta: ObjectMeta) -> Bool {
        meta.annotations[BootstrapPolicy.autoUpdateAnnotation] == "false"
    }

    /// Upstream `computeReconciledRole` in union mode; nil when nothing needs to change or the role is
    /// protected by `autoupdate: "false"`.
    static func reconciled(_ existing: ClusterRole, expected: ClusterRole) -> ClusterRole? {
        guard !isProtected(existing.metadata) else { return nil }
        var result = existing
        result.metadata.labels = expected.metadata.labels.merging(existing.metadata.labels) { _, own in own }
        result.metadata.annotations = expected.metadata.annotations.merging(existing.metadata.annotations) { _, own in own }
        if let expectedAggregation = expected.aggregationRule {
            var selectors = existing.aggregationRule?.clusterRoleSelectors ?? []
            for selector in expectedAggregation.clusterRoleSelectors where !selectors.contains(selector) {
                selectors.append(selector)
            }
            result.aggregationRule = AggregationRule(clusterRoleSelectors: selectors)
        }
        let missing = PolicyRuleCoverage.uncovered(owner: existing.rules, servant: expected.rules)
        result.rules += missing
        return result == existing ? nil : result
    }

    /// Upstream `computeReconciledRoleBinding` in union mode (a changed roleRef means recreate).
    static func reconciled(_ existing: ClusterRoleBinding, expected: ClusterRoleBinding) -> ClusterRoleBinding? {
        guard !isProtected(existing.metadata) else { return nil }
        var result = existing
        result.metadata.labels = expected.metadata.labels.merging(existing.metadata.labels) { _, own in own }
        result.metadata.annotations = expected.metadata.annotations.merging(existing.metadata.annotations) { _, own in own }
        result.roleRef = expected.roleRef
        for subject in expected.subjects where !existing.subjects.contains(subject) {
            result.subjects.append(subject)
        }
        return result == existing ? nil : result
    }

    static func stringMap(_ map: [String: String]) -> JSONValue {
        map.isEmpty ? .null : .object(map.mapValues { .string($0) })
    }
}
