@testable import APIServer
import Foundation
import KubeAPI
import KubeCore
import KubeStorage
import Logging
import Testing

/// The typed strategies through `APIHandler.handle`, on a memory store: defaulting, unknown fields, type
/// errors, validation, metadata kept across the typed round trip, and the catalog's discovery facts.
@Suite struct TypedStrategyTests {
    /// A handler over a fresh memory store with the default namespaces created.
    private static func handler() async throws -> APIHandler {
        let handler = APIHandler(catalog: BuiltinResources.catalog(), store: MemoryStore(),
                                 logger: Logger(label: "test.typed-strategy"))
        try await handler.bootstrap()
        return handler
    }

    private struct Reply {
        var status: Int
        var body: JSONValue
        var warnings: [String]
    }

    private static func send(_ handler: APIHandler, _ method: String, _ path: String, query: String? = nil,
                             body: String = "") async throws -> Reply {
        let request = APIRequest(method: method, path: path, query: query,
                                 headers: ["content-type": "application/json"], body: Array(body.utf8))
        let response = await handler.handle(request)
        guard case .bytes(let bytes) = response.body else { throw ReplyError.streamed }
        let warnings = response.headers.filter { $0.0 == "Warning" }.map(\.1)
        return Reply(status: response.status, body: try JSONValueParser.parse(bytes), warnings: warnings)
    }

    private enum ReplyError: Error { case streamed }

    private static let deployments = "/apis/apps/v1/namespaces/default/deployments"
    private static let pods = "/api/v1/namespaces/default/pods"

    private static let deployment = #"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}}}
        """#

    private static let pod = #"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}
        """#

    @Test func deploymentGetsUpstreamDefaults() async throws {
        let handler = try await Self.handler()
        let reply = try await Self.send(handler, "POST", Self.deployments, body: Self.deployment)
        #expect(reply.status == 201, "\(reply.body)")
        let spec = reply.body["spec"]
        #expect(spec?["strategy"]?["type"] == "RollingUpdate")
        #expect(spec?["strategy"]?["rollingUpdate"]?["maxSurge"] == "25%")
        #expect(spec?["strategy"]?["rollingUpdate"]?["maxUnavailable"] == "25%")
        #expect(spec?["revisionHistoryLimit"] == 10)
        #expect(spec?["replicas"] == 1)
        #expect(spec?["progressDeadlineSeconds"] == 600)
        let container = spec?["template"]?["spec"]?["containers"]?[0]
        #expect(container?["terminationMessagePath"] == "/dev/termination-log")
        #expect(container?["imagePullPolicy"] == "IfNotPresent")
        // Stored as defaulted: a GET returns the same.
        let read = try await Self.send(handler, "GET", Self.deployments + "/web")
        #expect(read.body["spec"]?["strategy"]?["rollingUpdate"]?["maxSurge"] == "25%")
    }

    @Test func podContainerGetsTerminationMessagePath() async throws {
        let handler = try await Self.handler()
        let reply = try await Self.send(handler, "POST", Self.pods, body: Self.pod)
        #expect(reply.status == 201, "\(reply.body)")
        let container = reply.body["spec"]?["containers"]?[0]
        #expect(container?["terminationMessagePath"] == "/dev/termination-log")
        #expect(container?["terminationMessagePolicy"] == "File")
        #expect(container?["imagePullPolicy"] == "Always")
        #expect(reply.body["spec"]?["restartPolicy"] == "Always")
        #expect(reply.body["status"]?["phase"] == "Pending")
        #expect(reply.body["kind"] == "Pod" && reply.body["apiVersion"] == "v1")
    }

    @Test func podPreparationOnTheTreeMatchesTheTypedPreparation() throws {
        for status: JSONValue in [[:], ["phase": ""], ["phase": "Running", "podIP": "10.0.0.1"]] {
            let tree: JSONValue = ["metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "i"]]],
                                   "status": status]
            var typed = try JSONValueDecoder().decode(Pod.self, from: tree)
            typed.prepareForCreate()
            let prepared = try JSONValueDecoder().decode(Pod.self, from: Pod.prepareForCreate(tree: tree))
            #expect(prepared == typed, "status \(status)")
        }
        let withoutStatus: JSONValue = ["metadata": ["name": "p"]]
        #expect(Pod.prepareForCreate(tree: withoutStatus)["status"]?["phase"] == "Pending")
    }

