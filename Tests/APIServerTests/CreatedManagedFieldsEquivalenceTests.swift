@testable import APIServer
import Foundation
import KubeAPI
import KubeCore
import KubeStorage
import Logging
import Testing

/// The create fast path of `managedFields` (`CreatedFieldsV1` through `ApplyResourceProfile`) against the
/// general path (`FieldManager.update` from the kind's zero value, then `ManagedFieldsState.encoded`): the
/// same JSON for a corpus of objects, for schema-less (deduced) objects, when FieldsV1 names collide, and
/// for objects created through the handler.
@Suite struct CreatedManagedFieldsEquivalenceTests {
    static let catalog = BuiltinResources.catalog()
    static let time = "2026-11-28T19:00:00Z"

    static func json(_ text: String) -> JSONValue {
        try! JSONValueParser.parse(Array(text.utf8))
    }

    static func resource(_ group: String, _ version: String, _ plural: String) -> ServedResource {
        catalog.resource(group: group, version: version, plural: plural)!
    }

    static func identity(_ resource: ServedResource, manager: String = "kubectl-create") -> ManagerIdentity {
        ManagerIdentity(manager: manager, operation: ManagerIdentity.update, apiVersion: resource.apiVersion)
    }

    /// The general path's managedFields for a create of `object`.
    static func general(_ profile: ApplyResourceProfile, _ object: JSONValue, identity: ManagerIdentity) -> JSONValue? {
        var after = object
        after.set(["metadata", "managedFields"], nil)
        return profile.manager.update(old: profile.zero, new: after, managed: ManagedFieldsState(), manager: identity,
                                      time: time).encoded
    }

    /// The fast path's managedFields for a create of `object`, and whether the one walk produced it.
    static func fast(_ profile: ApplyResourceProfile, _ object: JSONValue, identity: ManagerIdentity)
        -> (managedFields: JSONValue?, walked: Bool)
    {
        var after = object
        after.set(["metadata", "managedFields"], nil)
        let outcome = CreatedFieldsV1.fieldsV1(zero: profile.zero, new: after, schema: profile.createSchema,
                                               filter: profile.createFilter)
        return (profile.createdManagedFields(after, identity: identity, time: time), outcome != .unsupported)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var group = ""
        var version = "v1"
        var plural: String
        var object: String
        var testDescription: String { name }
    }

