public import KubeAPI
import KubeCore

/// The default ClusterRoles and ClusterRoleBindings every cluster starts with (upstream
/// `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go`, the subset Swiftlet serves): `cluster-admin`,
/// the aggregated user-facing `admin` / `edit` / `view` and the `system:aggregate-to-*` roles they collect,
/// discovery, basic-user, public-info-viewer, monitoring and service-account issuer discovery. Every object
/// carries the `kubernetes.io/bootstrapping: rbac-defaults` label and the
/// `rbac.authorization.kubernetes.io/autoupdate: "true"` annotation.
///
/// Stateless; Sendable.
public enum BootstrapPolicy {
    public static let bootstrappingLabel = "kubernetes.io/bootstrapping"
    public static let autoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate"
    static let aggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin"
    static let aggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit"
    static let aggregateToView = "rbac.authorization.k8s.io/aggregate-to-view"

    static let read = ["get", "list", "watch"]
    static let write = ["create", "delete", "deletecollection", "patch", "update"]
    static let readWrite = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    private static func rule(_ verbs: [String], _ groups: [String], _ resources: [String]) -> PolicyRule {
        PolicyRule(verbs: verbs, apiGroups: groups, resources: resources)
    }

    private static func urls(_ verbs: [String], _ urls: [String]) -> PolicyRule {
        PolicyRule(verbs: verbs, nonResourceURLs: urls)
    }

    private static func metadata(_ name: String, labels: [String: String] = [:]) -> ObjectMeta {
        var meta = ObjectMeta()
        meta.name = name
        meta.labels = labels.merging([bootstrappingLabel: "rbac-defaults"]) { own, _ in own }
        meta.annotations = [autoUpdateAnnotation: "true"]
        return meta
    }

    private static func aggregated(_ name: String, selecting label: String, labels: [String: String] = [:])
        -> ClusterRole
    {
        ClusterRole(metadata: metadata(name, labels: labels), rules: [],
                    aggregationRule: AggregationRule(clusterRoleSelectors: [LabelSelector(matchLabels: [label: "true"])]))
    }

