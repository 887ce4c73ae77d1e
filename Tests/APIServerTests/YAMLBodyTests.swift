@testable import APIServer
import KubeCore
import Testing

/// `application/yaml` request bodies for create and update (what curl users and some clients send), with
/// YAML 1.1 scalars read as upstream does and clean 4xx errors for bad documents; nothing stored on failure.
struct YAMLBodyTests {
    static let path = "/api/v1/namespaces/default/configmaps"

    @Test func createAndReplaceFromYAML() async throws {
        let api = try await InProcessAPI()
        let created = try await api.ok("POST", Self.path, json: """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              labels: {app: web}
            data:
              enabled: "true"
              size: "3"
            """, contentType: "application/yaml")
        #expect(created["data"]?["size"]?.stringValue == "3")
        #expect(created["metadata"]?["labels"]?["app"]?.stringValue == "web")
        let rv = created["metadata"]?["resourceVersion"]?.stringValue ?? ""
        let replaced = try await api.ok("PUT", Self.path + "/settings", json: """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, resourceVersion: "\(rv)"}
            data: {size: "4"}
            """, contentType: "application/yaml")
        #expect(replaced["data"]?["size"]?.stringValue == "4")
        #expect(replaced["data"]?["enabled"] == nil)
    }

    @Test func badYAMLIsA4xxStatusAndStoresNothing() async throws {
        let api = try await InProcessAPI()
        let cases: [(String, Int)] = [
            ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n", 400),   // unclosed flow mapping
            ("- just\n- a list\n", 400),                                     // not a mapping
            ("apiVersion: v1\nkind: Secret\nmetadata: {name: b}\n", 400),     // wrong kind for the URL
            ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n", 422),
            ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {n: 5}\n", 400),  // data values are strings
        ]
        for (body, code) in cases {
            let reply = try await api.send("POST", Self.path, json: body, contentType: "application/yaml")
            #expect(reply.status == code, "\(body): \(reply.text)")
            #expect(reply.body["kind"]?.stringValue == "Status", "\(reply.text)")
        }
        let list = try await api.ok("GET", Self.path)
        if case .array(let items)? = list["items"] { #expect(items.isEmpty, "\(items)") } else { Issue.record("\(list)") }
    }
}
