@testable import APIServer
import Foundation
import KubeAPI
import KubeCore
import KubeStorage
import Logging
import Testing

/// Server-side apply and `managedFields` through `APIHandler.handle` on a memory store: creating by
/// apply, the option and body checks upstream makes, conflicts and `force`, and the `Update` entries
/// of ordinary writes (manager from `fieldManager` or the User-Agent, status subresource, reset).
@Suite struct ServerSideApplyHandlerTests {
    private static func handler() async throws -> APIHandler {
        let handler = APIHandler(catalog: BuiltinResources.catalog(), store: MemoryStore(),
                                 logger: Logger(label: "test.server-side-apply"))
        try await handler.bootstrap()
        return handler
    }

    private struct Reply {
        var status: Int
        var body: JSONValue
    }

    private static func send(_ handler: APIHandler, _ method: String, _ path: String, query: String? = nil,
                             contentType: String = "application/json", userAgent: String = "tests/1.0",
                             body: String = "") async throws -> Reply {
        let request = APIRequest(method: method, path: path, query: query,
                                 headers: ["content-type": contentType, "user-agent": userAgent], body: Array(body.utf8))
        let response = await handler.handle(request)
        guard case .bytes(let bytes) = response.body else { throw ReplyError.streamed }
        return Reply(status: response.status, body: try JSONValueParser.parse(bytes))
    }

    private enum ReplyError: Error { case streamed }

    private static let configMaps = "/api/v1/namespaces/default/configmaps"
    private static let applyType = "application/apply-patch+yaml"

    private static func apply(_ handler: APIHandler, _ name: String, _ yaml: String, manager: String = "tester",
                              force: Bool = false) async throws -> Reply {
        var query = "fieldManager=\(manager)"
        if force { query += "&force=true" }
        return try await send(handler, "PATCH", "\(configMaps)/\(name)", query: query, contentType: applyType, body: yaml)
    }

    private static func managers(_ object: JSONValue) -> [String] {
        guard case .array(let entries)? = object["metadata"]?["managedFields"] else { return [] }
        return entries.map { "\($0["manager"]?.stringValue ?? "")/\($0["operation"]?.stringValue ?? "")" }
    }

    private static func entry(_ object: JSONValue, _ manager: String) -> JSONValue? {
        guard case .array(let entries)? = object["metadata"]?["managedFields"] else { return nil }
        return entries.first { $0["manager"]?.stringValue == manager }
    }

