@testable import APIServer
import Foundation
import KubeCore
import Testing

/// The rbac, authorization, authentication and certificates resources through the handler: discovery,
/// creation with defaults, upstream-shaped 422s, immutable roleRef, and create-only review kinds refusing
/// every other verb with 405.
@Suite struct AccessResourceTests {
    private static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let elements)? = value { return elements }
        return []
    }

    @Test func discoveryListsTheAccessGroups() async throws {
        let api = try await InProcessAPI()
        let rbac = try await api.ok("GET", "/apis/rbac.authorization.k8s.io/v1")
        let names = Self.array(rbac["resources"]).compactMap { $0["name"]?.stringValue }
        #expect(names == ["clusterrolebindings", "clusterroles", "rolebindings", "roles"])
        let authorization = try await api.ok("GET", "/apis/authorization.k8s.io/v1")
        let reviews = Self.array(authorization["resources"])
        #expect(reviews.count == 4)
        #expect(reviews.allSatisfy { $0["verbs"] == ["create"] })
        #expect(reviews.first { $0["name"] == "localsubjectaccessreviews" }?["namespaced"] == true)
        let certificates = try await api.ok("GET", "/apis/certificates.k8s.io/v1")
        let csr = Self.array(certificates["resources"]).first { $0["name"] == "certificatesigningrequests" }
        #expect(csr?["shortNames"] == ["csr"])
        let subresources = Self.array(certificates["resources"]).compactMap { $0["name"]?.stringValue }
        #expect(subresources.contains("certificatesigningrequests/approval"))
        let core = try await api.ok("GET", "/api/v1")
        let token = Self.array(core["resources"]).first { $0["name"] == "serviceaccounts/token" }
        #expect(token?["group"] == "authentication.k8s.io" && token?["kind"] == "TokenRequest")
    }

    @Test func rolesAndBindingsAreStoredWithDefaults() async throws {
        let api = try await InProcessAPI()
        let role = try await api.ok("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", json: """
            {"metadata":{"name":"system:pod-reader"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"]}]}
            """)
        #expect(role["metadata"]?["name"] == "system:pod-reader")
        let binding = try await api.ok("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", json: """
            {"metadata":{"name":"read"},"subjects":[{"kind":"User","name":"alice"}],
             "roleRef":{"kind":"Role","name":"system:pod-reader"}}
            """)
        #expect(binding["roleRef"]?["apiGroup"] == "rbac.authorization.k8s.io")
        #expect(binding["subjects"]?[0]?["apiGroup"] == "rbac.authorization.k8s.io")
        let changed = try await api.send("PUT", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/read", json: """
            {"metadata":{"name":"read","resourceVersion":"\(binding["metadata"]?["resourceVersion"]?.stringValue ?? "")"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}
            """)
        #expect(changed.status == 422)
        #expect(changed.body["message"]?.stringValue?.contains(
            #"roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef"#) == true,
            "\(changed.text)")
    }

    @Test func invalidRoleIsA422WithCauses() async throws {
        let api = try await InProcessAPI()
        let reply = try await api.send("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", json: """
            {"metadata":{"name":"bad"},"rules":[{"verbs":["get"],"resources":["pods"]}]}
            """)
        #expect(reply.status == 422)
        #expect(reply.body["reason"] == "Invalid")
        #expect(reply.body["message"] == #"Role.rbac.authorization.k8s.io "bad" is invalid: rules[0].apiGroups: Required value: resource rules must supply at least one api group"#)
        #expect(reply.body["details"]?["causes"]?[0]?["field"] == "rules[0].apiGroups")
        let list = try await api.ok("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles")
        #expect(list["items"] == [])
    }

    @Test func certificateSigningRequestNamesAreFree() async throws {
        let api = try await InProcessAPI()
        let request = Data("""
            -----BEGIN CERTIFICATE REQUEST-----
            MIHZMIGAAgEAMB4xDjAMBgNVBAMMBWFsaWNlMQwwCgYDVQQKDANkZXYwWTATBgcq
            hkjOPQIBBggqhkjOPQMBBwNCAAT7QBQSUBacTNNShBF9tzLHiJFysDPiyMGTHdld
            AsZdJghZQkoWqkWHqyeHkIje/6RvuZldFw8sN1/1kOkhmD2OoAAwCgYIKoZIzj0E
            AwIDSAAwRQIhANpl35OwV4Z0DVCrEssnROSUzw8mY+GSkHHMUzNBfm8DAiBf+46/
            Ocu+hrs0ajGrHrc7lGVNYMr/J64eo2doFNViuQ==
            -----END CERTIFICATE REQUEST-----
            """.utf8).base64EncodedString()
        let created = try await api.ok("POST", "/apis/certificates.k8s.io/v1/certificatesigningrequests", json: """
            {"metadata":{"name":"Alice:Laptop"},"spec":{"request":"\(request)","signerName":"example.com/signer","usages":["client auth"]},
             "status":{"conditions":[{"type":"Approved","status":"True"}]}}
            """)
        #expect(created["spec"]?["signerName"] == "example.com/signer")
        #expect(created["status"] == [:], "a client cannot create an approved request")
        let bad = try await api.send("POST", "/apis/certificates.k8s.io/v1/certificatesigningrequests", json: """
            {"metadata":{"name":"bad"},"spec":{"request":"aGk=","signerName":"example.com/signer","usages":["client auth"],"expirationSeconds":60}}
            """)
        #expect(bad.status == 422)
        #expect(bad.text.contains("spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST"), "\(bad.text)")
        #expect(bad.text.contains("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)"))
        let selected = try await api.ok("GET", "/apis/certificates.k8s.io/v1/certificatesigningrequests",
                                        query: "fieldSelector=spec.signerName%3Dexample.com%2Fsigner")
        #expect(Self.array(selected["items"]).count == 1)
    }

    @Test(arguments: [
        ("GET", "/apis/authentication.k8s.io/v1/tokenreviews", "list"),
        ("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/x", "get"),
        ("DELETE", "/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews", "deletecollection"),
        ("PUT", "/apis/authentication.k8s.io/v1/selfsubjectreviews/x", "update"),
    ])
    func createOnlyKindsRefuseOtherVerbs(method: String, path: String, verb: String) async throws {
        let api = try await InProcessAPI()
        let reply = try await api.send(method, path, json: method == "PUT" ? "{}" : nil)
        #expect(reply.status == 405)
        #expect(reply.body["reason"] == "MethodNotAllowed")
        #expect(reply.body["message"]?.stringValue?.hasPrefix("\(verb) is not supported on resources of kind") == true, "\(reply.text)")
    }
}
