import Foundation
import KubeAPI
import KubeCore
import Testing

/// Go JSON behaviour of the rbac, authorization, authentication and certificates types: objects as upstream
/// serves them decode and re-encode unchanged, and the fields without `omitempty` are written when empty.
@Suite struct AccessCodingTests {
    /// Upstream-shaped JSON of each kind, in the key order Go writes (sorted here; the comparison is on trees).
    static let documents: [(type: any APIType.Type, json: String)] = [
        (Role.self, #"{"metadata":{"name":"pod-reader","namespace":"default","creationTimestamp":"2024-05-01T10:00:00Z"},"rules":[{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["pods"]},{"verbs":["get"],"apiGroups":["apps"],"resources":["deployments/scale"],"resourceNames":["web"]}]}"#),
        (ClusterRole.self, #"{"metadata":{"name":"monitoring","creationTimestamp":null},"rules":[],"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate-to-monitoring":"true"}}]}}"#),
        (ClusterRole.self, #"{"metadata":{"name":"system:health","creationTimestamp":null},"rules":[{"verbs":["get"],"nonResourceURLs":["/healthz","/livez*"]}]}"#),
        (RoleBinding.self, #"{"metadata":{"name":"read-pods","namespace":"default","creationTimestamp":null},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"},{"kind":"ServiceAccount","name":"builder","namespace":"ci"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"}}"#),
        (ClusterRoleBinding.self, #"{"metadata":{"name":"admins","creationTimestamp":null},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"}}"#),
        (SubjectAccessReview.self, #"{"metadata":{"creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"default","verb":"list","resource":"pods","fieldSelector":{"requirements":[{"key":"spec.nodeName","operator":"In","values":["node-1"]}]},"labelSelector":{"rawSelector":"app=web"}},"user":"alice","groups":["devs","system:authenticated"],"extra":{"scopes":["read","write"],"empty":[]},"uid":"u-1"},"status":{"allowed":true,"reason":"RBAC: allowed by RoleBinding \"read-pods/default\""}}"#),
        (SelfSubjectAccessReview.self, #"{"metadata":{"creationTimestamp":null},"spec":{"nonResourceAttributes":{"path":"/healthz","verb":"get"}},"status":{"allowed":false,"denied":true,"evaluationError":"no"}}"#),
        (LocalSubjectAccessReview.self, #"{"metadata":{"namespace":"team","creationTimestamp":null},"spec":{"resourceAttributes":{"namespace":"team","verb":"get","group":"apps","version":"v1","resource":"deployments","subresource":"scale","name":"web"},"user":"bob"},"status":{"allowed":false}}"#),
        (SelfSubjectRulesReview.self, #"{"metadata":{"creationTimestamp":null},"spec":{"namespace":"default"},"status":{"resourceRules":[{"verbs":["create"],"apiGroups":["authorization.k8s.io"],"resources":["selfsubjectaccessreviews","selfsubjectrulesreviews"]}],"nonResourceRules":[{"verbs":["get"],"nonResourceURLs":["/api","/api/*"]}],"incomplete":false}}"#),
        (TokenReview.self, #"{"metadata":{"creationTimestamp":null},"spec":{"token":"abc.def","audiences":["https://kubernetes.default.svc"]},"status":{"authenticated":true,"user":{"username":"system:serviceaccount:default:builder","uid":"u-2","groups":["system:serviceaccounts"],"extra":{"authentication.kubernetes.io/pod-name":["web-0"]}},"audiences":["https://kubernetes.default.svc"]}}"#),
        (SelfSubjectReview.self, #"{"metadata":{"creationTimestamp":"2024-05-01T10:00:00Z"},"status":{"userInfo":{"username":"kubernetes-admin","groups":["kubeadm:cluster-admins","system:authenticated"]}}}"#),
        (TokenRequest.self, #"{"metadata":{"name":"builder","namespace":"ci","creationTimestamp":null},"spec":{"audiences":["vault"],"expirationSeconds":3600,"boundObjectRef":{"kind":"Pod","apiVersion":"v1","name":"web-0","uid":"p-1"}},"status":{"token":"ey.J","expirationTimestamp":"2024-05-01T11:00:00Z"}}"#),
        (CertificateSigningRequest.self, #"{"metadata":{"name":"alice","creationTimestamp":null},"spec":{"request":"LS0tLS1CRUdJTg==","signerName":"kubernetes.io/kube-apiserver-client","expirationSeconds":86400,"usages":["client auth"],"username":"admin","groups":["system:masters","system:authenticated"],"extra":{"scope":["a"]}},"status":{"conditions":[{"type":"Approved","status":"True","reason":"KubectlApprove","message":"This CSR was approved by kubectl certificate approve.","lastUpdateTime":"2024-05-01T10:00:00Z","lastTransitionTime":"2024-05-01T10:00:00Z"}],"certificate":"LS0tLS1CRUdJTg=="}}"#),
    ]

    @Test(arguments: 0..<documents.count) func upstreamJSONRoundTrips(index: Int) throws {
        let (type, json) = Self.documents[index]
        let original = try TestJSON.value(TestJSON.data(json))
        let reencoded = try TestJSON.value(Self.reencode(type, TestJSON.data(json)))
        #expect(TestJSON.differences(reencoded, original).isEmpty, "\(type): \(TestJSON.differences(reencoded, original))")
    }

    private static func reencode<T: APIType>(_ type: T.Type, _ data: Data) throws -> Data {
        try KubeJSON.encode(try KubeJSON.decode(T.self, from: data))
    }

    @Test func fieldsWithoutOmitEmptyAreWritten() throws {
        // Role.rules, PolicyRule.verbs, RoleRef's three fields, Subject kind and name, the review answers, the
        // token request's audiences / expirationSeconds / boundObjectRef and CSR request and signerName.
        #expect(TestJSON.string(try KubeJSON.encode(Role())) == #"{"metadata":{"creationTimestamp":null},"rules":[]}"#)
        #expect(TestJSON.string(try KubeJSON.encode(PolicyRule())) == #"{"verbs":[]}"#)
        #expect(TestJSON.string(try KubeJSON.encode(RoleBinding())) ==
            #"{"metadata":{"creationTimestamp":null},"roleRef":{"apiGroup":"","kind":"","name":""}}"#)
        #expect(TestJSON.string(try KubeJSON.encode(Subject())) == #"{"kind":"","name":""}"#)
        #expect(TestJSON.string(try KubeJSON.encode(SubjectAccessReviewStatus())) == #"{"allowed":false}"#)
        #expect(TestJSON.string(try KubeJSON.encode(SubjectRulesReviewStatus())) ==
            #"{"incomplete":false,"nonResourceRules":[],"resourceRules":[]}"#)
        #expect(TestJSON.string(try KubeJSON.encode(TokenRequestSpec())) ==
            #"{"audiences":[],"boundObjectRef":null,"expirationSeconds":null}"#)
        #expect(TestJSON.string(try KubeJSON.encode(TokenRequestStatus())) == #"{"expirationTimestamp":null,"token":""}"#)
        #expect(TestJSON.string(try KubeJSON.encode(CertificateSigningRequestSpec())) == #"{"request":"","signerName":""}"#)
    }

    @Test func extraIsAMapOfStringLists() throws {
        let json = #"{"username":"alice","extra":{"scopes":["a","b"],"none":null}}"#
        let info = try KubeJSON.decode(UserInfo.self, from: TestJSON.data(json))
        #expect(info.extra == ["scopes": ["a", "b"], "none": []])
        let schema = try #require(UserInfo.typeSchema.fields.first { $0.name == "extra" })
        #expect(schema.type == .map(.array(.string)))
    }

    @Test func discoveryFacts() throws {
        let byKind = Dictionary(uniqueKeysWithValues: APIRegistry.resources.map { ("\($0.group)/\($0.kind)", $0) })
        let role = try #require(byKind["rbac.authorization.k8s.io/Role"])
        #expect(role.namespaced && role.plural == "roles" && role.shortNames.isEmpty && role.verbs == ResourceInfo.standardVerbs)
        let clusterRoleBinding = try #require(byKind["rbac.authorization.k8s.io/ClusterRoleBinding"])
        #expect(!clusterRoleBinding.namespaced && clusterRoleBinding.plural == "clusterrolebindings")
        for kind in ["authorization.k8s.io/SubjectAccessReview", "authorization.k8s.io/SelfSubjectAccessReview",
                     "authorization.k8s.io/SelfSubjectRulesReview", "authentication.k8s.io/TokenReview",
                     "authentication.k8s.io/SelfSubjectReview"] {
            let info = try #require(byKind[kind])
            #expect(info.verbs == ["create"] && !info.namespaced, "\(kind)")
        }
        let local = try #require(byKind["authorization.k8s.io/LocalSubjectAccessReview"])
        #expect(local.namespaced && local.verbs == ["create"])
        let csr = try #require(byKind["certificates.k8s.io/CertificateSigningRequest"])
        #expect(csr.shortNames == ["csr"] && !csr.namespaced)
        #expect(csr.subresources.map(\.name) == ["status", "approval"])
        #expect(csr.subresource(named: "approval")?.verbs == ["get", "patch", "update"])
        let token = try #require(byKind["/ServiceAccount"]?.subresource(named: "token"))
        #expect(token.groupVersionKind == GroupVersionKind(group: "authentication.k8s.io", version: "v1", kind: "TokenRequest"))
        #expect(APIRegistry.schema(named: "TokenRequest") != nil)
    }
}
