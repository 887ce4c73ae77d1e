public import KubeAPI
import KubeCore

/// One consistent view of every Role, ClusterRole, RoleBinding and ClusterRoleBinding, and the rule
/// resolution over it (upstream's `DefaultRuleResolver`): ClusterRoleBindings grant their ClusterRole's rules
/// everywhere, RoleBindings grant their Role's or ClusterRole's rules in their own namespace; a binding to a
/// missing role grants nothing and reports `clusterrole.rbac.authorization.k8s.io "name" not found`.
///
/// Value type; Sendable. Bindings are visited in name order.
public struct RBACPolicySnapshot: Sendable, Equatable {
    /// namespace → name → Role.
    public private(set) var roles: [String: [String: Role]] = [:]
    public private(set) var clusterRoles: [String: ClusterRole] = [:]
    /// namespace → RoleBindings in name order.
    public private(set) var roleBindings: [String: [RoleBinding]] = [:]
    /// In name order.
    public private(set) var clusterRoleBindings: [ClusterRoleBinding] = []

    public init(roles: [Role] = [], clusterRoles: [ClusterRole] = [], roleBindings: [RoleBinding] = [],
                clusterRoleBindings: [ClusterRoleBinding] = []) {
        for role in roles {
            self.roles[role.metadata.namespace, default: [:]][role.metadata.name] = role
        }
        for clusterRole in clusterRoles { self.clusterRoles[clusterRole.metadata.name] = clusterRole }
        for binding in roleBindings.sorted(by: { ($0.metadata.name) < ($1.metadata.name) }) {
            self.roleBindings[binding.metadata.namespace, default: []].append(binding)
        }
        self.clusterRoleBindings = clusterRoleBindings.sorted { ($0.metadata.name) < ($1.metadata.name) }
    }

    /// Where a visited rule came from, described as upstream does in `RBAC: allowed by ...`.
    public struct RuleSource: Sendable {
        var bindingKind: String
        var bindingName: String
        var bindingNamespace: String
        var roleRef: RoleRef
        var subject: Subject

        public var description: String {
            let binding = bindingKind == "RoleBinding" ? bindingName + "/" + bindingNamespace : bindingName
            let subjectText: String
            if subject.kind == "ServiceAccount" {
                let namespace = subject.namespace.isEmpty ? bindingNamespace : subject.namespace
                subjectText = "\(subject.kind) \(GoQuoting.quote(subject.name + "/" + namespace))"
            } else {
                subjectText = "\(subject.kind) \(GoQuoting.quote(subject.name))"
            }
            return "\(bindingKind) \(GoQuoting.quote(binding)) of \(roleRef.kind) \(GoQuoting.quote(roleRef.name)) to \(subjectText)"
        }
    }

    /// Calls `visitor` with each rule that applies to `user` in `namespace` (cluster-wide ones first), or with
    /// an error text for each binding whose role cannot be resolved; stops when `visitor` returns false.
    public func visitRules(for user: UserInfo, namespace: String,
                           _ visitor: (_ source: RuleSource?, _ rule: PolicyRule?, _ error: String?) -> Bool) {
        for binding in clusterRoleBindings {
            guard let subject = Self.firstApplyingSubject(binding.subjects, to: user, namespace: "") else { continue }
            switch roleReferenceRules(binding.roleRef, namespace: "") {
            case .failure(let error):
                if !visitor(nil, nil, error.message) { return }
            case .success(let rules):
                let source = RuleSource(bindingKind: "ClusterRoleBinding", bindingName: binding.metadata.name,
                                        bindingNamespace: "", roleRef: binding.roleRef, subject: subject)
                for rule in rules where !visitor(source, rule, nil) { return }
            }
        }
        guard !namespace.isEmpty else { return }
        for binding in roleBindings[namespace] ?? [] {
            guard let subject = Self.firstApplyingSubject(binding.subjects, to: user, namespace: namespace) else {
                continue
            }
            switch roleReferenceRules(binding.roleRef, namespace: namespace) {
            case .failure(let error):
                if !visitor(nil, nil, error.message) { return }
            case .success(let rules):
                let source = RuleSource(bindingKind: "RoleBinding", bindingName: binding.metadata.name,
                                        bindingNamespace: namespace, roleRef: binding.roleRef, subject: subject)
                for rule in rules where !visitor(source, rule, nil) { return }
            }
        }
    }

    /// Every rule that applies to `user` in `namespace`, and the resolution errors met (upstream `RulesFor`).
    public func rules(for user: UserInfo, namespace: String) -> (rules: [PolicyRule], errors: [String]) {
        var rules: [PolicyRule] = []
        var errors: [String] = []
        visitRules(for: user, namespace: namespace) { _, rule, error in
            if let rule { rules.append(rule) }
            if let error { errors.append(error) }
            return true
        }
        return (rules, errors)
    }

    /// A role lookup failure, worded as upstream's listers and resolver.
    public struct ResolutionError: Error, Sendable, Equatable {
        public var message: String
        /// True for a missing role (upstream returns a NotFound status for it).
        public var isNotFound: Bool
    }

    /// The rules of the role a binding in `namespace` ("" for a ClusterRoleBinding) refers to.
    public func roleReferenceRules(_ roleRef: RoleRef, namespace: String) -> Result<[PolicyRule], ResolutionError> {
        switch roleRef.kind {
        case "Role":
            guard let role = roles[namespace]?[roleRef.name] else {
                return .failure(ResolutionError(
                    message: "role.rbac.authorization.k8s.io \(GoQuoting.quote(roleRef.name)) not found",
                    isNotFound: true))
            }
            return .success(role.rules)
        case "ClusterRole":
            guard let role = clusterRoles[roleRef.name] else {
                return .failure(ResolutionError(
                    message: "clusterrole.rbac.authorization.k8s.io \(GoQuoting.quote(roleRef.name)) not found",
                    isNotFound: true))
            }
            return .success(role.rules)
        default:
            return .failure(ResolutionError(
                message: "unsupported role reference kind: \(GoQuoting.quote(roleRef.kind))", isNotFound: false))
        }
    }

    static func firstApplyingSubject(_ subjects: [Subject], to user: UserInfo, namespace: String) -> Subject? {
        subjects.first { applies($0, to: user, namespace: namespace) }
    }

    /// Upstream `appliesToUser`: User by exact name, Group by membership, ServiceAccount by the user name
    /// `system:serviceaccount:<namespace>:<name>` (the namespace defaults to the binding's).
    static func applies(_ subject: Subject, to user: UserInfo, namespace: String) -> Bool {
        switch subject.kind {
        case "User":
            return user.name == subject.name
        case "Group":
            return user.groups.contains(subject.name)
        case "ServiceAccount":
            let serviceAccountNamespace = subject.namespace.isEmpty ? namespace : subject.namespace
            guard !serviceAccountNamespace.isEmpty else { return false }
            return user.name == ServiceAccountNames.userName(namespace: serviceAccountNamespace, name: subject.name)
        default:
            return false
        }
    }
}
