public import KubeAPI

/// The rules a user holds in a namespace, as the authorizers can enumerate them (upstream
/// `authorizer.RuleResolver`): what `SelfSubjectRulesReview` lists and what escalation checks compare against.
///
/// Implementations are Sendable and safe to call concurrently.
public protocol PolicyRuleResolver: Sendable {
    func rules(for user: UserInfo, namespace: String) async -> ResolvedRules
}

/// The answer of a `PolicyRuleResolver`.
///
/// Value type; Sendable.
public struct ResolvedRules: Sendable, Equatable {
    public var rules: [PolicyRule]
    /// Problems met while resolving (bindings to missing roles); the rules found are still valid.
    public var errors: [String]
    /// True when an authorizer cannot enumerate what it would allow.
    public var incomplete: Bool

    public init(rules: [PolicyRule] = [], errors: [String] = [], incomplete: Bool = false) {
        self.rules = rules
        self.errors = errors
        self.incomplete = incomplete
    }

    /// Upstream's `utilerrors.NewAggregate(errs).Error()`: one message as it is, several as `[a, b]`, each
    /// distinct message once.
    public static func aggregate(_ errors: [String]) -> String {
        var seen = Set<String>()
        let distinct = errors.filter { seen.insert($0).inserted }
        if distinct.count == 1 { return distinct[0] }
        return "[" + distinct.joined(separator: ", ") + "]"
    }
}

/// Everything on every resource and path (`AlwaysAllowAuthorizer`'s rules).
///
/// Stateless; Sendable.
public struct AllowAllRuleResolver: PolicyRuleResolver {
    public init() {}

    public func rules(for user: UserInfo, namespace: String) async -> ResolvedRules {
        ResolvedRules(rules: [
            PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
            PolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
        ])
    }
}

/// Joins the rules of several resolvers (upstream's union rule resolver).
///
/// Immutable; Sendable.
public struct PolicyRuleResolverChain: PolicyRuleResolver {
    public var resolvers: [any PolicyRuleResolver]

    public init(_ resolvers: [any PolicyRuleResolver]) {
        self.resolvers = resolvers
    }

    public func rules(for user: UserInfo, namespace: String) async -> ResolvedRules {
        var joined = ResolvedRules()
        for resolver in resolvers {
            let resolved = await resolver.rules(for: user, namespace: namespace)
            joined.rules += resolved.rules
            joined.errors += resolved.errors
            joined.incomplete = joined.incomplete || resolved.incomplete
        }
        return joined
    }
}