    @Test func jobsGetTheirGeneratedSelector() async throws {
        let handler = try await Self.handler()
        let job = #"""
            {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"once"},
             "spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}
            """#
        let reply = try await Self.send(handler, "POST", "/apis/batch/v1/namespaces/default/jobs", body: job)
        #expect(reply.status == 201, "\(reply.body)")
        #expect(reply.body["kind"] == "Job" && reply.body["apiVersion"] == "batch/v1")
        let uid = try #require(reply.body["metadata"]?["uid"])
        #expect(reply.body["spec"]?["selector"]?["matchLabels"]?["batch.kubernetes.io/controller-uid"] == uid)
        let labels = reply.body["spec"]?["template"]?["metadata"]?["labels"]
        #expect(labels?["batch.kubernetes.io/job-name"] == "once" && labels?["controller-uid"] == uid)
        #expect(reply.body["spec"]?["backoffLimit"] == 6)
    }

    @Test func unknownFieldsAreReportedWithTheirPaths() async throws {
        let handler = try await Self.handler()
        let body = Self.pod.replacingOccurrences(of: #""image":"nginx""#, with: #""image":"nginx","colour":"red""#)
            .replacingOccurrences(of: #""spec":{"#, with: #""spec":{"flavour":1,"#)
        let strict = try await Self.send(handler, "POST", Self.pods, query: "fieldValidation=Strict", body: body)
        #expect(strict.status == 400)
        let message = strict.body["message"]?.stringValueForTest ?? ""
        #expect(message.contains(#"unknown field "spec.containers[0].colour""#), "\(message)")
        #expect(message.contains(#"unknown field "spec.flavour""#), "\(message)")
        let warned = try await Self.send(handler, "POST", Self.pods, body: body)
        #expect(warned.status == 201)
        #expect(warned.warnings.contains { $0.contains("spec.flavour") }, "\(warned.warnings)")
        #expect(warned.body["spec"]?["flavour"] == nil, "unknown members are dropped")
    }

    @Test func wrongJSONTypesAreBadRequestsNamingTheField() async throws {
        let handler = try await Self.handler()
        let pod = Self.pod.replacingOccurrences(of: #"[{"name":"c","image":"nginx"}]"#, with: #""nginx""#)
        let reply = try await Self.send(handler, "POST", Self.pods, body: pod)
        #expect(reply.status == 400)
        #expect(reply.body["reason"] == "BadRequest")
        #expect(reply.body["message"]?.stringValueForTest == #"Pod in version "v1" cannot be handled as a Pod: "#
            + "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container")
        let deployment = Self.deployment.replacingOccurrences(of: #""spec":{"selector""#, with: #""spec":{"replicas":"3","selector""#)
        let second = try await Self.send(handler, "POST", Self.deployments, body: deployment)
        #expect(second.status == 400)
        #expect(second.body["message"]?.stringValueForTest?.contains("DeploymentSpec.spec.replicas of type int32") == true,
                "\(second.body)")
    }

    @Test func validationErrorsAre422WithCauses() async throws {
        let handler = try await Self.handler()
        let body = Self.deployment.replacingOccurrences(of: #""spec":{"selector""#, with: #""spec":{"replicas":-1,"selector""#)
            .replacingOccurrences(of: #""labels":{"app":"web"}"#, with: #""labels":{"app":"other"}"#)
        let reply = try await Self.send(handler, "POST", Self.deployments, body: body)
        #expect(reply.status == 422, "\(reply.body)")
        #expect(reply.body["reason"] == "Invalid")
        let causes = reply.body["details"]?["causes"]
        var fields: [String] = []
        if case .array(let items)? = causes { fields = items.compactMap { $0["field"]?.stringValueForTest } }
        #expect(fields.contains("spec.replicas"), "\(reply.body)")
        #expect(fields.contains("spec.template.metadata.labels"), "\(reply.body)")
        // Each metadata problem is reported once even though the server and the kind both check names.
        let badName = Self.pod.replacingOccurrences(of: #""name":"p""#, with: #""name":"Bad_Name""#)
        let invalidName = try await Self.send(handler, "POST", Self.pods, body: badName)
        #expect(invalidName.status == 422)
        if case .array(let items)? = invalidName.body["details"]?["causes"] {
            #expect(items.count == 1, "\(items)")
        }
    }

    private static let fullMetadata: JSONValue = [
        "name": "web", "generateName": "web-", "namespace": "default", "uid": "u-1", "resourceVersion": "7",
        "generation": 3, "creationTimestamp": "2024-05-01T10:00:00Z", "deletionTimestamp": "2024-05-02T10:00:00Z",
        "deletionGracePeriodSeconds": 30,
        "labels": ["app": "web"], "annotations": ["note": "kept"],
        "finalizers": ["example.com/hold"],
        "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u-0",
                             "controller": true, "blockOwnerDeletion": true]],
        "managedFields": [["manager": "kubectl", "operation": "Apply", "apiVersion": "apps/v1",
                           "time": "2024-05-01T10:00:00Z", "fieldsType": "FieldsV1",
                           "fieldsV1": ["f:metadata": ["f:labels": ["f:app": [:]]]]]],
    ]

    @Test func theTypedRoundTripKeepsEveryMetadataField() throws {
        var object = try JSONValueParser.parse(Array(Self.deployment.utf8))
        if case .object(var members) = object {
            members["metadata"] = Self.fullMetadata
            object = .object(members)
        }
        let normalized = try TypedStrategy<Deployment>().normalize(object)
        #expect(normalized.object["metadata"] == Self.fullMetadata)
        #expect(normalized.unknownFields.isEmpty)
    }

    @Test func metadataSurvivesCreate() async throws {
        let handler = try await Self.handler()
        let body: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap", "data": ["a": "b"],
            "metadata": ["generateName": "cfg-", "labels": ["app": "web"], "annotations": ["note": "kept"],
                         "finalizers": ["example.com/hold"], "ownerReferences": Self.fullMetadata["ownerReferences"]!],
        ]
        let reply = try await Self.send(handler, "POST", "/api/v1/namespaces/default/configmaps",
                                        body: String(decoding: JSONValueWriter.bytes(body), as: UTF8.self))
        #expect(reply.status == 201, "\(reply.body)")
        let metadata = reply.body["metadata"]
        #expect(metadata?["generateName"] == "cfg-")
        #expect(metadata?["name"]?.stringValueForTest?.hasPrefix("cfg-") == true)
        #expect(metadata?["labels"] == ["app": "web"])
        #expect(metadata?["annotations"] == ["note": "kept"])
        #expect(metadata?["finalizers"] == ["example.com/hold"])
        #expect(metadata?["ownerReferences"] == Self.fullMetadata["ownerReferences"])
        #expect(reply.body["data"] == ["a": "b"])
    }

    @Test func namespacesGetPhaseActiveAndTheKubernetesFinalizer() async throws {
        let handler = try await Self.handler()
        let reply = try await Self.send(handler, "POST", "/api/v1/namespaces",
                                        body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"}}"#)
        #expect(reply.status == 201, "\(reply.body)")
        #expect(reply.body["status"]?["phase"] == "Active")
        #expect(reply.body["spec"]?["finalizers"] == ["kubernetes"])
        #expect(reply.body["metadata"]?["labels"]?["kubernetes.io/metadata.name"] == "team")
    }

    @Test func theCatalogServesTheRegistryInDiscoveryOrder() async throws {
        let catalog = BuiltinResources.catalog()
        #expect(catalog.resources.count == APIRegistry.resources.count)
        #expect(catalog.resources.first?.group == "")
        let groups = catalog.resources.map(\.group)
        #expect(groups.firstIndex(of: "apps")! < groups.firstIndex(of: "batch")!)
        let coreEvents = try #require(catalog.resource(group: "", version: "v1", plural: "events"))
        let events = try #require(catalog.resource(group: "events.k8s.io", version: "v1", plural: "events"))
        #expect(coreEvents.keyPrefix != events.keyPrefix)
        let pods = try #require(catalog.resource(group: "", version: "v1", plural: "pods"))
        #expect(pods.subresources.map(\.name).contains("log"))
        #expect(Set(pods.selectableFields(.object([:])).keys).isSuperset(of: ["spec.nodeName", "status.phase"]))
        #expect(coreEvents.selectableFields(.object([:]))["involvedObject.name"] == "")

        let handler = try await Self.handler()
        _ = try await Self.send(handler, "POST", Self.pods, body: Self.pod)
        #expect(try await Self.send(handler, "GET", Self.pods + "/p/status").status == 200)
    }
}

extension JSONValue {
    /// The text of a string value (tests only).
    fileprivate var stringValueForTest: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
