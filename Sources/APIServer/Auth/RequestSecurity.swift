import KubeCore
public import KubeStorage
public import Logging

/// How the API server establishes who is calling and what they may do: the authentication chain,
/// impersonation, and the authorizer every request passes before it is routed; the rules users hold (for
/// `SelfSubjectRulesReview` and RBAC escalation checks); and, with RBAC, the policy index the server keeps
/// current.
///
/// Immutable; Sendable.
public struct RequestSecurity: Sendable {
    public var authentication: AuthenticationChain
    public var authorizer: any RequestAuthorizer
    public var ruleResolver: any PolicyRuleResolver
    /// The RBAC objects in memory, kept current (with the bootstrap policy and ClusterRole aggregation) by
    /// the API server; nil when RBAC is not in use.
    public var rbacPolicy: RBACPolicyIndex?

    public init(authentication: AuthenticationChain, authorizer: any RequestAuthorizer,
                ruleResolver: any PolicyRuleResolver = AllowAllRuleResolver(), rbacPolicy: RBACPolicyIndex? = nil) {
        self.authentication = authentication
        self.authorizer = authorizer
        self.ruleResolver = ruleResolver
        self.rbacPolicy = rbacPolicy
    }

    /// Anonymous callers allowed everything: for handler-level tests that exercise the REST machinery.
    public static let allowAll = RequestSecurity(authentication: .anonymousOnly, authorizer: AlwaysAllowAuthorizer())

    /// kube-apiserver's `--authorization-mode=RBAC`: `system:masters` may do anything, everyone else what
    /// RBAC roles bound to them allow. The index reads `store`; the API server runs it.
    public static func rbac(authentication: AuthenticationChain, store: any KeyValueStore, logger: Logger)
        -> RequestSecurity
    {
        let index = RBACPolicyIndex(store: store, logger: logger)
        let rbac = RBACAuthorizer(policy: index)
        return RequestSecurity(
            authentication: authentication, authorizer: AuthorizationChain([PrivilegedGroupAuthorizer(), rbac]),
            ruleResolver: rbac, rbacPolicy: index)
    }

    /// Authenticates `request`, applies impersonation headers, and authorizes it; returns the user the
    /// request runs as. Throws 401, 403 (or 500 for malformed impersonation) `APIError`s.
    func admit(_ request: APIRequest) async throws -> UserInfo {
        let authenticated = try await authentication.authenticate(request)
        let user = try await Impersonation(authorizer: authorizer).apply(request, user: authenticated)
        let attributes = AuthorizationAttributes.of(request, user: user)
        switch await authorizer.authorize(attributes) {
        case .allow: return user
        case .deny(let reason), .noOpinion(let reason):
            throw AuthorizationChain.forbidden(attributes, reason: reason)
        }
    }
}