    public static let clusterRoles: [ClusterRole] = [
        ClusterRole(metadata: metadata("cluster-admin"), rules: [
            rule(["*"], ["*"], ["*"]),
            urls(["*"], ["*"]),
        ]),
        aggregated("admin", selecting: aggregateToAdmin),
        aggregated("edit", selecting: aggregateToEdit, labels: [aggregateToAdmin: "true"]),
        aggregated("view", selecting: aggregateToView, labels: [aggregateToEdit: "true"]),
        ClusterRole(metadata: metadata("system:aggregate-to-admin", labels: [aggregateToAdmin: "true"]), rules: [
            rule(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
            rule(readWrite, ["rbac.authorization.k8s.io"], ["rolebindings", "roles"]),
        ]),
        ClusterRole(metadata: metadata("system:aggregate-to-edit", labels: [aggregateToEdit: "true"]), rules: [
            rule(read, [""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
            rule(["impersonate"], [""], ["serviceaccounts"]),
            rule(write, [""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
            rule(["create"], [""], ["pods/eviction"]),
            rule(write, [""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
                               "replicationcontrollers/scale", "secrets", "serviceaccounts", "services",
                               "services/proxy"]),
            rule(["create"], [""], ["serviceaccounts/token"]),
            rule(write, ["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale",
                                   "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"]),
            rule(write, ["autoscaling"], ["horizontalpodautoscalers"]),
            rule(write, ["batch"], ["cronjobs", "jobs"]),
            rule(write, ["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale",
                                         "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
                                         "replicationcontrollers/scale"]),
            rule(write, ["policy"], ["poddisruptionbudgets"]),
            rule(write, ["networking.k8s.io"], ["ingresses", "networkpolicies"]),
            rule(readWrite, ["coordination.k8s.io"], ["leases"]),
        ]),
        ClusterRole(metadata: metadata("system:aggregate-to-view", labels: [aggregateToView: "true"]), rules: [
            rule(read, [""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status",
                              "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
                              "services", "services/status"]),
            rule(read, [""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                              "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]),
            rule(read, [""], ["namespaces"]),
            rule(read, ["discovery.k8s.io"], ["endpointslices"]),
            rule(read, ["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
                                  "deployments/scale", "deployments/status", "replicasets", "replicasets/scale",
                                  "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"]),
            rule(read, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
            rule(read, ["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
            rule(read, ["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                                        "deployments/status", "ingresses", "ingresses/status", "networkpolicies",
                                        "replicasets", "replicasets/scale", "replicasets/status",
                                        "replicationcontrollers/scale"]),
            rule(read, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
            rule(read, ["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"]),
        ]),
        ClusterRole(metadata: metadata("system:discovery"), rules: [
            urls(["get"], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*",
                           "/readyz", "/version", "/version/"]),
        ]),
        ClusterRole(metadata: metadata("system:basic-user"), rules: [
            rule(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]),
            rule(["create"], ["authentication.k8s.io"], ["selfsubjectreviews"]),
        ]),
        ClusterRole(metadata: metadata("system:public-info-viewer"), rules: [
            urls(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"]),
        ]),
        ClusterRole(metadata: metadata("system:monitoring"), rules: [
            urls(["get"], ["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz",
                           "/readyz/*"]),
        ]),
        ClusterRole(metadata: metadata("system:service-account-issuer-discovery"), rules: [
            urls(["get"], ["/.well-known/openid-configuration", "/openid/v1/jwks"]),
        ]),
        // The built-in controller manager runs every controller under its own identity (upstream
        // `--use-service-account-credentials=false`), so it needs the workload groups in full.
        ClusterRole(metadata: metadata("system:kube-controller-manager"), rules: [
            rule(["*"], ["", "apps", "batch", "policy", "autoscaling", "coordination.k8s.io", "events.k8s.io",
                         "discovery.k8s.io", "networking.k8s.io"], ["*"]),
            rule(["get", "list", "watch"], ["*"], ["*"]),
            // The garbage collector and the namespace controller act on every kind.
            rule(["delete", "deletecollection", "patch", "update"], ["*"], ["*"]),
            rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
        ]),
        ClusterRole(metadata: metadata("system:kube-scheduler"), rules: [
            rule(["create", "patch", "update"], ["", "events.k8s.io"], ["events"]),
            rule(["create"], ["coordination.k8s.io"], ["leases"]),
            rule(["get", "update"], ["coordination.k8s.io"], ["leases"]),
            rule(["get", "list", "watch"], [""], ["nodes", "namespaces"]),
            rule(["delete", "get", "list", "watch"], [""], ["pods"]),
            rule(["create"], [""], ["bindings", "pods/binding"]),
            rule(["patch", "update"], [""], ["pods/status"]),
            rule(["get", "list", "watch"], [""], ["replicationcontrollers", "services", "persistentvolumeclaims",
                                                  "persistentvolumes"]),
            rule(["get", "list", "watch"], ["apps"], ["replicasets", "statefulsets"]),
            rule(["get", "list", "watch"], ["policy"], ["poddisruptionbudgets"]),
            rule(["get", "list", "watch"], ["storage.k8s.io"], ["storageclasses", "csinodes", "csidrivers",
                                                                "csistoragecapacities"]),
            rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
        ]),
        // What a kubelet needs; bound to the `system:nodes` group (Swiftlet has no Node authorizer yet).
        ClusterRole(metadata: metadata("system:node"), rules: [
            rule(["create", "get", "list", "watch", "update", "patch", "delete"], [""], ["nodes"]),
            rule(["patch", "update"], [""], ["nodes/status", "pods/status"]),
            rule(["get", "list", "watch", "create", "delete"], [""], ["pods"]),
            rule(["create"], [""], ["pods/eviction", "serviceaccounts/token"]),
            rule(["create", "patch", "update"], ["", "events.k8s.io"], ["events"]),
            rule(["create", "delete", "get", "patch", "update", "list", "watch"], ["coordination.k8s.io"], ["leases"]),
            rule(["get", "list", "watch"], [""], ["configmaps", "secrets", "services", "endpoints",
                                                  "persistentvolumeclaims", "persistentvolumes"]),
            rule(["create", "get", "list", "watch"], ["certificates.k8s.io"], ["certificatesigningrequests"]),
            rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
            rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews", "localsubjectaccessreviews"]),
        ]),
    ]

    private static func binding(_ name: String, groups: [String]) -> ClusterRoleBinding {
        ClusterRoleBinding(
            metadata: metadata(name),
            subjects: groups.map { Subject(kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: $0) },
            roleRef: RoleRef(apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: name))
    }

    private static func binding(_ name: String, user: String) -> ClusterRoleBinding {
        ClusterRoleBinding(
            metadata: metadata(name),
            subjects: [Subject(kind: "User", apiGroup: "rbac.authorization.k8s.io", name: user)],
            roleRef: RoleRef(apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: name))
    }

    public static let clusterRoleBindings: [ClusterRoleBinding] = [
        binding("system:kube-controller-manager", user: "system:kube-controller-manager"),
        binding("system:kube-scheduler", user: "system:kube-scheduler"),
        binding("system:node", groups: ["system:nodes"]),
        binding("cluster-admin", groups: [UserInfo.mastersGroup]),
        binding("system:monitoring", groups: ["system:monitoring"]),
        binding("system:discovery", groups: [UserInfo.authenticatedGroup]),
        binding("system:basic-user", groups: [UserInfo.authenticatedGroup]),
        binding("system:public-info-viewer", groups: [UserInfo.authenticatedGroup, UserInfo.unauthenticatedGroup]),
        binding("system:service-account-issuer-discovery", groups: [ServiceAccountNames.allGroup]),
    ]
}
