import KubeAPI

/// Where the RBAC authorizer reads roles and bindings: the live index in the server, a fixed snapshot in
/// tests.
///
/// Implementations are Sendable; `snapshot` is cheap (no store read).
public protocol RBACPolicySource: Sendable {
    var snapshot: RBACPolicySnapshot { get }
}

extension RBACPolicySnapshot: RBACPolicySource {
    public var snapshot: RBACPolicySnapshot { self }
}

/// Role-based access control (upstream `plugin/pkg/auth/authorizer/rbac`): allows a request when a rule
/// bound to the user allows it, with the reason `RBAC: allowed by <binding>`; otherwise it has no opinion
/// (RBAC never denies), with the reason `RBAC: <resolution errors>` when some binding's role is missing.
///
/// Immutable; Sendable. Each decision reads one snapshot of the policy.
public struct RBACAuthorizer: RequestAuthorizer, PolicyRuleResolver {
    public let policy: any RBACPolicySource

    public init(policy: any RBACPolicySource) {
        self.policy = policy
    }

    public func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        decide(attributes)
    }

    /// The decision, synchronously.
    public func decide(_ attributes: AuthorizationAttributes) -> AuthorizationDecision {
        var allowedBy: String?
        var errors: [String] = []
        policy.snapshot.visitRules(for: attributes.user, namespace: attributes.namespace) { source, rule, error in
            if let rule, let source, rule.allows(attributes) {
                allowedBy = source.description
                return false
            }
            if let error { errors.append(error) }
            return true
        }
        if let allowedBy { return .allow(reason: "RBAC: allowed by " + allowedBy) }
        return .noOpinion(reason: errors.isEmpty ? "" : "RBAC: " + ResolvedRules.aggregate(errors))
    }

    public func rules(for user: UserInfo, namespace: String) async -> ResolvedRules {
        let (rules, errors) = policy.snapshot.rules(for: user, namespace: namespace)
        return ResolvedRules(rules: rules, errors: errors)
    }
}
