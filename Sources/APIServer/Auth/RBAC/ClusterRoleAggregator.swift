import KubeAPI
import KubeCore
import Logging

/// The ClusterRole aggregation controller (upstream `clusterroleaggregation_controller.go`): the rules of
/// a ClusterRole with an `aggregationRule` are the union, without duplicates, of the rules of every other
/// ClusterRole any of its selectors matches, taken in name order per selector.
///
/// Stateless; Sendable. Writes go through the handler as `system:apiserver`.
struct ClusterRoleAggregator: Sendable {
    static let fieldManager = "clusterrole-aggregation-controller"
    let handler: APIHandler
    let logger: Logger

    /// Brings every aggregated ClusterRole of `snapshot` up to date.
    func sync(_ snapshot: RBACPolicySnapshot) async {
        for role in snapshot.clusterRoles.values.sorted(by: { $0.metadata.name < $1.metadata.name }) {
            guard let rules = Self.aggregatedRules(of: role, in: snapshot), rules != role.rules else { continue }
            do {
                let encoded = try JSONValue.array(rules.map { try APIHandler.jsonValue($0) })
                try await handler.updateClusterObject(plural: "clusterroles", name: role.metadata.name,
                                                      fieldManager: Self.fieldManager) { current in
                    var updated = current
                    updated.set(["rules"], encoded)
                    return updated
                }
                logger.info("ClusterRole aggregated", metadata: ["name": "\(role.metadata.name)",
                                                                "rules": "\(rules.count)"])
            } catch let error as APIError where error.reason == .notFound {
                continue
            } catch {
                logger.warning("ClusterRole aggregation failed", metadata: ["name": "\(role.metadata.name)",
                                                                           "error": "\(error)"])
            }
        }
    }

    /// The rules `role` aggregates, or nil when it has no aggregation rule or a selector is invalid.
    static func aggregatedRules(of role: ClusterRole, in snapshot: RBACPolicySnapshot) -> [PolicyRule]? {
        guard let aggregation = role.aggregationRule else { return nil }
        var rules: [PolicyRule] = []
        for selector in aggregation.clusterRoleSelectors {
            guard let expression = try? LabelSelectorExpression(selector) else { return nil }
            let matching = snapshot.clusterRoles.values
                .filter { $0.metadata.name != role.metadata.name && expression.matches($0.metadata.labels) }
                .sorted { $0.metadata.name < $1.metadata.name }
            for match in matching {
                for rule in match.rules where !rules.contains(rule) { rules.append(rule) }
            }
        }
        return rules
    }
}
