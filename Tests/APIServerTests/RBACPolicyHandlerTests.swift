@testable import APIServer
import KubeAPI
import KubeCore
import Testing

/// RBAC inside the API handler: the bootstrap policy and its upkeep, ClusterRole aggregation, escalation
/// prevention on writes of roles and bindings, SelfSubjectRulesReview and impersonation; each against
/// upstream's behaviour and wording.
struct RBACPolicyHandlerTests {
    static let rbac = "/apis/rbac.authorization.k8s.io/v1"

    static func role(_ name: String, _ rules: String) -> String {
        #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"\#(name)"},"rules":\#(rules)}"#
    }

    static func binding(_ name: String, kind: String, role: String, user: String) -> String {
        #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"\#(name)"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"\#(kind)","name":"\#(role)"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"\#(user)"}]}"#
    }

    /// Namespace `dev`; alice may manage roles and bindings and read pods there.
    static func setUpAlice(_ api: RBACInProcessAPI) async throws {
        try await api.admin("POST", "/api/v1/namespaces", json: #"{"metadata":{"name":"dev"}}"#)
        try await api.admin("POST", rbac + "/namespaces/dev/roles", json: role("rbac-manager", #"""
            [{"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles","rolebindings"],"verbs":["get","list","create","update","patch","delete"]},
             {"apiGroups":[""],"resources":["pods"],"verbs":["get","list","watch"]}]
            """#))
        try await api.admin("POST", rbac + "/namespaces/dev/rolebindings",
                            json: binding("alice-manager", kind: "Role", role: "rbac-manager", user: "alice"))
        try await api.waitForPolicy { $0.roleBindings["dev"]?.count == 1 }
    }

    @Test func bootstrapPolicyIsCreatedLabelledAndAggregated() async throws {
        try await withRBACAPI { api in
            let admin = try await api.admin("GET", Self.rbac + "/clusterroles/cluster-admin")
            #expect(admin["metadata"]?["labels"]?["kubernetes.io/bootstrapping"] == "rbac-defaults")
            #expect(admin["metadata"]?["annotations"]?["rbac.authorization.kubernetes.io/autoupdate"] == "true")
            #expect(admin["rules"] == [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]],
                                       ["verbs": ["*"], "nonResourceURLs": ["*"]]])
            let binding = try await api.admin("GET", Self.rbac + "/clusterrolebindings/system:public-info-viewer")
            #expect(binding["subjects"] == [
                ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:authenticated"],
                ["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:unauthenticated"],
            ])
            // admin ⊇ edit ⊇ view, each collected by the aggregation controller.
            let podRead = AuthorizationAttributes(user: APIServer.UserInfo(name: "u"), verb: "get", isResourceRequest: true, resource: "pods", namespace: "n", name: "p")
            let podDelete = AuthorizationAttributes(user: APIServer.UserInfo(name: "u"), verb: "delete", isResourceRequest: true, resource: "pods", namespace: "n", name: "p")
            let bindingCreate = AuthorizationAttributes(user: APIServer.UserInfo(name: "u"), verb: "create", isResourceRequest: true, apiGroup: "rbac.authorization.k8s.io", resource: "rolebindings", namespace: "n")
            try await api.waitForPolicy { snapshot in
                let rules = { (name: String) in snapshot.clusterRoles[name]?.rules ?? [] }
                return rules("view").contains { $0.allows(podRead) } && !rules("view").contains { $0.allows(podDelete) }
                    && rules("edit").contains { $0.allows(podRead) } && rules("edit").contains { $0.allows(podDelete) }
                    && !rules("edit").contains { $0.allows(bindingCreate) }
                    && rules("admin").contains { $0.allows(podRead) } && rules("admin").contains { $0.allows(podDelete) }
                    && rules("admin").contains { $0.allows(bindingCreate) }
            }
            let view = try await api.admin("GET", Self.rbac + "/clusterroles/view")
            #expect(view["aggregationRule"]?["clusterRoleSelectors"] == [["matchLabels": ["rbac.authorization.k8s.io/aggregate-to-view": "true"]]])
        }
    }

    @Test func aggregationFollowsLabelledClusterRoles() async throws {
        try await withRBACAPI { api in
            try await api.admin("POST", Self.rbac + "/clusterroles", json: #"""
                {"metadata":{"name":"crontabs-view","labels":{"rbac.authorization.k8s.io/aggregate-to-view":"true"}},
                 "rules":[{"apiGroups":["stable.example.com"],"resources":["crontabs"],"verbs":["get"]}]}
                """#)
            let crontabs = PolicyRule(verbs: ["get"], apiGroups: ["stable.example.com"], resources: ["crontabs"])
            try await api.waitForPolicy { snapshot in
                ["view", "edit", "admin"].allSatisfy { snapshot.clusterRoles[$0]?.rules.contains(crontabs) == true }
            }
            try await api.admin("DELETE", Self.rbac + "/clusterroles/crontabs-view")
            try await api.waitForPolicy { snapshot in
                ["view", "edit", "admin"].allSatisfy { snapshot.clusterRoles[$0]?.rules.contains(crontabs) == false }
            }
        }
    }

    @Test func deletedBootstrapObjectsComeBack() async throws {
        try await withRBACAPI { api in
            let before = try await api.admin("GET", Self.rbac + "/clusterroles/cluster-admin")
            let beforeBinding = try await api.admin("GET", Self.rbac + "/clusterrolebindings/cluster-admin")
            try await api.admin("DELETE", Self.rbac + "/clusterroles/cluster-admin")
            try await api.admin("DELETE", Self.rbac + "/clusterrolebindings/cluster-admin")
            let roleUID = before["metadata"]?["uid"]?.stringValue ?? ""
            let bindingUID = beforeBinding["metadata"]?["uid"]?.stringValue ?? ""
            try await api.waitForPolicy { snapshot in
                let role = snapshot.clusterRoles["cluster-admin"]
                let binding = snapshot.clusterRoleBindings.first { $0.metadata.name == "cluster-admin" }
                return role != nil && role?.metadata.uid != roleUID && binding != nil && binding?.metadata.uid != bindingUID
            }
            let after = try await api.admin("GET", Self.rbac + "/clusterroles/cluster-admin")
            #expect(after["rules"] == before["rules"])
            #expect(after["metadata"]?["uid"] != before["metadata"]?["uid"])
            let binding = try await api.admin("GET", Self.rbac + "/clusterrolebindings/cluster-admin")
            #expect(binding["subjects"] == [["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"]])
        }
    }

    @Test func reconcileAddsMissingRulesAndRespectsAutoupdateFalse() {
        var existing = BootstrapPolicy.clusterRoles.first { $0.metadata.name == "system:basic-user" }!
        let expected = existing
        existing.rules = [existing.rules[0]]
        existing.metadata.labels = ["team": "a"]
        let reconciled = BootstrapPolicyReconciler.reconciled(existing, expected: expected)
        #expect(reconciled?.rules == expected.rules)
        #expect(reconciled?.metadata.labels == ["team": "a", "kubernetes.io/bootstrapping": "rbac-defaults"])
        existing.metadata.annotations = ["rbac.authorization.kubernetes.io/autoupdate": "false"]
        #expect(BootstrapPolicyReconciler.reconciled(existing, expected: expected) == nil)
        #expect(BootstrapPolicyReconciler.reconciled(expected, expected: expected) == nil)
    }

    @Test func rolesWithRulesNotHeldAreRefused() async throws {
        try await withRBACAPI { api in
            try await Self.setUpAlice(api)
            let path = Self.rbac + "/namespaces/dev/roles"
            let held = await api.send("POST", path, as: "alice", json: Self.role("reader", #"[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]"#))
            #expect(held.status == 201, "\(held.text)")
            let refused = await api.send("POST", path, as: "alice", json: Self.role("deleter", #"[{"apiGroups":[""],"resources":["pods"],"verbs":["delete","create"]},{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}]"#))
            #expect(refused.status == 403)
            #expect(refused.body["reason"] == "Forbidden")
            #expect(refused.body["message"]?.stringValue == """
                roles.rbac.authorization.k8s.io "deleter" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:
                {APIGroups:[""], Resources:["pods"], Verbs:["delete" "create"]}
                {APIGroups:[""], Resources:["secrets"], Verbs:["get"]}
                """)
            #expect(refused.body["details"] == ["name": "deleter", "group": "rbac.authorization.k8s.io", "kind": "roles"])
            // Updates and patches are checked too.
            let patched = await api.send("PATCH", path + "/reader", as: "alice", json: #"{"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["*"]}]}"#,
                                         headers: ["content-type": "application/merge-patch+json"])
            #expect(patched.status == 403)
            #expect(patched.body["message"]?.stringValue?.hasSuffix(#"attempting to grant RBAC permissions not currently held:"# + "\n" + #"{APIGroups:[""], Resources:["pods"], Verbs:["*"]}"#) == true, "\(patched.text)")
            // Labels alone never need more rights than the rules already in the role.
            let labelled = await api.send("PATCH", path + "/reader", as: "alice", json: #"{"metadata":{"labels":{"a":"b"}}}"#,
                                          headers: ["content-type": "application/merge-patch+json"])
            #expect(labelled.status == 200, "\(labelled.text)")
            // Cluster roles: alice holds nothing cluster-wide but the bootstrap basics.
            let cluster = await api.send("POST", Self.rbac + "/clusterroles", as: "alice", groups: ["cluster-role-writers"],
                                         json: #"{"metadata":{"name":"x"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"#)
            #expect(cluster.status == 403)
            #expect(cluster.body["message"] == #"clusterroles.rbac.authorization.k8s.io is forbidden: User "alice" cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope"#)

            // With `escalate` on roles, anything goes.
            try await api.admin("POST", path, json: Self.role("escalator", #"[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles"],"verbs":["escalate"]}]"#))
            try await api.admin("POST", Self.rbac + "/namespaces/dev/rolebindings", json: Self.binding("alice-escalates", kind: "Role", role: "escalator", user: "alice"))
            try await api.waitForPolicy { $0.roleBindings["dev"]?.count == 2 }
            let escalated = await api.send("POST", path, as: "alice", json: Self.role("deleter", #"[{"apiGroups":[""],"resources":["pods"],"verbs":["delete","create"]}]"#))
            #expect(escalated.status == 201, "\(escalated.text)")
        }
    }

    @Test func aggregationRulesNeedClusterAdminAuthority() async throws {
        try await withRBACAPI { api in
            try await api.admin("POST", Self.rbac + "/clusterroles", json: #"{"metadata":{"name":"role-writer"},"rules":[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"verbs":["create"]},{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"#)
            try await api.admin("POST", Self.rbac + "/clusterrolebindings", json: #"{"metadata":{"name":"carol-writes"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"role-writer"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"carol"}]}"#)
            try await api.waitForPolicy { $0.clusterRoleBindings.contains { $0.metadata.name == "carol-writes" } }
            let plain = await api.send("POST", Self.rbac + "/clusterroles", as: "carol", json: #"{"metadata":{"name":"pod-getter"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"#)
            #expect(plain.status == 201, "\(plain.text)")
            let aggregated = await api.send("POST", Self.rbac + "/clusterroles", as: "carol", json: #"{"metadata":{"name":"collector"},"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"a":"b"}}]}}"#)
            #expect(aggregated.status == 403)
            #expect(aggregated.body["message"] == #"clusterroles.rbac.authorization.k8s.io "collector" is forbidden: must have cluster-admin privileges to use the aggregationRule"#)
        }
    }

    @Test func bindingsToRolesNotHeldNeedBind() async throws {
        try await withRBACAPI { api in
            try await Self.setUpAlice(api)
            let path = Self.rbac + "/namespaces/dev/rolebindings"
            try await api.admin("POST", Self.rbac + "/namespaces/dev/roles", json: Self.role("pod-reader", #"[{"apiGroups":[""],"resources":["pods"],"verbs":["get","watch"]}]"#))
            try await api.waitForPolicy { $0.roles["dev"]?["pod-reader"] != nil }
            let held = await api.send("POST", path, as: "alice", json: Self.binding("bob-reads", kind: "Role", role: "pod-reader", user: "bob"))
            #expect(held.status == 201, "\(held.text)")
            let view = await api.send("POST", path, as: "alice", json: Self.binding("bob-views", kind: "ClusterRole", role: "view", user: "bob"))
            #expect(view.status == 403)
            #expect(view.body["message"]?.stringValue?.hasPrefix(#"rolebindings.rbac.authorization.k8s.io "bob-views" is forbidden: user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:"# + "\n") == true, "\(view.text)")
            let missing = await api.send("POST", path, as: "alice", json: Self.binding("bob-nothing", kind: "ClusterRole", role: "nope", user: "bob"))
            #expect(missing.status == 404)
            #expect(missing.body["message"] == #"clusterroles.rbac.authorization.k8s.io "nope" not found"#)

            // `bind` on the view ClusterRole (by name) lets alice bind view but not edit.
            try await api.admin("POST", Self.rbac + "/namespaces/dev/roles", json: Self.role("view-binder", #"[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"verbs":["bind"],"resourceNames":["view"]}]"#))
            try await api.admin("POST", path, json: Self.binding("alice-binds-view", kind: "Role", role: "view-binder", user: "alice"))
            try await api.waitForPolicy { $0.roleBindings["dev"]?.count == 3 }
            let bound = await api.send("POST", path, as: "alice", json: Self.binding("bob-views", kind: "ClusterRole", role: "view", user: "bob"))
            #expect(bound.status == 201, "\(bound.text)")
            let edit = await api.send("POST", path, as: "alice", json: Self.binding("bob-edits", kind: "ClusterRole", role: "edit", user: "bob"))
            #expect(edit.status == 403)
        }
    }

    @Test func selfSubjectRulesReviewListsTheCallersRules() async throws {
        try await withRBACAPI { api in
            try await Self.setUpAlice(api)
            let path = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"
            let reply = await api.send("POST", path, as: "alice", json: #"{"spec":{"namespace":"dev"}}"#)
            #expect(reply.status == 201, "\(reply.text)")
            #expect(reply.body["kind"] == "SelfSubjectRulesReview")
            #expect(reply.body["status"]?["incomplete"] == false)
            #expect(reply.body["status"]?["resourceRules"] == [
                ["verbs": ["create"], "apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]],
                ["verbs": ["create"], "apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"]],
                ["verbs": ["get", "list", "create", "update", "patch", "delete"], "apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles", "rolebindings"]],
                ["verbs": ["get", "list", "watch"], "apiGroups": [""], "resources": ["pods"]],
            ])
            #expect(reply.body["status"]?["nonResourceRules"] == [
                ["verbs": ["get"], "nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"]],
                ["verbs": ["get"], "nonResourceURLs": ["/healthz", "/livez", "/readyz", "/version", "/version/"]],
            ])
            let other = await api.send("POST", path, as: "alice", json: #"{"spec":{"namespace":"other"}}"#)
            guard case .array(let otherRules)? = other.body["status"]?["resourceRules"] else { Issue.record("\(other.text)"); return }
            #expect(otherRules.count == 2)
            let noNamespace = await api.send("POST", path, as: "alice", json: #"{"spec":{}}"#)
            #expect(noNamespace.status == 400)
            #expect(noNamespace.body["message"] == "no namespace on request")
        }
    }

    @Test func accessReviewsCarryRBACReasons() async throws {
        try await withRBACAPI { api in
            try await Self.setUpAlice(api)
            let reply = await api.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", as: "alice",
                                       json: #"{"spec":{"resourceAttributes":{"namespace":"dev","verb":"list","resource":"pods"}}}"#)
            #expect(reply.body["status"] == ["allowed": true, "reason": #"RBAC: allowed by RoleBinding "alice-manager/dev" of Role "rbac-manager" to User "alice""#])
            let denied = await api.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", as: "alice",
                                        json: #"{"spec":{"resourceAttributes":{"namespace":"dev","verb":"delete","resource":"pods"}}}"#)
            #expect(denied.body["status"] == ["allowed": false])
        }
    }

    @Test func requestsAreAuthorizedWithUpstreamWording() async throws {
        try await withRBACAPI { api in
            try await Self.setUpAlice(api)
            let listed = await api.send("GET", "/api/v1/namespaces/dev/pods", as: "alice")
            #expect(listed.status == 200)
            let delete = await api.send("DELETE", "/api/v1/namespaces/dev/pods/x", as: "alice")
            #expect(delete.status == 403)
            #expect(delete.body["message"] == #"pods "x" is forbidden: User "alice" cannot delete resource "pods" in API group "" in the namespace "dev""#)
            let other = await api.send("GET", "/api/v1/namespaces/other/pods", as: "alice")
            #expect(other.body["message"] == #"pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "other""#)
            for path in ["/healthz", "/livez", "/readyz", "/version"] {
                let reply = await api.send("GET", path, as: nil)
                #expect(reply.status == 200, "\(path): \(reply.text)")
            }
            let anonymous = await api.send("GET", "/api/v1/pods", as: nil)
            #expect(anonymous.status == 403)
            #expect(anonymous.body["message"] == #"pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" at the cluster scope"#)
            let discovery = await api.send("GET", "/api", as: nil)
            #expect(discovery.status == 403)
            #expect(discovery.body["message"] == #"forbidden: User "system:anonymous" cannot get path "/api""#)
            #expect(await api.send("GET", "/apis", as: "alice").status == 200)
        }
    }

    @Test func impersonationNeedsTheImpersonateVerb() async throws {
        try await withRBACAPI { api in
            try await Self.setUpAlice(api)
            let refused = await api.send("GET", "/api/v1/namespaces/dev/pods", as: "alice", headers: ["impersonate-user": "bob"])
            #expect(refused.status == 403)
            #expect(refused.body["message"] == #"users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope"#)
            #expect(refused.body["details"] == ["name": "bob", "kind": "users"])

            // The admin may impersonate anyone; the request then runs as that user.
            let asAlice = await api.send("GET", "/api/v1/namespaces/other/pods", as: "system:admin", groups: ["system:masters"],
                                         headers: ["impersonate-user": "alice"])
            #expect(asAlice.body["message"] == #"pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "other""#)
            let whoami = await api.send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", as: "system:admin",
                                        groups: ["system:masters"], json: "{}",
                                        headers: ["impersonate-user": "system:serviceaccount:test:default", "impersonate-uid": "1234",
                                                  "impersonate-extra-acme.com%2fscopes": "read"],
                                        headerLists: ["impersonate-extra-acme.com%2fscopes": ["read", "write"]])
            #expect(whoami.body["status"]?["userInfo"] == [
                "username": "system:serviceaccount:test:default", "uid": "1234",
                "groups": ["system:serviceaccounts", "system:serviceaccounts:test", "system:authenticated"],
                "extra": ["acme.com/scopes": ["read", "write"]],
            ])
            let groups = await api.send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", as: "system:admin",
                                        groups: ["system:masters"], json: "{}",
                                        headers: ["impersonate-user": "carol"],
                                        headerLists: ["impersonate-group": ["g1", "g2"]])
            #expect(groups.body["status"]?["userInfo"] == ["username": "carol", "groups": ["g1", "g2", "system:authenticated"]])
            let withoutUser = await api.send("GET", "/api/v1/pods", as: "system:admin", groups: ["system:masters"],
                                             headers: ["impersonate-group": "g1"])
            #expect(withoutUser.status == 500)
            #expect(withoutUser.text == "Internal Server Error: \"/api/v1/pods\": requested [{Group  g1    }] without impersonating a user\n")

            // impersonate on users named bob: bob yes, carol no; a service account needs serviceaccounts.
            try await api.admin("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", json: #"{"metadata":{"name":"impersonate-bob"},"rules":[{"apiGroups":[""],"resources":["users"],"verbs":["impersonate"],"resourceNames":["bob"]}]}"#)
            try await api.admin("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", json: #"{"metadata":{"name":"alice-as-bob"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"impersonate-bob"},"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"alice"}]}"#)
            try await api.waitForPolicy { $0.clusterRoleBindings.contains { $0.metadata.name == "alice-as-bob" } }
            let asBob = await api.send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", as: "alice", json: "{}",
                                       headers: ["impersonate-user": "bob"])
            #expect(asBob.body["status"]?["userInfo"] == ["username": "bob", "groups": ["system:authenticated"]])
            let asCarol = await api.send("GET", "/api/v1/namespaces/dev/pods", as: "alice", headers: ["impersonate-user": "carol"])
            #expect(asCarol.status == 403)
            let asAccount = await api.send("GET", "/api/v1/namespaces/dev/pods", as: "alice",
                                           headers: ["impersonate-user": "system:serviceaccount:dev:bob"])
            #expect(asAccount.body["message"] == #"serviceaccounts "bob" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "dev""#)
            let asBobWithGroup = await api.send("GET", "/api/v1/namespaces/dev/pods", as: "alice",
                                                headers: ["impersonate-user": "bob", "impersonate-group": "system:masters"])
            #expect(asBobWithGroup.body["message"] == #"groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope"#)
        }
    }
}
