@testable import APIServer
import Foundation
import KubeAPI
import KubeCore
import Testing

/// Protobuf bodies of the rbac kinds as `kubectl create role / rolebinding / clusterrole /
/// clusterrolebinding` send them (gogo-style: every non-pointer field written, empty ones included), and
/// round trips of the access kinds, including `map[string][]string` values wrapped as upstream's ExtraValue.
@Suite struct AccessProtobufDecodingTests {
    private static func json(_ text: String) throws -> JSONValue {
        try JSONValueParser.parse(Array(text.utf8))
    }

    private static func decode(_ raw: [UInt8], kind: String) throws -> JSONValue {
        let body = ProtobufTestEncoder.envelope(apiVersion: "rbac.authorization.k8s.io/v1", kind: kind, raw: raw)
        return try ProtobufRequestBody.decode(body, group: "rbac.authorization.k8s.io", version: "v1", kind: kind)
    }

    /// ObjectMeta as gogo writes it for a new object: name, empty strings, zero generation, empty time.
    private static func metadata(_ name: String, namespace: String = "") -> [UInt8] {
        PB.message(1, PB.string(1, name), PB.string(2, ""), PB.string(3, namespace), PB.string(5, ""), PB.string(6, ""),
                   PB.varint(7, 0), PB.bytes(8, []))
    }

    @Test func kubectlCreateRole() throws {
        // kubectl create role pod-reader --verb=get,list,watch --resource=pods
        let rule = PB.message(2, PB.string(1, "get"), PB.string(1, "list"), PB.string(1, "watch"), PB.string(2, ""),
                              PB.string(3, "pods"))
        let object = try Self.decode(Self.metadata("pod-reader", namespace: "default") + rule, kind: "Role")
        #expect(object == (try Self.json("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role",
             "metadata":{"name":"pod-reader","namespace":"default"},
             "rules":[{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["pods"]}]}
            """)))
    }

    @Test func kubectlCreateClusterRoleWithNonResourceURLs() throws {
        // kubectl create clusterrole health --verb=get --non-resource-url=/healthz
        let rule = PB.message(2, PB.string(1, "get"), PB.string(5, "/healthz"))
        let aggregation = PB.message(3, PB.message(1, PB.entry(1, "rbac.example.com/aggregate", "true")))
        let object = try Self.decode(Self.metadata("health") + rule + aggregation, kind: "ClusterRole")
        #expect(object == (try Self.json("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"health"},
             "rules":[{"verbs":["get"],"nonResourceURLs":["/healthz"]}],
             "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate":"true"}}]}}
            """)))
    }

    @Test func kubectlCreateRoleBinding() throws {
        // kubectl create rolebinding read-pods --role=pod-reader --user=alice --serviceaccount=ci:builder
        let user = PB.message(2, PB.string(1, "User"), PB.string(2, "rbac.authorization.k8s.io"), PB.string(3, "alice"),
                              PB.string(4, ""))
        let account = PB.message(2, PB.string(1, "ServiceAccount"), PB.string(2, ""), PB.string(3, "builder"),
                                 PB.string(4, "ci"))
        let roleRef = PB.message(3, PB.string(1, "rbac.authorization.k8s.io"), PB.string(2, "Role"), PB.string(3, "pod-reader"))
        let object = try Self.decode(Self.metadata("read-pods", namespace: "default") + user + account + roleRef, kind: "RoleBinding")
        #expect(object == (try Self.json("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
             "metadata":{"name":"read-pods","namespace":"default"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"},
                         {"kind":"ServiceAccount","name":"builder","namespace":"ci"}],
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"pod-reader"}}
            """)))
    }

    @Test func emptyRoleRefFieldsAreKeptAsGoWritesThem() throws {
        // RoleRef has no omitempty: empty strings from the wire stay in the JSON.
        let roleRef = PB.message(3, PB.string(1, ""), PB.string(2, "ClusterRole"), PB.string(3, "view"))
        let object = try Self.decode(Self.metadata("viewers") + roleRef, kind: "ClusterRoleBinding")
        #expect(object["roleRef"] == (try Self.json(#"{"apiGroup":"","kind":"ClusterRole","name":"view"}"#)))
        #expect(object["subjects"] == nil)
    }

    static let roundTripObjects: [(typeName: String, json: String)] = [
        ("Role", #"{"metadata":{"name":"r","namespace":"ns"},"rules":[{"verbs":["get"],"apiGroups":["","apps"],"resources":["pods","deployments"],"resourceNames":["a"]}]}"#),
        ("RoleBinding", #"{"metadata":{"name":"b","namespace":"ns"},"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"devs"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"}}"#),
        ("SubjectAccessReview", #"{"metadata":{},"spec":{"resourceAttributes":{"verb":"list","resource":"pods","labelSelector":{"requirements":[{"key":"app","operator":"In","values":["web"]}]}},"user":"alice","extra":{"scopes":["a","b"],"empty":[]}},"status":{"allowed":true}}"#),
        ("TokenRequest", #"{"metadata":{"name":"sa"},"spec":{"audiences":["api"],"expirationSeconds":600},"status":{"token":"t"}}"#),
        ("CertificateSigningRequest", #"{"metadata":{"name":"c"},"spec":{"request":"LS0t","signerName":"example.com/s","usages":["client auth"],"extra":{"k":["v"]}},"status":{"conditions":[{"type":"Approved","status":"True","lastUpdateTime":"2024-01-02T03:04:05Z"}]}}"#),
    ]

    @Test(arguments: 0..<roundTripObjects.count)
    func roundTripsThroughTheEncoder(index: Int) throws {
        let (typeName, text) = Self.roundTripObjects[index]
        let original = try Self.json(text)
        for empty in [false, true] {
            let bytes = try ProtobufTestEncoder(writeEmptyFields: empty).encode(original, typeName: typeName)
            var decoder = SchemaProtobufDecoder()
            let decoded = try decoder.decode(bytes, typeName: typeName)
            #expect(decoded == original, "\(typeName), empty fields: \(empty): \(String(decoding: JSONValueWriter.bytes(decoded), as: UTF8.self))")
        }
    }

    @Test func extraValueWrapperWithUnknownFieldsAndMissingValue() throws {
        // {extra: {"a": ExtraValue{items: ["x"], 9: junk}}, {"b": <no value>}}
        let withJunk = PB.bytes(4, PB.string(1, "a") + PB.bytes(2, PB.string(1, "x") + PB.varint(9, 1)))
        let withoutValue = PB.bytes(4, PB.string(1, "b"))
        var decoder = SchemaProtobufDecoder()
        let object = try decoder.decode(withJunk + withoutValue, typeName: "UserInfo")
        #expect(object == (try Self.json(#"{"extra":{"a":["x"],"b":[]}}"#)))
        #expect(decoder.unknownFieldCount == 1)
    }
}