    static let corpus: [Case] = [
        Case(name: "pod with containers, ports, env, volumes, probes and status", plural: "pods", object: #"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","uid":"u1",
              "creationTimestamp":"2026-11-28T19:00:00Z","generation":1,"resourceVersion":"5",
              "labels":{"app":"web","tier":"front"},"annotations":{"note":"x"},"finalizers":["example.com/a","example.com/b"],
              "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"rs-uid","controller":true,"blockOwnerDeletion":true}]},
             "spec":{"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
              "nodeSelector":{"disk":"ssd"},"serviceAccountName":"default",
              "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
              "initContainers":[{"name":"init","image":"busybox","command":["sh","-c","true"]}],
              "containers":[{"name":"app","image":"nginx:1.25","imagePullPolicy":"IfNotPresent",
                "args":["--port","80"],
                "ports":[{"containerPort":80,"name":"http"},{"containerPort":53,"protocol":"UDP"},{"containerPort":53,"protocol":"TCP"}],
                "env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}}],
                "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"100m"}},
                "volumeMounts":[{"name":"config","mountPath":"/etc/config","readOnly":true},{"name":"scratch","mountPath":"/tmp"}],
                "livenessProbe":{"httpGet":{"path":"/healthz","port":80,"scheme":"HTTP"},"periodSeconds":10,"failureThreshold":3},
                "readinessProbe":{"exec":{"command":["cat","/tmp/ready"]},"initialDelaySeconds":5},
                "securityContext":{"runAsNonRoot":true,"capabilities":{"drop":["ALL"]}},
                "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"},
               {"name":"sidecar","image":"busybox","stdin":false}],
              "volumes":[{"name":"config","configMap":{"name":"web-config","items":[{"key":"a","path":"a.txt"}]}},
                         {"name":"scratch","emptyDir":{}}]},
             "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"}]}}
            """#),
        Case(name: "deployment with template, atomic selector and strategy", group: "apps", plural: "deployments", object: #"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
             "spec":{"replicas":3,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,
              "selector":{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["a","b"]}]},
              "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
              "template":{"metadata":{"labels":{"app":"web"},"creationTimestamp":null},
               "spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],"resources":{}}],
                "restartPolicy":"Always"}}},
             "status":{"replicas":0}}
            """#),
        Case(name: "service with ports keyed by port and protocol", plural: "services", object: #"""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"dns","namespace":"default"},
             "spec":{"type":"ClusterIP","selector":{"k8s-app":"dns"},"clusterIP":"10.0.0.10","clusterIPs":["10.0.0.10"],
              "ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","sessionAffinity":"None",
              "ports":[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},{"name":"dns-tcp","port":53,"protocol":"TCP","targetPort":"dns-tcp"},
                       {"name":"metrics","port":9153,"targetPort":9153}]},
             "status":{"loadBalancer":{}}}
            """#),
        Case(name: "configmap with data and binaryData", plural: "configmaps", object: #"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default","annotations":{"a":"b"}},
             "data":{"key":"value","other":""},"binaryData":{"bin":"AAEC"},"immutable":false}
            """#),
        Case(name: "configmap with empty data, labels and annotations", plural: "configmaps", object: #"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default","labels":{},"annotations":{}},
             "data":{}}
            """#),
        Case(name: "configmap without anything but a name", plural: "configmaps", object: #"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bare","namespace":"default"}}
            """#),
        Case(name: "an empty object", plural: "configmaps", object: "{}"),
        Case(name: "an object without metadata", plural: "secrets", object: #"{"apiVersion":"v1","kind":"Secret","type":"Opaque"}"#),
        Case(name: "secret with stringData and data", plural: "secrets", object: #"""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default"},"type":"Opaque",
             "data":{"a":"YQ=="},"stringData":{"b":"c"}}
            """#),
        Case(name: "pod with duplicate container names (list owned whole)", plural: "pods", object: #"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"dup","namespace":"default"},
             "spec":{"containers":[{"name":"a","image":"x"},{"name":"a","image":"y"}]}}
            """#),
        Case(name: "pod with empty and null lists and structs", plural: "pods", object: #"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"empty","namespace":"default","finalizers":[],"labels":null},
             "spec":{"containers":[],"volumes":null,"securityContext":{},"affinity":null,"nodeSelector":{}},"status":{}}
            """#),
        Case(name: "pod with a null spec", plural: "pods", object: #"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"nullspec","namespace":"default"},"spec":null}
            """#),
        Case(name: "pod with a scalar where a struct belongs", plural: "pods", object: #"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"odd","namespace":"default"},"spec":{"containers":"nope"}}
            """#),
        Case(name: "namespace with spec finalizers and status", plural: "namespaces", object: #"""
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team","labels":{"kubernetes.io/metadata.name":"team"}},
             "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}
            """#),
        Case(name: "object with a sent managedFields entry", plural: "configmaps", object: #"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"mf","namespace":"default",
              "managedFields":[{"manager":"x","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]},
             "data":{"k":"v"}}
            """#),
        Case(name: "role with atomic rule lists", group: "rbac.authorization.k8s.io", plural: "roles", object: #"""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r","namespace":"default"},
             "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]}
            """#),
        Case(name: "job with a pod template and backoff", group: "batch", plural: "jobs", object: #"""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","namespace":"default"},
             "spec":{"backoffLimit":2,"completions":1,"template":{"spec":{"restartPolicy":"Never",
              "containers":[{"name":"c","image":"busybox","command":["true"]}]}}}}
            """#),
    ]

    @Test(arguments: corpus)
    func fastCreateMatchesGeneralUpdate(_ row: Case) {
        let resource = Self.resource(row.group, row.version, row.plural)
        let profile = ApplyResourceProfile.profile(for: resource, subresource: nil)
        let object = Self.json(row.object)
        let identity = Self.identity(resource)
        let fast = Self.fast(profile, object, identity: identity)
        #expect(fast.walked)
        #expect(fast.managedFields == Self.general(profile, object, identity: identity))
    }

    @Test func corpusOwnsTheExpectedShapes() throws {
        // Guard against both paths agreeing on nothing: the pod's fields are really recorded.
        let pods = Self.resource("", "v1", "pods")
        let profile = ApplyResourceProfile.profile(for: pods, subresource: nil)
        let object = Self.json(Self.corpus[0].object)
        let managed = try #require(Self.fast(profile, object, identity: Self.identity(pods)).managedFields)
        guard case .array(let entries) = managed else { Issue.record("not a list"); return }
        #expect(entries.count == 1)
        let fields = try #require(entries.first?["fieldsV1"])
        #expect(fields["f:status"] == nil)
        #expect(fields["f:metadata"]?["f:name"] == nil)
        #expect(fields["f:metadata"]?["f:labels"]?["f:app"] == .object([:]))
        #expect(fields["f:metadata"]?["f:finalizers"]?[#"v:"example.com/a""#] == .object([:]))
        let containers = fields["f:spec"]?["f:containers"]
        #expect(containers?[#"k:{"name":"app"}"#]?["."] == .object([:]))
        #expect(containers?[#"k:{"name":"app"}"#]?["f:ports"]?[#"k:{"containerPort":53,"protocol":"UDP"}"#] != nil)
        #expect(containers?[#"k:{"name":"app"}"#]?["f:ports"]?[#"k:{"containerPort":80,"protocol":"TCP"}"#] != nil)
        #expect(entries.first?["time"] == .string(Self.time))
        #expect(entries.first?["apiVersion"] == "v1")
        #expect(entries.first?["operation"] == "Update")
    }

    @Test func statusEndpointAndMainResourceHaveTheirOwnProfiles() {
        let pods = Self.resource("", "v1", "pods")
        let main = ApplyResourceProfile.profile(for: pods, subresource: nil)
        let status = ApplyResourceProfile.profile(for: pods, subresource: "status")
        #expect(main.manager.ignored == [.fields("status")])
        #expect(status.manager.ignored.contains(.fields("spec")))
        #expect(!status.manager.ignored.contains(.fields("status")))
        // The status endpoint's filter drops spec: a create through it would own only status.
        let object = Self.json(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"nodeName":"n"},"status":{"phase":"Running"}}"#)
        let identity = ManagerIdentity(manager: "kubelet", operation: ManagerIdentity.update, apiVersion: "v1",
                                       subresource: "status")
        let fast = Self.fast(status, object, identity: identity)
        #expect(fast.walked)
        #expect(fast.managedFields == Self.general(status, object, identity: identity))
        #expect(fast.managedFields?[0]?["fieldsV1"]?["f:spec"] == nil)
        #expect(fast.managedFields?[0]?["subresource"] == "status")
    }

    static let deducedObjects: [String] = [
        #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","labels":{"a":"b"}},"spec":{"size":3,"parts":[{"name":"x"},{"name":"y"}],"nested":{"deep":{"deeper":true}},"empty":{}},"status":{"ok":true}}"#,
        #"{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":null}"#,
        #"{"apiVersion":"example.com/v1","kind":"Widget"}"#,
        #"{"spec":{"list":[],"map":{},"value":null}}"#,
    ]

    @Test(arguments: deducedObjects)
    func deducedObjectsMatch(_ text: String) {
        for ignored: FieldSet in [[], [.fields("status")]] {
            let profile = ApplyResourceProfile(
                manager: FieldManager(schema: .deduced, apiVersion: "example.com/v1", ignored: ignored),
                zero: ["apiVersion": "example.com/v1", "kind": "Widget"])
            let identity = ManagerIdentity(manager: "m", operation: ManagerIdentity.update, apiVersion: "example.com/v1")
            let object = Self.json(text)
            let fast = Self.fast(profile, object, identity: identity)
            #expect(fast.walked)
            #expect(fast.managedFields == Self.general(profile, object, identity: identity))
        }
    }

    @Test func setEntriesWhoseNamesCollideUseTheGeneralPath() {
        // `1` and `1.5` have distinct names; `1` and `1.0` are distinct values whose FieldsV1 names may coincide.
        let profile = ApplyResourceProfile(
            manager: FieldManager(schema: .map(value: .list(element: .scalar, kind: .set)), apiVersion: "v1", ignored: []),
            zero: .object([:]))
        let identity = ManagerIdentity(manager: "m", operation: ManagerIdentity.update, apiVersion: "v1")
        for object in [JSONValue.object(["a": .array([.integer(1), .number(1.5)])]),
                       .object(["a": .array([.integer(1), .number(1.0)])])] {
            let fast = Self.fast(profile, object, identity: identity)
            #expect(fast.managedFields == Self.general(profile, object, identity: identity))
        }
        let distinct = Self.fast(profile, .object(["a": .array([.integer(1), .number(1.5)])]), identity: identity)
        #expect(distinct.walked)
    }

    // MARK: Through the handler

    static func send(_ handler: APIHandler, _ method: String, _ path: String, body: String) async throws
        -> (status: Int, body: JSONValue)
    {
        let request = APIRequest(method: method, path: path, query: "fieldManager=equivalence",
                                 headers: ["content-type": "application/json"], body: Array(body.utf8))
        let response = await handler.handle(request)
        guard case .bytes(let bytes) = response.body else { throw HandlerReplyError.streamed }
        return (response.status, try JSONValueParser.parse(bytes))
    }

    private enum HandlerReplyError: Error { case streamed }

    @Test func handlerCreatesRecordWhatTheGeneralPathRecords() async throws {
        let handler = APIHandler(catalog: Self.catalog, store: MemoryStore(), logger: Logger(label: "test.equivalence"))
        try await handler.bootstrap()
        let creates: [(path: String, plural: String, group: String, body: String)] = [
            ("/api/v1/namespaces/default/services", "services", "", #"""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"svc","labels":{"a":"b"}},
                 "spec":{"selector":{"app":"x"},"ports":[{"name":"http","port":80,"targetPort":8080},{"name":"dns","port":53,"protocol":"UDP"}]}}
                """#),
            ("/api/v1/namespaces/default/configmaps", "configmaps", "", #"""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","finalizers":["x/y"]},"data":{"a":"1"}}
                """#),
            ("/apis/apps/v1/namespaces/default/deployments", "deployments", "apps", #"""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
                 "spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},
                  "spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}]}]}}}}
                """#),
        ]
        for create in creates {
            let reply = try await Self.send(handler, "POST", create.path, body: create.body)
            #expect(reply.status == 201)
            let resource = Self.resource(create.group, "v1", create.plural)
            let profile = ApplyResourceProfile.profile(for: resource, subresource: nil)
            let recorded = try #require(reply.body["metadata"]?["managedFields"]?[0])
            let identity = ManagerIdentity(manager: "equivalence", operation: ManagerIdentity.update,
                                           apiVersion: resource.apiVersion)
            // The general path on the created object (server metadata it gained since is never owned).
            let general = profile.manager.update(
                old: profile.zero, new: {
                    var object = reply.body
                    object.set(["metadata", "managedFields"], nil)
                    return object
                }(), managed: ManagedFieldsState(), manager: identity, time: recorded["time"]?.stringValue ?? "")
                .encoded
            #expect(general != nil)
            #expect(reply.body["metadata"]?["managedFields"] == general)
        }
    }
}
