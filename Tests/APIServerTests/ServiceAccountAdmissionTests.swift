@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Testing

/// ServiceAccount admission on pod create and the in-process controllers behind it: every namespace gets a
/// `default` ServiceAccount and `kube-root-ca.crt` (restored when deleted or edited), pods run as `default`
/// unless they name an existing account, and get the projected token volume mounted in every container.
struct ServiceAccountAdmissionTests {
    static let podsPath = "/api/v1/namespaces/default/pods"
    static let podJSON = #"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{
         "initContainers":[{"name":"init","image":"busybox"}],
         "containers":[{"name":"a","image":"busybox"},
                       {"name":"b","image":"busybox","volumeMounts":[{"name":"own","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],
         "volumes":[{"name":"own","emptyDir":{}}]}}
        """#

    static func strings(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap(\.stringValue)
    }

    @Test func podsGetTheDefaultAccountAndTheTokenVolume() async throws {
        let server = try await ServiceAccountTestServer()
        let pod = try await server.api.ok("POST", Self.podsPath, json: Self.podJSON)
        #expect(pod["spec"]?["serviceAccountName"]?.stringValue == "default")
        #expect(pod["spec"]?["serviceAccount"]?.stringValue == "default")
        guard case .array(let volumes)? = pod["spec"]?["volumes"] else { Issue.record("no volumes"); return }
        #expect(volumes.count == 2)
        let volume = volumes[1]
        let volumeName = try #require(volume["name"]?.stringValue)
        #expect(volumeName.hasPrefix("kube-api-access-"))
        #expect(volumeName.count == "kube-api-access-".count + 5)
        #expect(volume["projected"] == [
            "defaultMode": 420,
            "sources": [
                ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
            ],
        ])
        let expectedMount: JSONValue = [
            "name": .string(volumeName), "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
        ]
        #expect(pod["spec"]?["initContainers"]?[0]?["volumeMounts"] == [expectedMount])
        #expect(pod["spec"]?["containers"]?[0]?["volumeMounts"] == [expectedMount])
        // A container with its own mount at the path keeps it.
        #expect(pod["spec"]?["containers"]?[1]?["volumeMounts"]?[0]?["name"]?.stringValue == "own")
        if case .array(let mounts)? = pod["spec"]?["containers"]?[1]?["volumeMounts"] { #expect(mounts.count == 1) }
    }

    @Test func automountCanBeTurnedOffByPodOrAccount() async throws {
        let server = try await ServiceAccountTestServer()
        let optOut = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"q"},"spec":{"automountServiceAccountToken":false,"containers":[{"name":"a","image":"busybox"}]}}"#
        let quiet = try await server.api.ok("POST", Self.podsPath, json: optOut)
        #expect(quiet["spec"]?["volumes"] == nil)
        #expect(quiet["spec"]?["containers"]?[0]?["volumeMounts"] == nil)

        try await server.api.ok("POST", "/api/v1/namespaces/default/serviceaccounts", json: #"""
            {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"},"automountServiceAccountToken":false,
             "imagePullSecrets":[{"name":"registry"}]}
            """#)
        let robot = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"r"},"spec":{"serviceAccountName":"robot","containers":[{"name":"a","image":"busybox"}]}}"#
        let robotPod = try await server.api.ok("POST", Self.podsPath, json: robot)
        #expect(robotPod["spec"]?["volumes"] == nil)
        #expect(robotPod["spec"]?["imagePullSecrets"] == [["name": "registry"]])
        // The pod's own setting wins over the account's.
        let optIn = robot.replacingOccurrences(of: #""name":"r""#, with: #""name":"s""#)
            .replacingOccurrences(of: #""serviceAccountName":"robot""#, with: #""serviceAccountName":"robot","automountServiceAccountToken":true"#)
        let mounted = try await server.api.ok("POST", Self.podsPath, json: optIn)
        #expect(mounted["spec"]?["volumes"]?[0]?["projected"] != nil)
    }

    @Test func podsNamingAMissingAccountAreForbidden() async throws {
        let api = try await InProcessAPI()
        let json = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"serviceAccountName":"ghost","containers":[{"name":"a","image":"busybox"}]}}"#
        let reply = try await api.send("POST", Self.podsPath, json: json)
        #expect(reply.status == 403)
        #expect(reply.body["reason"]?.stringValue == "Forbidden")
        #expect(reply.body["message"]?.stringValue
                == #"pods "p" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found"#)
        #expect(try await api.send("GET", Self.podsPath + "/p").status == 404)
        let generated = json.replacingOccurrences(of: #""name":"p""#, with: #""generateName":"web-""#)
        let generatedReply = try await api.send("POST", Self.podsPath, json: generated)
        #expect(generatedReply.body["message"]?.stringValue?.hasPrefix(#"pods "web-" is forbidden"#) == true)
    }

    @Test func namespacesGetTheDefaultAccountAndRootCA() async throws {
        let server = try await ServiceAccountTestServer()
        for namespace in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            #expect(try await server.api.send("GET", "/api/v1/namespaces/\(namespace)/serviceaccounts/default").status == 200)
        }
        try await server.api.ok("POST", "/api/v1/namespaces",
                                json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"#)
        #expect(try await server.api.send("GET", "/api/v1/namespaces/team/serviceaccounts/default").status == 200)
        let configMap = try await server.api.ok("GET", "/api/v1/namespaces/team/configmaps/kube-root-ca.crt")
        #expect(configMap["metadata"]?["managedFields"]?[0]?["manager"]?.stringValue == "kube-controller-manager")
        #expect(configMap["data"] == ["ca.crt": .string(ServiceAccountTestServer.rootCAPEM)])
        #expect(configMap["metadata"]?["annotations"]?["kubernetes.io/description"]?.stringValue?.hasPrefix("Contains a CA bundle") == true)
        // A pod can be created right away.
        try await server.api.ok("POST", "/api/v1/namespaces/team/pods",
                                json: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"busybox"}]}}"#)
    }

    @Test func deletedOrEditedDefaultsComeBack() async throws {
        let server = try await ServiceAccountTestServer()
        let path = "/api/v1/namespaces/default/configmaps/kube-root-ca.crt"
        let original = try await server.api.ok("GET", path)
        try await server.api.ok("DELETE", path)
        let recreated = try await server.api.ok("GET", path)
        #expect(recreated["metadata"]?["uid"] != original["metadata"]?["uid"])
        #expect(recreated["data"] == original["data"])

        try await server.api.ok("PATCH", path, json: #"{"data":{"ca.crt":"forged","extra":"x"}}"#,
                                contentType: "application/merge-patch+json")
        #expect(try await server.api.ok("GET", path)["data"] == original["data"])

        let accountPath = "/api/v1/namespaces/default/serviceaccounts/default"
        let account = try await server.api.ok("GET", accountPath)
        try await server.api.ok("DELETE", accountPath)
        let newAccount = try await server.api.ok("GET", accountPath)
        #expect(newAccount["metadata"]?["uid"] != account["metadata"]?["uid"])
        // Other accounts stay deleted.
        try await server.api.ok("POST", "/api/v1/namespaces/default/serviceaccounts",
                                json: #"{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}"#)
        try await server.api.ok("DELETE", "/api/v1/namespaces/default/serviceaccounts/robot")
        #expect(try await server.api.send("GET", "/api/v1/namespaces/default/serviceaccounts/robot").status == 404)
    }

    /// The namespace lifecycle with the namespace controller's steps done by hand: once the namespace is
    /// Terminating, its default ServiceAccount and `kube-root-ca.crt` are not recreated when deleted, and after
    /// `finalize` nothing of it is left.
    @Test func deletingANamespaceLeavesNothingBehind() async throws {
        let server = try await ServiceAccountTestServer()
        try await server.api.ok("POST", "/api/v1/namespaces",
                                json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"gone"}}"#)
        try await server.api.ok("DELETE", "/api/v1/namespaces/gone")
        try await server.api.ok("DELETE", "/api/v1/namespaces/gone/serviceaccounts/default")
        try await server.api.ok("DELETE", "/api/v1/namespaces/gone/configmaps/kube-root-ca.crt")
        try await server.api.ok("PUT", "/api/v1/namespaces/gone/finalize",
                                json: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"gone"},"spec":{"finalizers":[]}}"#)
        let left = try await server.api.store.range(.prefix("/registry/"))
        #expect(!left.kvs.contains { $0.key.contains("/gone") })
    }
}
