import Foundation
import KubeAPI
import KubeCore

/// RBAC privilege-escalation prevention (upstream `pkg/registry/rbac/{role,clusterrole,rolebinding,
/// clusterrolebinding}/policybased` and `escalation_check.go`), applied to every create, update, patch and
/// apply of an RBAC object before validation:
/// - `system:masters` may write anything;
/// - a Role or ClusterRole may be written by whoever has `escalate` on it, else only with rules the writer
///   already holds in that namespace (a ClusterRole with an `aggregationRule`, before or after, needs
///   cluster-admin's full authority);
/// - a RoleBinding or ClusterRoleBinding may be written by whoever has `bind` on the referenced role, else
///   only when the writer holds every rule of that role;
/// - an update touching only ownerReferences, finalizers or managedFields is always allowed.
/// A refusal is a 403 naming the rules not held.
extension APIHandler {
    func checkRBACEscalation(_ object: JSONValue, old: JSONValue?, context: RequestContext) async throws {
        let resource = context.resource
        guard resource.group == Self.rbacGroup else { return }
        let user = context.request.user
        if user.groups.contains(UserInfo.mastersGroup) { return }
        if let old, Self.onlyMutatesGCFields(object, old: old) { return }
        let namespace = context.namespace ?? ""
        let groupResource = GroupResource(group: Self.rbacGroup, resource: resource.plural)
        switch resource.plural {
        case "roles", "clusterroles":
            let escalate = AuthorizationAttributes(
                user: user, verb: "escalate", isResourceRequest: true, apiGroup: Self.rbacGroup, apiVersion: "*",
                resource: resource.plural, namespace: namespace, name: context.name ?? "")
            if case .allow = await security.authorizer.authorize(escalate) { return }
            let rules = try Self.decode([PolicyRule].self, object["rules"], orElse: [])
            try await confirmNoEscalation(rules, user: user, namespace: namespace, resource: groupResource,
                                          name: object.name)
            // Changing an aggregation rule (which can gather anything) needs cluster-admin's authority.
            let aggregates = { (value: JSONValue?) in value?["aggregationRule"].map { $0 != .null } ?? false }
            if resource.plural == "clusterroles", aggregates(object) || aggregates(old) {
                let owner = try await heldRules(user, namespace: namespace)
                if !PolicyRuleCoverage.uncovered(owner: owner.rules, servant: Self.fullAuthority).isEmpty {
                    throw APIError.forbidden(groupResource, name: object.name,
                                             reason: "must have cluster-admin privileges to use the aggregationRule")
                }
            }
        case "rolebindings", "clusterrolebindings":
            let roleRef = try Self.decode(RoleRef.self, object["roleRef"], orElse: RoleRef())
            if await bindingAuthorized(roleRef, namespace: namespace, user: user) { return }
            let snapshot = try await RBACPolicyIndex.load(from: objects.store)
            let rules: [PolicyRule]
            switch snapshot.roleReferenceRules(roleRef, namespace: namespace) {
            case .success(let found):
                rules = found
            case .failure(let error) where error.isNotFound:
                let plural = roleRef.kind == "Role" ? "roles" : "clusterroles"
                throw APIError.notFound(GroupResource(group: Self.rbacGroup, resource: plural), name: roleRef.name)
            case .failure(let error):
                throw APIError.internalError(error.message)
            }
            try await confirmNoEscalation(rules, user: user, namespace: namespace, resource: groupResource,
                                          name: object.name)
        default:
            return
        }
    }

    /// `*` on every resource and every path.
    static let fullAuthority = [
        PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
        PolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
    ]

    /// Upstream `BindingAuthorized`: the verb `bind` on the referenced role, in the binding's namespace.
    private func bindingAuthorized(_ roleRef: RoleRef, namespace: String, user: UserInfo) async -> Bool {
        let resource: String
        switch roleRef.kind {
        case "ClusterRole": resource = "clusterroles"
        case "Role": resource = "roles"
        default: return false
        }
        let attributes = AuthorizationAttributes(
            user: user, verb: "bind", isResourceRequest: true, apiGroup: roleRef.apiGroup, resource: resource,
            namespace: namespace, name: roleRef.name)
        if case .allow = await security.authorizer.authorize(attributes) { return true }
        return false
    }

    /// The rules `user` holds in `namespace`, read from the store now (as upstream's registry-backed resolver).
    private func heldRules(_ user: UserInfo, namespace: String) async throws -> ResolvedRules {
        guard security.rbacPolicy != nil else { return await security.ruleResolver.rules(for: user, namespace: namespace) }
        let (rules, errors) = try await RBACPolicyIndex.load(from: objects.store).rules(for: user, namespace: namespace)
        return ResolvedRules(rules: rules, errors: errors)
    }

    /// Upstream `ConfirmNoEscalation`: a 403 listing (compacted, sorted) the rules `user` does not hold.
    private func confirmNoEscalation(_ rules: [PolicyRule], user: UserInfo, namespace: String,
                                     resource: GroupResource, name: String) async throws {
        let owner = try await heldRules(user, namespace: namespace)
        let missing = PolicyRuleCoverage.uncovered(owner: owner.rules, servant: rules)
        guard !missing.isEmpty else { return }
        let descriptions = Set(PolicyRuleCoverage.compact(missing).map(PolicyRuleCoverage.compactString))
            .sorted()
        var message = "user \(GoQuoting.quote(user.name)) (groups=\(PolicyRuleCoverage.goQuotedList(user.groups))) "
            + "is attempting to grant RBAC permissions not currently held:\n" + descriptions.joined(separator: "\n")
        if !owner.errors.isEmpty {
            message += "; resolution errors: [" + owner.errors.joined(separator: " ") + "]"
        }
        throw APIError.forbidden(resource, name: name, reason: message)
    }

    /// Upstream `IsOnlyMutatingGCFields`: equal to `old` once ownerReferences, finalizers and managedFields
    /// (and the server-kept resourceVersion and generation) are taken from `old`.
    static func onlyMutatesGCFields(_ object: JSONValue, old: JSONValue) -> Bool {
        var copy = object
        for field in ["ownerReferences", "finalizers", "managedFields", "resourceVersion", "generation"] {
            copy.set(["metadata", field], old["metadata"]?[field])
        }
        return copy == old
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue?, orElse empty: T) throws -> T {
        guard let value, value != .null else { return empty }
        do {
            return try KubeJSON.decode(T.self, from: Data(value.jsonBytes))
        } catch {
            throw APIError.badRequest("cannot decode \(T.self): \(error)")
        }
    }
}
