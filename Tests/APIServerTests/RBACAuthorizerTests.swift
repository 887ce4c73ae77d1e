@testable import APIServer
import KubeAPI
import KubeCore
import Testing

/// The RBAC authorizer as a pure function of a fixed policy and request attributes; each case's expected
/// decision (and reason) is what upstream's `RBACAuthorizer.Authorize` answers for the same policy.
struct RBACAuthorizerTests {
    static func rule(_ verbs: [String], _ groups: [String], _ resources: [String], names: [String] = []) -> PolicyRule {
        PolicyRule(verbs: verbs, apiGroups: groups, resources: resources, resourceNames: names)
    }

    static func meta(_ name: String, namespace: String = "") -> ObjectMeta {
        var meta = ObjectMeta()
        meta.name = name
        meta.namespace = namespace
        return meta
    }

    static func subject(_ kind: String, _ name: String, namespace: String = "") -> Subject {
        Subject(kind: kind, apiGroup: kind == "ServiceAccount" ? "" : "rbac.authorization.k8s.io", name: name,
                namespace: namespace)
    }

    static func ref(_ kind: String, _ name: String) -> RoleRef {
        RoleRef(apiGroup: "rbac.authorization.k8s.io", kind: kind, name: name)
    }

    static let policy = RBACPolicySnapshot(
        roles: [
            Role(metadata: meta("pod-reader", namespace: "dev"), rules: [rule(["get", "list", "watch"], [""], ["pods"])]),
            Role(metadata: meta("log-reader", namespace: "dev"), rules: [rule(["get"], [""], ["pods/log"])]),
        ],
        clusterRoles: [
            ClusterRole(metadata: meta("pod-reader-cluster"), rules: [rule(["get", "list", "watch"], [""], ["pods"])]),
            ClusterRole(metadata: meta("node-reader"), rules: [
                rule(["get", "list", "watch"], [""], ["nodes"]),
                PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz"]),
            ]),
            ClusterRole(metadata: meta("everything"), rules: [
                rule(["*"], ["*"], ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
            ]),
            ClusterRole(metadata: meta("status-writer"), rules: [rule(["get", "update"], ["*"], ["*/status"])]),
            ClusterRole(metadata: meta("log-urls"), rules: [PolicyRule(verbs: ["get"], nonResourceURLs: ["/logs/*"])]),
            ClusterRole(metadata: meta("app-config"), rules: [
                rule(["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"], [""],
                     ["configmaps"], names: ["app-config"]),
            ]),
            ClusterRole(metadata: meta("deploy-scaler"), rules: [rule(["get", "patch"], ["apps"], ["deployments/scale"])]),
        ],
        roleBindings: [
            RoleBinding(metadata: meta("read-pods", namespace: "dev"), subjects: [subject("User", "alice")],
                        roleRef: ref("Role", "pod-reader")),
            RoleBinding(metadata: meta("logs", namespace: "dev"), subjects: [subject("Group", "log-readers")],
                        roleRef: ref("Role", "log-reader")),
            RoleBinding(metadata: meta("bob-pods", namespace: "dev"), subjects: [subject("User", "bob")],
                        roleRef: ref("ClusterRole", "pod-reader-cluster")),
            RoleBinding(metadata: meta("test-accounts", namespace: "test"),
                        subjects: [subject("Group", "system:serviceaccounts:test")],
                        roleRef: ref("ClusterRole", "pod-reader-cluster")),
            RoleBinding(metadata: meta("builder-config", namespace: "dev"),
                        subjects: [subject("ServiceAccount", "builder")], roleRef: ref("ClusterRole", "app-config")),
            RoleBinding(metadata: meta("robot-scale", namespace: "dev"),
                        subjects: [subject("ServiceAccount", "robot", namespace: "ci")],
                        roleRef: ref("ClusterRole", "deploy-scaler")),
            RoleBinding(metadata: meta("dangling", namespace: "dev"), subjects: [subject("User", "ghost")],
                        roleRef: ref("Role", "missing")),
            RoleBinding(metadata: meta("wrong-namespace", namespace: "prod"), subjects: [subject("User", "carol")],
                        roleRef: ref("Role", "pod-reader")),
        ],
        clusterRoleBindings: [
            ClusterRoleBinding(metadata: meta("node-readers"), subjects: [subject("Group", "node-watchers")],
                               roleRef: ref("ClusterRole", "node-reader")),
            ClusterRoleBinding(metadata: meta("admins"), subjects: [subject("User", "root"), subject("Group", "admins")],
                               roleRef: ref("ClusterRole", "everything")),
            ClusterRoleBinding(metadata: meta("status"), subjects: [subject("User", "status-bot")],
                               roleRef: ref("ClusterRole", "status-writer")),
            ClusterRoleBinding(metadata: meta("logs-url"), subjects: [subject("User", "logger")],
                               roleRef: ref("ClusterRole", "log-urls")),
            ClusterRoleBinding(metadata: meta("dangling-cluster"), subjects: [subject("User", "ghost")],
                               roleRef: ref("ClusterRole", "gone")),
            ClusterRoleBinding(metadata: meta("sa-without-namespace"), subjects: [subject("ServiceAccount", "lost")],
                               roleRef: ref("ClusterRole", "everything")),
            ClusterRoleBinding(metadata: meta("cluster-robot"), subjects: [subject("ServiceAccount", "robot", namespace: "ci")],
                               roleRef: ref("ClusterRole", "node-reader")),
        ])

    /// One request and upstream's answer: allowed with this reason, or no opinion with this reason.
    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        var attributes: AuthorizationAttributes
        var allowed: Bool
        var reason: String
        var testDescription: String { label }
    }

