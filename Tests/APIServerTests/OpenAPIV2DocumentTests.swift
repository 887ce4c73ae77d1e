@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Logging
import Testing

/// `/openapi/v2` through `APIHandler.handle`: the Swagger 2.0 shape kubectl ≤ 1.28 reads (definitions
/// with kind and patch extensions, `#/definitions/` references, v2 parameters with `fieldValidation`),
/// the gnostic protobuf decoded back to the same document, content negotiation, and the entity tag.
@Suite struct OpenAPIV2DocumentTests {
    private static let protobufAccept = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"

    private static func handler() -> APIHandler {
        APIHandler(catalog: BuiltinResources.catalog(), store: MemoryStore(), logger: Logger(label: "test.openapi.v2"))
    }

    private static func get(_ handler: APIHandler, accept: String?, headers: [String: String] = [:])
        async -> (status: Int, headers: [(String, String)], bytes: [UInt8])
    {
        var all = headers
        if let accept { all["accept"] = accept }
        let response = await handler.handle(APIRequest(method: "GET", path: "/openapi/v2", headers: all))
        guard case .bytes(let bytes) = response.body else { return (response.status, response.headers, []) }
        return (response.status, response.headers, bytes)
    }

    private static func header(_ headers: [(String, String)], _ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The JSON document as a tree.
    private static func document(_ handler: APIHandler) async throws -> JSONValue {
        let response = await get(handler, accept: "application/json")
        #expect(response.status == 200)
        return try JSONValueParser.parse(response.bytes)
    }

    @Test func jsonDocumentHasDefinitionsWithKindAndPatchExtensions() async throws {
        let document = try await Self.document(Self.handler())
        #expect(document["swagger"] == "2.0")
        #expect(document["info"]?["title"] == "Kubernetes")
        let definitions = try #require(document["definitions"]?.members)
        let pod = try #require(definitions["io.k8s.api.core.v1.Pod"])
        #expect(pod["type"] == "object")
        #expect(pod["x-kubernetes-group-version-kind"] == [["group": "", "version": "v1", "kind": "Pod"]])
        #expect(pod["properties"]?["spec"]?["$ref"] == "#/definitions/io.k8s.api.core.v1.PodSpec")
        #expect(pod["properties"]?["spec"]?["allOf"] == nil)
        #expect(pod["properties"]?["spec"]?["description"]?.stringValue?.isEmpty == false)

        let containers = try #require(definitions["io.k8s.api.core.v1.PodSpec"]?["properties"]?["containers"])
        #expect(containers["type"] == "array")
        #expect(containers["items"] == ["$ref": "#/definitions/io.k8s.api.core.v1.Container"])
        #expect(containers["x-kubernetes-patch-strategy"] == "merge")
        #expect(containers["x-kubernetes-patch-merge-key"] == "name")
        #expect(containers["x-kubernetes-list-type"] == "map")
        #expect(containers["x-kubernetes-list-map-keys"] == ["name"])

        let strategy = definitions["io.k8s.api.apps.v1.DeploymentSpec"]?["properties"]?["strategy"]
        #expect(strategy?["x-kubernetes-patch-strategy"] == "retainKeys")
        #expect(definitions["io.k8s.api.apps.v1.DeploymentStrategy"]?["properties"]?["type"]?["enum"]
            == ["Recreate", "RollingUpdate"])
        #expect(definitions["io.k8s.api.apps.v1.Deployment"]?["x-kubernetes-group-version-kind"]
            == [["group": "apps", "version": "v1", "kind": "Deployment"]])
        #expect(definitions["io.k8s.api.core.v1.ConfigMapList"]?["x-kubernetes-group-version-kind"]
            == [["group": "", "version": "v1", "kind": "ConfigMapList"]])
        #expect(definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]?["type"] == "string")
        #expect(definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]?["format"] == "int-or-string")
        #expect(definitions["io.k8s.apimachinery.pkg.api.resource.Quantity"]?["type"] == "string")
        let limits = definitions["io.k8s.api.core.v1.ResourceRequirements"]?["properties"]?["limits"]
        #expect(limits?["additionalProperties"] == ["$ref": "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"])
    }

    /// Every reference in the document (definitions and operations) names a definition: kube-openapi
    /// rejects the whole document over one dangling reference, and v2 has no `oneOf` or `components`.
    @Test func everyReferenceResolvesAndNoV3ConstructRemains() async throws {
        let document = try await Self.document(Self.handler())
        let definitions = document["definitions"]?.members ?? [:]
        var references = 0
        var problems: [String] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key == "$ref" {
                        references += 1
                        let name = member.stringValue.map { String($0.dropFirst("#/definitions/".count)) } ?? ""
                        if member.stringValue?.hasPrefix("#/definitions/") != true || definitions[name] == nil {
                            problems.append("\(path): \(member)")
                        }
                    }
                    if ["oneOf", "anyOf", "requestBody", "content", "nullable"].contains(key), !path.hasSuffix("properties") {
                        problems.append("\(path).\(key)")
                    }
                    walk(member, path + "." + key)
                }
            case .array(let elements):
                for (index, element) in elements.enumerated() { walk(element, "\(path)[\(index)]") }
            default:
                break
            }
        }
        walk(document, "")
        #expect(problems.isEmpty, "\(problems.prefix(10))")
        #expect(references > 100)
    }

    @Test func operationsHaveV2ParametersWithFieldValidationAndBodies() async throws {
        let document = try await Self.document(Self.handler())
        let paths = try #require(document["paths"]?.members)
        let item = try #require(paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"])
        let pathParameters = item["parameters"]?.elements ?? []
        #expect(pathParameters.contains(["name": "name", "in": "path", "required": true, "type": "string",
                                         "uniqueItems": true, "description": "name of the object"]))
        let patch = try #require(item["patch"])
        #expect(patch["x-kubernetes-group-version-kind"] == ["group": "apps", "version": "v1", "kind": "Deployment"])
        #expect(patch["x-kubernetes-action"] == "patch")
        let parameters = patch["parameters"]?.elements ?? []
        #expect(parameters.first?["in"] == "body")
        #expect(parameters.first?["schema"] == ["$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"])
        let fieldValidation = parameters.first { $0["name"] == "fieldValidation" }
        #expect(fieldValidation?["in"] == "query")
        #expect(fieldValidation?["type"] == "string")
        #expect(fieldValidation?["schema"] == nil)
        #expect(patch["consumes"]?.elements.contains("application/strategic-merge-patch+json") == true)
        #expect(patch["responses"]?["200"]?["schema"] == ["$ref": "#/definitions/io.k8s.api.apps.v1.Deployment"])
        #expect(patch["produces"]?.elements.contains("application/json") == true)

        for (name, pathItem) in paths {
            for verb in ["post", "put", "patch"] {
                guard let operation = pathItem[verb] else { continue }
                let names = (operation["parameters"]?.elements ?? []).compactMap { $0["name"]?.stringValue }
                #expect(names.contains("fieldValidation") && names.contains("body"), "\(verb) \(name)")
            }
        }
        let list = paths["/api/v1/namespaces/{namespace}/configmaps"]?["get"]
        #expect(list?["responses"]?["200"]?["schema"] == ["$ref": "#/definitions/io.k8s.api.core.v1.ConfigMapList"])
        #expect(paths["/api/v1/configmaps"]?["get"] != nil)
    }

    /// The protobuf answer decodes (with field numbers written out independently of the encoder) to
    /// exactly the JSON answer.
    @Test func protobufDecodesToTheJSONDocument() async throws {
        let handler = Self.handler()
        let response = await Self.get(handler, accept: Self.protobufAccept)
        #expect(response.status == 200)
        #expect(Self.header(response.headers, "Content-Type") == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
        let decoded = try OpenAPIV2TestDecoder().document(response.bytes)
        let json = try await Self.document(handler)
        #expect(decoded["swagger"] == "2.0")
        #expect(decoded["info"] == json["info"])
        let decodedDefinitions = decoded["definitions"]?.members ?? [:]
        let jsonDefinitions = json["definitions"]?.members ?? [:]
        #expect(decodedDefinitions.keys.sorted() == jsonDefinitions.keys.sorted())
        for name in ["io.k8s.api.core.v1.Pod", "io.k8s.api.core.v1.PodSpec", "io.k8s.api.core.v1.Container",
                     "io.k8s.api.apps.v1.DeploymentStrategy", "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"] {
            #expect(decodedDefinitions[name] == jsonDefinitions[name], "\(name)")
        }
        let mismatched = jsonDefinitions.keys.filter { decodedDefinitions[$0] != jsonDefinitions[$0] }
        #expect(mismatched.isEmpty, "\(mismatched.sorted().prefix(5))")
        let jsonPaths = json["paths"]?.members ?? [:]
        let decodedPaths = decoded["paths"]?.members ?? [:]
        #expect(decodedPaths.keys.sorted() == jsonPaths.keys.sorted())
        let mismatchedPaths = jsonPaths.keys.filter { decodedPaths[$0] != jsonPaths[$0] }
        #expect(mismatchedPaths.isEmpty, "\(mismatchedPaths.sorted().prefix(5))")
    }

    @Test(arguments: [
        ("", OpenAPIV2Handler.Encoding.json),
        ("*/*", .json),
        ("application/json", .json),
        ("application/json, */*", .json),
        ("application/com.github.proto-openapi.spec.v2@v1.0+protobuf", .protobuf),
        ("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", .protobuf),
        ("application/json;q=0.5, application/com.github.proto-openapi.spec.v2.v1.0+protobuf", .protobuf),
        ("text/html, application/*;q=0.9", .json),
    ])
    func negotiation(accept: String, expected: OpenAPIV2Handler.Encoding) {
        #expect(OpenAPIV2Handler.encoding(accept: accept) == expected, "\(accept)")
    }

    @Test func unacceptableMediaTypeIsA406Status() async throws {
        let response = await Self.get(Self.handler(), accept: "text/html")
        #expect(response.status == 406)
        let status = try JSONValueParser.parse(response.bytes)
        #expect(status["kind"] == "Status")
        #expect(status["reason"] == "NotAcceptable")
        #expect(status["code"] == 406)
        #expect(OpenAPIV2Handler.encoding(accept: "application/json;q=0") == nil)
    }

    @Test func entityTagIsSharedAndIfNoneMatchGives304() async throws {
        let handler = Self.handler()
        let json = await Self.get(handler, accept: "application/json")
        let protobuf = await Self.get(handler, accept: Self.protobufAccept)
        let etag = try #require(Self.header(json.headers, "Etag"))
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count > 2)
        #expect(Self.header(protobuf.headers, "Etag") == etag)
        #expect(Self.header(json.headers, "Vary") == "Accept")
        #expect(etag == "\"\(OpenAPIHandler.hash(json.bytes))\"")

        let cached = await Self.get(handler, accept: Self.protobufAccept, headers: ["if-none-match": etag])
        #expect(cached.status == 304)
        #expect(cached.bytes.isEmpty)
        #expect(Self.header(cached.headers, "Etag") == etag)
        let weak = await Self.get(handler, accept: "application/json", headers: ["if-none-match": "\"other\", W/\(etag)"])
        #expect(weak.status == 304)
        let stale = await Self.get(handler, accept: "application/json", headers: ["if-none-match": "\"other\""])
        #expect(stale.status == 200)
        #expect(stale.bytes == json.bytes)
    }

    @Test func documentIsBuiltOncePerCache() async {
        let cache = OpenAPIV2Cache()
        var builds = 0
        for _ in 0..<3 {
            _ = cache.entry { builds += 1; return ["swagger": "2.0"] }
        }
        #expect(builds == 1)
        let entries = await withTaskGroup(of: String.self) { group in
            for _ in 0..<4 {
                group.addTask { OpenAPIV2Cache().entry(catalog: BuiltinResources.catalog()).etag }
            }
            var all: Set<String> = []
            for await etag in group { all.insert(etag) }
            return all
        }
        #expect(entries.count == 1)
    }
}

private extension JSONValue {
    /// The elements of an array (empty for anything else).
    var elements: [JSONValue] {
        if case .array(let elements) = self { return elements }
        return []
    }
}
