import Foundation
import KubeAPI
import KubeCore
import Testing

/// Defaulting and validation of the rbac.authorization.k8s.io kinds and of CertificateSigningRequests: each
/// case mutates a valid object and lists the exact upstream-shaped messages.
@Suite struct AccessValidationTests {
    typealias Case<Object: Sendable> = ClusterValidationTests.Case<Object>

    // MARK: Role and ClusterRole

    static func role() -> Role {
        Role(metadata: ObjectMeta(name: "pod-reader", namespace: "default"),
             rules: [PolicyRule(verbs: ["get", "list", "watch"], apiGroups: [""], resources: ["pods"])])
    }

    static let roleCases: [Case<Role>] = [
        Case("valid", []) { _ in },
        Case("RBAC names are path segments", []) { $0.metadata.name = "system:controller:Pod_Reader" },
        Case("name may not contain a slash or percent", [
            #"metadata.name: Invalid value: "a/b%c": may not contain '/'"#,
            #"metadata.name: Invalid value: "a/b%c": may not contain '%'"#,
        ]) { $0.metadata.name = "a/b%c" },
        Case("name may not be ..", [#"metadata.name: Invalid value: "..": may not be '..'"#]) { $0.metadata.name = ".." },
        Case("verbs required", ["rules[0].verbs: Required value: verbs must contain at least one value"]) {
            $0.rules[0].verbs = []
        },
        Case("api groups required", ["rules[0].apiGroups: Required value: resource rules must supply at least one api group"]) {
            $0.rules[0].apiGroups = []
        },
        Case("resources required", ["rules[0].resources: Required value: resource rules must supply at least one resource"]) {
            $0.rules[0].resources = []
        },
        Case("namespaced rules have no non-resource URLs", [
            #"rules[1].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs"#
        ]) { $0.rules.append(PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz"])) },
        Case("empty rule", [
            "rules[0].verbs: Required value: verbs must contain at least one value",
            "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
            "rules[0].resources: Required value: resource rules must supply at least one resource",
        ]) { $0.rules = [PolicyRule()] },
        Case("no rules is valid", []) { $0.rules = [] },
        Case("namespace required", ["metadata.namespace: Required value"]) { $0.metadata.namespace = "" },
    ]

    @Test(arguments: roleCases) func roleCreate(_ testCase: Case<Role>) {
        var object = Self.role()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    static func clusterRole() -> ClusterRole {
        ClusterRole(metadata: ObjectMeta(name: "system:health"),
                    rules: [PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz", "/readyz"])])
    }

    static let clusterRoleCases: [Case<ClusterRole>] = [
        Case("non-resource URLs are fine in cluster roles", []) { _ in },
        Case("not mixed with resources", [
            #"rules[0].nonResourceURLs: Invalid value: []string{"/healthz", "/readyz"}: rules cannot apply to both regular resources and non-resource URLs"#
        ]) { $0.rules[0].resources = ["pods"] },
        Case("aggregation needs a selector", [
            "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil"
        ]) { $0.aggregationRule = AggregationRule() },
        Case("aggregation selector is valid", []) {
            $0.aggregationRule = AggregationRule(clusterRoleSelectors: [LabelSelector(matchLabels: ["rbac.example.com/aggregate-to-view": "true"])])
        },
        Case("cluster-scoped", ["metadata.namespace: Forbidden: not allowed on this type"]) { $0.metadata.namespace = "default" },
    ]

    @Test(arguments: clusterRoleCases) func clusterRoleCreate(_ testCase: Case<ClusterRole>) {
        var object = Self.clusterRole()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    // MARK: RoleBinding and ClusterRoleBinding

    static func roleBinding() -> RoleBinding {
        var binding = RoleBinding(
            metadata: ObjectMeta(name: "read-pods", namespace: "default"),
            subjects: [Subject(kind: "User", name: "alice"), Subject(kind: "Group", name: "devs"),
                       Subject(kind: "ServiceAccount", name: "builder", namespace: "ci")],
            roleRef: RoleRef(kind: "Role", name: "pod-reader"))
        binding.applyDefaults()
        return binding
    }

    static let roleBindingCases: [Case<RoleBinding>] = [
        Case("valid", []) { _ in },
        Case("cluster role refs are fine", []) { $0.roleRef.kind = "ClusterRole" },
        Case("role ref kind", [#"roleRef.kind: Unsupported value: "Deployment": supported values: "Role", "ClusterRole""#]) {
            $0.roleRef.kind = "Deployment"
        },
        Case("role ref group", [#"roleRef.apiGroup: Unsupported value: "apps": supported values: "rbac.authorization.k8s.io""#]) {
            $0.roleRef.apiGroup = "apps"
        },
        Case("role ref name required", ["roleRef.name: Required value"]) { $0.roleRef.name = "" },
        Case("role ref name is a path segment", [#"roleRef.name: Invalid value: "a/b": may not contain '/'"#]) {
            $0.roleRef.name = "a/b"
        },
        Case("subject kind", [#"subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group""#]) {
            $0.subjects[0].kind = "Robot"
        },
        Case("subject name required", ["subjects[1].name: Required value"]) { $0.subjects[1].name = "" },
        Case("user API group", [#"subjects[0].apiGroup: Unsupported value: "v1": supported values: "rbac.authorization.k8s.io""#]) {
            $0.subjects[0].apiGroup = "v1"
        },
        Case("service account API group is core", [#"subjects[2].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: """#]) {
            $0.subjects[2].apiGroup = "rbac.authorization.k8s.io"
        },
        Case("service account name is a DNS subdomain", [
            #"subjects[2].name: Invalid value: "Builder": "# + dns1123SubdomainMessage
        ]) { $0.subjects[2].name = "Builder" },
        Case("service account namespace optional in role bindings", []) { $0.subjects[2].namespace = "" },
    ]

    static let dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    @Test(arguments: roleBindingCases) func roleBindingCreate(_ testCase: Case<RoleBinding>) {
        var object = Self.roleBinding()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func roleRefCannotChange() {
        let old = Self.roleBinding()
        var new = old
        new.roleRef.name = "pod-writer"
        #expect(new.validate(old: old).map(\.description) == [
            #"roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"pod-writer"}: cannot change roleRef"#
        ])
        var subjectsChanged = old
        subjectsChanged.subjects.removeLast()
        #expect(subjectsChanged.validate(old: old).isEmpty)

        var oldCluster = ClusterRoleBinding(metadata: ObjectMeta(name: "admins"), roleRef: RoleRef(kind: "ClusterRole", name: "admin"))
        oldCluster.applyDefaults()
        var newCluster = oldCluster
        newCluster.roleRef.name = "view"
        #expect(newCluster.validate(old: oldCluster).map(\.description) == [
            #"roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef"#
        ])
    }

    static func clusterRoleBinding() -> ClusterRoleBinding {
        var binding = ClusterRoleBinding(
            metadata: ObjectMeta(name: "system:readers"),
            subjects: [Subject(kind: "ServiceAccount", name: "builder", namespace: "ci")],
            roleRef: RoleRef(kind: "ClusterRole", name: "view"))
        binding.applyDefaults()
        return binding
    }

    static let clusterRoleBindingCases: [Case<ClusterRoleBinding>] = [
        Case("valid", []) { _ in },
        Case("only cluster roles", [#"roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole""#]) {
            $0.roleRef.kind = "Role"
        },
        Case("service accounts need a namespace", ["subjects[0].namespace: Required value"]) { $0.subjects[0].namespace = "" },
    ]

    @Test(arguments: clusterRoleBindingCases) func clusterRoleBindingCreate(_ testCase: Case<ClusterRoleBinding>) {
        var object = Self.clusterRoleBinding()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func bindingDefaults() {
        var binding = RoleBinding(
            metadata: ObjectMeta(name: "b", namespace: "default"),
            subjects: [Subject(kind: "User", name: "alice"), Subject(kind: "Group", name: "devs"),
                       Subject(kind: "ServiceAccount", name: "sa"), Subject(kind: "User", apiGroup: "example.com", name: "x"),
                       Subject(kind: "Robot", name: "r")],
            roleRef: RoleRef(kind: "Role", name: "r"))
        binding.applyDefaults()
        #expect(binding.roleRef.apiGroup == "rbac.authorization.k8s.io")
        #expect(binding.subjects.map(\.apiGroup) == ["rbac.authorization.k8s.io", "rbac.authorization.k8s.io", "", "example.com", ""])
        var clusterBinding = ClusterRoleBinding(metadata: ObjectMeta(name: "c"), subjects: [Subject(kind: "Group", name: "g")],
                                                roleRef: RoleRef(apiGroup: "custom", kind: "ClusterRole", name: "r"))
        clusterBinding.applyDefaults()
        #expect(clusterBinding.roleRef.apiGroup == "custom")
        #expect(clusterBinding.subjects[0].apiGroup == "rbac.authorization.k8s.io")
    }

    // MARK: CertificateSigningRequest

    /// A real PKCS#10 request (P-256 key, CN=alice, O=dev).
    static let csrPEM = """
        -----BEGIN CERTIFICATE REQUEST-----
        MIHZMIGAAgEAMB4xDjAMBgNVBAMMBWFsaWNlMQwwCgYDVQQKDANkZXYwWTATBgcq
        hkjOPQIBBggqhkjOPQMBBwNCAAT7QBQSUBacTNNShBF9tzLHiJFysDPiyMGTHdld
        AsZdJghZQkoWqkWHqyeHkIje/6RvuZldFw8sN1/1kOkhmD2OoAAwCgYIKoZIzj0E
        AwIDSAAwRQIhANpl35OwV4Z0DVCrEssnROSUzw8mY+GSkHHMUzNBfm8DAiBf+46/
        Ocu+hrs0ajGrHrc7lGVNYMr/J64eo2doFNViuQ==
        -----END CERTIFICATE REQUEST-----

        """

    static func csr() -> CertificateSigningRequest {
        CertificateSigningRequest(
            metadata: ObjectMeta(name: "alice"),
            spec: CertificateSigningRequestSpec(
                request: Array(csrPEM.utf8), signerName: "kubernetes.io/kube-apiserver-client", expirationSeconds: 86400,
                usages: ["digital signature", "key encipherment", "client auth"]))
    }

    static let usageList = #""any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping""#

    static let csrCases: [Case<CertificateSigningRequest>] = [
        Case("valid", []) { _ in },
        Case("any name", []) { $0.metadata.name = "Alice:Node/1" },
        Case("request must be a CERTIFICATE REQUEST block", [
            "spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST"
        ]) { $0.spec.request = Array("hi".utf8) },
        Case("request missing", [
            "spec.request: Invalid value: []byte(nil): PEM block type must be CERTIFICATE REQUEST"
        ]) { $0.spec.request = [] },
        Case("usages required", ["spec.usages: Required value"]) { $0.spec.usages = [] },
        Case("unknown usage", [#"spec.usages[1]: Unsupported value: "teleport": supported values: "# + usageList]) {
            $0.spec.usages[1] = "teleport"
        },
        Case("duplicate usage", [#"spec.usages[2]: Duplicate value: "client auth""#]) { $0.spec.usages = ["client auth", "any", "client auth"] },
        Case("signer required", ["spec.signerName: Required value"]) { $0.spec.signerName = "" },
        Case("signer needs a path", [
            #"spec.signerName: Invalid value: "example.com": must be a fully qualified domain and path of the form 'example.com/signer-name'"#
        ]) { $0.spec.signerName = "example.com" },
        Case("signer domain needs a dot", [
            #"spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots"#
        ]) { $0.spec.signerName = "example/signer" },
        Case("legacy signer", [#"spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version"#]) {
            $0.spec.signerName = "kubernetes.io/legacy-unknown"
        },
        Case("short expiration", ["spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)"]) {
            $0.spec.expirationSeconds = 599
        },
        Case("approved and denied", [#"status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive"#]) {
            $0.status.conditions = [CertificateSigningRequestCondition(type: "Approved", status: "True"),
                                    CertificateSigningRequestCondition(type: "Denied", status: "True")]
        },
        Case("approved must be true", [#"status.conditions[0].status: Unsupported value: "False": supported values: "True""#]) {
            $0.status.conditions = [CertificateSigningRequestCondition(type: "Approved", status: "False")]
        },
        Case("condition type and status required", ["status.conditions[0].type: Required value", "status.conditions[0].status: Required value"]) {
            $0.status.conditions = [CertificateSigningRequestCondition()]
        },
        Case("duplicate condition", [#"status.conditions[1].type: Duplicate value: "Failed""#]) {
            $0.status.conditions = [CertificateSigningRequestCondition(type: "Failed", status: "True"),
                                    CertificateSigningRequestCondition(type: "Failed", status: "True")]
        },
        Case("certificate must be CERTIFICATE blocks", [
            #"status.certificate: Invalid value: "<certificate data>": only CERTIFICATE PEM blocks are allowed, found "CERTIFICATE REQUEST""#
        ]) { $0.status.certificate = Array(csrPEM.utf8) },
        Case("certificate must hold a block", [
            #"status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block"#
        ]) { $0.status.certificate = Array("not pem".utf8) },
    ]

    @Test(arguments: csrCases) func csrCreate(_ testCase: Case<CertificateSigningRequest>) {
        var object = Self.csr()
        testCase.mutate(&object)
        #expect(object.validate(old: nil).map(\.description) == testCase.expected)
    }

    @Test func csrUpdates() {
        var old = Self.csr()
        old.status.conditions = [CertificateSigningRequestCondition(type: "Approved", status: "True", reason: "AutoApproved")]
        var approvedAgain = old
        approvedAgain.status.conditions.append(CertificateSigningRequestCondition(type: "Failed", status: "True"))
        #expect(approvedAgain.validate(old: old).isEmpty)
        var removed = old
        removed.status.conditions = []
        #expect(removed.validate(old: old).map(\.description) == [#"status.conditions: Forbidden: updates may not remove a condition of type "Approved""#])
        let certificate = Array(Self.csrPEM.replacingOccurrences(of: "CERTIFICATE REQUEST", with: "CERTIFICATE").utf8)
        var issued = old
        issued.status.certificate = certificate
        #expect(issued.validate(old: old).isEmpty)
        var reissued = issued
        reissued.status.certificate = certificate + Array("\n".utf8)
        #expect(reissued.validate(old: issued).map(\.description) == [
            "status.certificate: Forbidden: updates may not modify existing certificate content"
        ])
    }
}