    static func user(_ name: String, _ groups: [String] = []) -> APIServer.UserInfo {
        APIServer.UserInfo(name: name, groups: groups + ["system:authenticated"])
    }

    static func resource(_ label: String, _ user: APIServer.UserInfo, _ verb: String, _ group: String, _ resource: String,
                         sub: String = "", ns: String = "", name: String = "", allowed: Bool, reason: String = "") -> Case {
        Case(label: label, attributes: AuthorizationAttributes(
            user: user, verb: verb, isResourceRequest: true, apiGroup: group, apiVersion: "v1", resource: resource,
            subresource: sub, namespace: ns, name: name), allowed: allowed, reason: reason)
    }

    static func path(_ label: String, _ user: APIServer.UserInfo, _ verb: String, _ path: String, allowed: Bool,
                     reason: String = "") -> Case {
        Case(label: label, attributes: AuthorizationAttributes(user: user, verb: verb, isResourceRequest: false, path: path),
             allowed: allowed, reason: reason)
    }

    static let alice = user("alice")
    static let aliceRead = #"RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to User "alice""#
    static let ghostErrors = #"RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "missing" not found]"#

    static let cases: [Case] = {
        var cases: [Case] = []
        // Every verb for a User subject of a RoleBinding to a Role, in and out of its namespace.
        for verb in ["get", "list", "watch"] {
            cases.append(resource("alice \(verb) pods in dev", alice, verb, "", "pods", ns: "dev", name: verb == "get" ? "x" : "",
                                  allowed: true, reason: aliceRead))
        }
        for verb in ["create", "update", "patch", "delete", "deletecollection", "escalate", "bind", "impersonate"] {
            cases.append(resource("alice \(verb) pods in dev", alice, verb, "", "pods", ns: "dev", name: "x", allowed: false))
        }
        cases += [
            resource("alice list pods in other namespace", alice, "list", "", "pods", ns: "other", allowed: false),
            resource("alice list pods cluster-wide", alice, "list", "", "pods", allowed: false),
            resource("alice get pods in the apps group", alice, "get", "apps", "pods", ns: "dev", name: "x", allowed: false),
            resource("alice get pods/log subresource", alice, "get", "", "pods", sub: "log", ns: "dev", name: "x", allowed: false),
            resource("alice get deployments", alice, "get", "apps", "deployments", ns: "dev", name: "x", allowed: false),
            resource("bob: RoleBinding to a ClusterRole grants in its namespace", user("bob"), "list", "", "pods", ns: "dev",
                     allowed: true, reason: #"RBAC: allowed by RoleBinding "bob-pods/dev" of ClusterRole "pod-reader-cluster" to User "bob""#),
            resource("bob: ...and nowhere else", user("bob"), "list", "", "pods", ns: "prod", allowed: false),
            resource("bob: ...nor cluster-wide", user("bob"), "list", "", "pods", allowed: false),
            resource("carol: a RoleBinding to a Role of another namespace grants nothing", user("carol"), "get", "", "pods",
                     ns: "prod", name: "x", allowed: false, reason: #"RBAC: role.rbac.authorization.k8s.io "pod-reader" not found"#),
            resource("user names are exact", user("Alice"), "get", "", "pods", ns: "dev", name: "x", allowed: false),
            // Group subjects.
            resource("group member gets pods/log", user("dan", ["log-readers"]), "get", "", "pods", sub: "log", ns: "dev",
                     name: "x", allowed: true, reason: #"RBAC: allowed by RoleBinding "logs/dev" of Role "log-reader" to Group "log-readers""#),
            resource("group member cannot get pods", user("dan", ["log-readers"]), "get", "", "pods", ns: "dev", name: "x", allowed: false),
            resource("non-member", user("erin"), "get", "", "pods", sub: "log", ns: "dev", name: "x", allowed: false),
            resource("ClusterRoleBinding to a group: nodes everywhere", user("frank", ["node-watchers"]), "list", "", "nodes",
                     allowed: true, reason: #"RBAC: allowed by ClusterRoleBinding "node-readers" of ClusterRole "node-reader" to Group "node-watchers""#),
            resource("ClusterRoleBinding grants namespaced resources in every namespace", user("root"), "delete", "apps",
                     "deployments", ns: "any", name: "web", allowed: true,
                     reason: #"RBAC: allowed by ClusterRoleBinding "admins" of ClusterRole "everything" to User "root""#),
            resource("node watcher cannot delete nodes", user("frank", ["node-watchers"]), "delete", "", "nodes", name: "n1", allowed: false),
            // Service account subjects.
            resource("service account in the binding's namespace", user("system:serviceaccount:dev:builder"), "get", "",
                     "configmaps", ns: "dev", name: "app-config", allowed: true,
                     reason: #"RBAC: allowed by RoleBinding "builder-config/dev" of ClusterRole "app-config" to ServiceAccount "builder/dev""#),
            resource("same name in another namespace", user("system:serviceaccount:prod:builder"), "get", "", "configmaps",
                     ns: "dev", name: "app-config", allowed: false),
            resource("service account of another namespace named in the subject", user("system:serviceaccount:ci:robot"), "patch",
                     "apps", "deployments", sub: "scale", ns: "dev", name: "web", allowed: true,
                     reason: #"RBAC: allowed by RoleBinding "robot-scale/dev" of ClusterRole "deploy-scaler" to ServiceAccount "robot/ci""#),
            resource("subresource rule does not grant the resource", user("system:serviceaccount:ci:robot"), "patch", "apps",
                     "deployments", ns: "dev", name: "web", allowed: false),
            resource("ClusterRoleBinding to a service account", user("system:serviceaccount:ci:robot"), "watch", "", "nodes",
                     allowed: true, reason: #"RBAC: allowed by ClusterRoleBinding "cluster-robot" of ClusterRole "node-reader" to ServiceAccount "robot/ci""#),
            resource("a service account subject without namespace in a ClusterRoleBinding matches nobody",
                     user("system:serviceaccount:default:lost"), "get", "", "pods", ns: "default", name: "x", allowed: false),
            resource("service-account groups via a RoleBinding", user("system:serviceaccount:test:default",
                     ["system:serviceaccounts", "system:serviceaccounts:test"]), "list", "", "pods", ns: "test", allowed: true,
                     reason: #"RBAC: allowed by RoleBinding "test-accounts/test" of ClusterRole "pod-reader-cluster" to Group "system:serviceaccounts:test""#),
            resource("service-account groups of another namespace", user("system:serviceaccount:prod:default",
                     ["system:serviceaccounts", "system:serviceaccounts:prod"]), "list", "", "pods", ns: "test", allowed: false),
            // Wildcards and */subresource.
            resource("*/status matches any resource's status", user("status-bot"), "update", "apps", "deployments", sub: "status",
                     ns: "x", name: "web", allowed: true,
                     reason: #"RBAC: allowed by ClusterRoleBinding "status" of ClusterRole "status-writer" to User "status-bot""#),
            resource("*/status does not match the resource", user("status-bot"), "update", "apps", "deployments", ns: "x",
                     name: "web", allowed: false),
            resource("*/status does not match another subresource", user("status-bot"), "update", "apps", "deployments",
                     sub: "scale", ns: "x", name: "web", allowed: false),
            resource("*/status does not match statuses", user("status-bot"), "update", "", "pods", sub: "statuses", ns: "x",
                     name: "p", allowed: false),
            resource("verb outside the rule", user("status-bot"), "patch", "", "pods", sub: "status", ns: "x", name: "p", allowed: false),
            resource("* resources include subresources", user("root"), "create", "", "pods", sub: "eviction", ns: "x",
                     name: "p", allowed: true, reason: #"RBAC: allowed by ClusterRoleBinding "admins" of ClusterRole "everything" to User "root""#),
            resource("* verbs include custom verbs", user("x", ["admins"]), "impersonate", "", "users", name: "bob", allowed: true,
                     reason: #"RBAC: allowed by ClusterRoleBinding "admins" of ClusterRole "everything" to Group "admins""#),
            // resourceNames.
            resource("resourceNames: get the named object", user("system:serviceaccount:dev:builder"), "get", "", "configmaps",
                     ns: "dev", name: "app-config", allowed: true,
                     reason: #"RBAC: allowed by RoleBinding "builder-config/dev" of ClusterRole "app-config" to ServiceAccount "builder/dev""#),
            resource("resourceNames: another name", user("system:serviceaccount:dev:builder"), "get", "", "configmaps",
                     ns: "dev", name: "other", allowed: false),
        ]
        for verb in ["list", "watch", "create", "deletecollection"] {
            cases.append(resource("resourceNames never match \(verb) without a name", user("system:serviceaccount:dev:builder"),
                                  verb, "", "configmaps", ns: "dev", allowed: false))
        }
        cases += [
            resource("resourceNames match a list of one name (fieldSelector)", user("system:serviceaccount:dev:builder"), "watch",
                     "", "configmaps", ns: "dev", name: "app-config", allowed: true,
                     reason: #"RBAC: allowed by RoleBinding "builder-config/dev" of ClusterRole "app-config" to ServiceAccount "builder/dev""#),
            // Non-resource URLs.
            path("exact URL", user("frank", ["node-watchers"]), "get", "/healthz", allowed: true,
                 reason: #"RBAC: allowed by ClusterRoleBinding "node-readers" of ClusterRole "node-reader" to Group "node-watchers""#),
            path("exact URL, other verb", user("frank", ["node-watchers"]), "post", "/healthz", allowed: false),
            path("exact URL does not match a longer path", user("frank", ["node-watchers"]), "get", "/healthz/etcd", allowed: false),
            path("prefix URL", user("logger"), "get", "/logs/kube-apiserver.log", allowed: true,
                 reason: #"RBAC: allowed by ClusterRoleBinding "logs-url" of ClusterRole "log-urls" to User "logger""#),
            path("prefix URL matches the bare prefix", user("logger"), "get", "/logs/", allowed: true,
                 reason: #"RBAC: allowed by ClusterRoleBinding "logs-url" of ClusterRole "log-urls" to User "logger""#),
            path("prefix URL does not match without its slash", user("logger"), "get", "/logs", allowed: false),
            path("* URL matches everything", user("root"), "delete", "/anything/at/all", allowed: true,
                 reason: #"RBAC: allowed by ClusterRoleBinding "admins" of ClusterRole "everything" to User "root""#),
            path("resource rules never match paths", user("alice"), "get", "/api/v1/namespaces/dev/pods", allowed: false),
            // Bindings to missing roles grant nothing and explain why.
            resource("dangling bindings, namespaced", user("ghost"), "get", "", "pods", ns: "dev", name: "x", allowed: false,
                     reason: ghostErrors),
            resource("dangling bindings, cluster scope", user("ghost"), "get", "", "nodes", name: "n", allowed: false,
                     reason: #"RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found"#),
            path("dangling bindings, path", user("ghost"), "get", "/healthz", allowed: false,
                 reason: #"RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found"#),
            resource("anonymous", APIServer.UserInfo.anonymous, "list", "", "pods", ns: "dev", allowed: false),
        ]
        return cases
    }()

    @Test(arguments: cases)
    func decision(_ testCase: Case) {
        let decision = RBACAuthorizer(policy: Self.policy).decide(testCase.attributes)
        if testCase.allowed {
            #expect(decision == .allow(reason: testCase.reason))
        } else {
            #expect(decision == .noOpinion(reason: testCase.reason))
        }
    }

    @Test func rulesForAliceInDevAreHerRoleRules() {
        let (rules, errors) = Self.policy.rules(for: Self.alice, namespace: "dev")
        #expect(rules == [Self.rule(["get", "list", "watch"], [""], ["pods"])])
        #expect(errors.isEmpty)
        let ghost = Self.policy.rules(for: Self.user("ghost"), namespace: "dev")
        #expect(ghost.rules.isEmpty)
        #expect(ghost.errors == [#"clusterrole.rbac.authorization.k8s.io "gone" not found"#,
                                 #"role.rbac.authorization.k8s.io "missing" not found"#])
    }

    @Test func aggregatedErrorsAreDistinct() {
        #expect(ResolvedRules.aggregate(["a"]) == "a")
        #expect(ResolvedRules.aggregate(["a", "b", "a"]) == "[a, b]")
    }
}