    @Test func applyCreatesTheObjectWithAnApplyEntry() async throws {
        let handler = try await Self.handler()
        let reply = try await Self.apply(handler, "cm", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: cm
            data:
              key: "1"
              other: "yes"
            """)
        #expect(reply.status == 201)
        #expect(reply.body["metadata"]?["uid"]?.stringValue?.isEmpty == false)
        #expect(reply.body["data"] == .object(["key": "1", "other": "yes"]))
        let entry = Self.entry(reply.body, "tester")
        #expect(entry?["operation"] == "Apply")
        #expect(entry?["apiVersion"] == "v1")
        #expect(entry?["fieldsType"] == "FieldsV1")
        #expect(entry?["time"]?.stringValue != nil)
        #expect(entry?["fieldsV1"] == .object(["f:data": .object(["f:key": .object([:]), "f:other": .object([:])])]))
    }

    @Test func applyTwiceWithAFieldDroppedRemovesItAndANoOpWritesNothing() async throws {
        let handler = try await Self.handler()
        let two = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1","b":"2"}}"#
        #expect(try await Self.apply(handler, "cm", two).status == 201)
        let one = try await Self.apply(handler, "cm", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"}}"#)
        #expect(one.status == 200)
        #expect(one.body["data"] == .object(["a": "1"]))
        let again = try await Self.apply(handler, "cm", #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"}}"#)
        #expect(again.body["metadata"]?["resourceVersion"] == one.body["metadata"]?["resourceVersion"])
    }

    @Test func conflictsAre409WithCausesAndForceWins() async throws {
        let handler = try await Self.handler()
        let created = try await Self.send(handler, "POST", Self.configMaps, query: "fieldManager=editor",
                                          body: #"{"metadata":{"name":"cm"},"data":{"key":"old"}}"#)
        #expect(created.status == 201)
        #expect(Self.managers(created.body) == ["editor/Update"])
        let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  key: new\n"
        let conflict = try await Self.apply(handler, "cm", yaml)
        #expect(conflict.status == 409)
        #expect(conflict.body["reason"] == "Conflict")
        #expect(conflict.body["message"] == #"Apply failed with 1 conflict: conflict with "editor" using v1: .data.key"#)
        #expect(conflict.body["details"]?["causes"] == .array([.object([
            "reason": "FieldManagerConflict", "message": #"conflict with "editor" using v1"#, "field": ".data.key",
        ])]))
        let forced = try await Self.apply(handler, "cm", yaml, force: true)
        #expect(forced.status == 200)
        #expect(forced.body["data"]?["key"] == "new")
        #expect(Self.entry(forced.body, "tester")?["fieldsV1"] == .object(["f:data": .object(["f:key": .object([:])])]))
        // The editor keeps only the map it created.
        #expect(Self.entry(forced.body, "editor")?["fieldsV1"] == .object(["f:data": .object([:])]))
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var name: String
        var query: String
        var body: String
        var status: Int
        var reason: String
        var message: String
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "no fieldManager", query: "", body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}}"#,
                 status: 422, reason: "Invalid",
                 message: #"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch"#),
        BadInput(name: "malformed YAML", query: "fieldManager=m", body: "apiVersion: v1\nkind: [ConfigMap\n",
                 status: 400, reason: "BadRequest", message: "error decoding YAML: "),
        BadInput(name: "not an object", query: "fieldManager=m", body: "- a\n- b\n", status: 400, reason: "BadRequest",
                 message: "error decoding YAML: json: cannot unmarshal array into Go value of type map[string]interface {}"),
        BadInput(name: "wrong kind", query: "fieldManager=m", body: #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"cm"}}"#,
                 status: 400, reason: "BadRequest", message: "invalid object type: /v1, Kind=Secret"),
        BadInput(name: "no apiVersion", query: "fieldManager=m", body: #"{"kind":"ConfigMap","metadata":{"name":"cm"}}"#,
                 status: 400, reason: "BadRequest", message: "invalid object type: /, Kind=ConfigMap"),
        BadInput(name: "managedFields in the body", query: "fieldManager=m",
                 body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","managedFields":[{"manager":"x"}]}}"#,
                 status: 400, reason: "BadRequest", message: "metadata.managedFields must be nil"),
        BadInput(name: "unknown field", query: "fieldManager=m",
                 body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"dta":{}}"#, status: 400,
                 reason: "BadRequest",
                 message: "failed to create typed patch object (default/cm; /v1, Kind=ConfigMap): .dta: field not declared in schema"),
        BadInput(name: "name differs from the URL", query: "fieldManager=m",
                 body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}}"#, status: 400,
                 reason: "BadRequest", message: "the name of the object (other) does not match the name on the URL (cm)"),
        BadInput(name: "fieldManager with a control character", query: "fieldManager=a%01b",
                 body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"}}"#, status: 422, reason: "Invalid",
                 message: #"PatchOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\x01b": invalid character U+0001 (at position 1)"#),
    ]

    @Test(arguments: badInputs)
    func badApplyInputIsRejectedAndNothingIsStored(_ row: BadInput) async throws {
        let handler = try await Self.handler()
        let reply = try await Self.send(handler, "PATCH", "\(Self.configMaps)/cm", query: row.query,
                                        contentType: Self.applyType, body: row.body)
        #expect(reply.status == row.status)
        #expect(reply.body["kind"] == "Status")
        #expect(reply.body["reason"]?.stringValue == row.reason)
        #expect(reply.body["message"]?.stringValue?.hasPrefix(row.message) == true, "\(reply.body)")
        let get = try await Self.send(handler, "GET", "\(Self.configMaps)/cm")
        #expect(get.status == 404)
    }

    @Test func forceOnANonApplyPatchIsRejected() async throws {
        let handler = try await Self.handler()
        _ = try await Self.send(handler, "POST", Self.configMaps, body: #"{"metadata":{"name":"cm"}}"#)
        let reply = try await Self.send(handler, "PATCH", "\(Self.configMaps)/cm", query: "force=true",
                                        contentType: "application/merge-patch+json", body: #"{"data":{"a":"1"}}"#)
        #expect(reply.status == 422)
        #expect(reply.body["message"] == #"PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch"#)
    }

    @Test func updatesAreRecordedForTheUserAgentsManager() async throws {
        let handler = try await Self.handler()
        let created = try await Self.send(handler, "POST", Self.configMaps, userAgent: "curl/8.5.0",
                                          body: #"{"metadata":{"name":"cm","labels":{"app":"x"}},"data":{"a":"1"}}"#)
        let entry = Self.entry(created.body, "curl")
        #expect(entry?["operation"] == "Update")
        #expect(entry?["fieldsV1"] == .object([
            "f:data": .object([".": .object([:]), "f:a": .object([:])]),
            "f:metadata": .object(["f:labels": .object([".": .object([:]), "f:app": .object([:])])]),
        ]))
        let patched = try await Self.send(handler, "PATCH", "\(Self.configMaps)/cm", query: "fieldManager=patcher",
                                          contentType: "application/merge-patch+json", body: #"{"data":{"a":"2"}}"#)
        #expect(Self.entry(patched.body, "patcher")?["fieldsV1"] == .object(["f:data": .object(["f:a": .object([:])])]))
        #expect(Self.managers(patched.body).sorted() == ["curl/Update", "patcher/Update"])
        // A patch that changes nothing records nothing and writes nothing.
        let same = try await Self.send(handler, "PATCH", "\(Self.configMaps)/cm", query: "fieldManager=third",
                                       contentType: "application/merge-patch+json", body: #"{"data":{"a":"2"}}"#)
        #expect(same.body["metadata"]?["resourceVersion"] == patched.body["metadata"]?["resourceVersion"])
        #expect(Self.entry(same.body, "third") == nil)
        // managedFields: [{}] clears the record.
        let reset = try await Self.send(handler, "PATCH", "\(Self.configMaps)/cm",
                                        contentType: "application/merge-patch+json",
                                        body: #"{"metadata":{"managedFields":[{}]}}"#)
        #expect(reset.status == 200)
        #expect(reset.body["metadata"]?["managedFields"] == nil)
    }

    @Test func statusWritesRecordTheSubresource() async throws {
        let handler = try await Self.handler()
        let deployments = "/apis/apps/v1/namespaces/default/deployments"
        let created = try await Self.send(handler, "POST", deployments, query: "fieldManager=creator", body: #"""
            {"metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"d"}},
             "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """#)
        #expect(created.status == 201)
        #expect(Self.entry(created.body, "creator")?["fieldsV1"]?["f:status"] == nil)
        let status = try await Self.send(handler, "PATCH", "\(deployments)/d/status", query: "fieldManager=controller",
                                         contentType: "application/merge-patch+json",
                                         body: #"{"status":{"observedGeneration":1}}"#)
        #expect(status.status == 200)
        let entry = Self.entry(status.body, "controller")
        #expect(entry?["subresource"] == "status")
        #expect(entry?["fieldsV1"] == .object(["f:status": .object(["f:observedGeneration": .object([:])])]))

        // An apply to the status subresource changes and owns only status.
        let applied = try await Self.send(handler, "PATCH", "\(deployments)/d/status", query: "fieldManager=ctrl",
                                          contentType: Self.applyType, body: """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":9},
             "status":{"observedGeneration":1,"replicas":2}}
            """)
        #expect(applied.status == 200)
        #expect(applied.body["spec"]?["replicas"] == 1)
        #expect(applied.body["status"]?["replicas"] == 2)
        let ctrl = Self.entry(applied.body, "ctrl")
        #expect(ctrl?["operation"] == "Apply")
        #expect(ctrl?["subresource"] == "status")
        #expect(ctrl?["fieldsV1"] == .object(["f:status": .object([
            "f:observedGeneration": .object([:]), "f:replicas": .object([:]),
        ])]))
        #expect(Self.managers(applied.body).sorted() == ["controller/Update", "creator/Update", "ctrl/Apply"])
    }
}
