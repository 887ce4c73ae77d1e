@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Logging
import Testing

/// The OpenAPI v3 documents through `APIHandler.handle`: valid JSON, the index's hashes, the kind and
/// patch extensions kubectl relies on (fieldValidation on every PATCH, merge key `name` on
/// PodSpec.containers, retainKeys on DeploymentSpec.strategy), and upstream's shapes for references and
/// the named string types.
@Suite struct OpenAPIDocumentTests {
    private static func get(_ path: String, query: String? = nil) async throws -> (status: Int, body: [String: Any]) {
        let handler = APIHandler(catalog: BuiltinResources.catalog(), store: MemoryStore(),
                                 logger: Logger(label: "test.openapi"))
        let response = await handler.handle(APIRequest(method: "GET", path: path, query: query,
                                                       headers: ["accept": "application/json"]))
        guard case .bytes(let bytes) = response.body else { return (response.status, [:]) }
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        return (response.status, object ?? [:])
    }

    private static func schemas(_ document: [String: Any]) -> [String: [String: Any]] {
        ((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]]) ?? [:]
    }

    private static func property(_ schema: [String: Any]?, _ name: String) -> [String: Any]? {
        (schema?["properties"] as? [String: Any])?[name] as? [String: Any]
    }

    @Test func indexListsEveryGroupVersionWithTheDocumentHash() async throws {
        let index = try await Self.get("/openapi/v3")
        let paths = index.body["paths"] as? [String: [String: String]] ?? [:]
        #expect(paths["api/v1"] != nil && paths["apis/apps/v1"] != nil, "\(paths.keys.sorted())")
        let url = try #require(paths["apis/apps/v1"]?["serverRelativeURL"])
        let hash = try #require(url.split(separator: "hash=").last.map(String.init))
        let handler = OpenAPIHandler(catalog: BuiltinResources.catalog())
        let bytes = handler.document(group: "apps", version: "v1").jsonBytes
        #expect(OpenAPIHandler.hash(bytes) == hash)
    }

    @Test func coreDocumentHasPodSchemaWithMergeKeysAndKindExtension() async throws {
        let (status, document) = try await Self.get("/openapi/v3/api/v1")
        #expect(status == 200)
        #expect(document["openapi"] as? String == "3.0.0")
        let schemas = Self.schemas(document)
        let pod = try #require(schemas["io.k8s.api.core.v1.Pod"])
        #expect(pod["type"] as? String == "object")
        #expect((pod["description"] as? String)?.isEmpty == false)
        let gvk = pod["x-kubernetes-group-version-kind"] as? [[String: String]]
        #expect(gvk == [["group": "", "version": "v1", "kind": "Pod"]])
        #expect(Self.property(pod, "apiVersion")?["type"] as? String == "string")
        let spec = Self.property(pod, "spec")
        #expect((spec?["allOf"] as? [[String: String]])?.first?["$ref"] == "#/components/schemas/io.k8s.api.core.v1.PodSpec")
        #expect(spec?["description"] != nil)

        let containers = try #require(Self.property(schemas["io.k8s.api.core.v1.PodSpec"], "containers"))
        #expect(containers["type"] as? String == "array")
        #expect(containers["x-kubernetes-patch-merge-key"] as? String == "name")
        #expect(containers["x-kubernetes-patch-strategy"] as? String == "merge")
        #expect(containers["x-kubernetes-list-type"] as? String == "map")
        #expect(containers["x-kubernetes-list-map-keys"] as? [String] == ["name"])
        let items = containers["items"] as? [String: Any]
        #expect((items?["allOf"] as? [[String: String]])?.first?["$ref"] == "#/components/schemas/io.k8s.api.core.v1.Container")
        #expect((schemas["io.k8s.api.core.v1.PodSpec"]?["required"] as? [String])?.contains("containers") == true)

        #expect(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"] != nil)
        #expect(schemas["io.k8s.api.core.v1.PodList"] != nil)
        let intOrString = schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]
        #expect(intOrString?["format"] as? String == "int-or-string")
        #expect(intOrString?["oneOf"] as? [[String: String]] == [["type": "integer"], ["type": "string"]])
        let quantity = schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]
        #expect(quantity?["oneOf"] as? [[String: String]] == [["type": "string"], ["type": "number"]])
        let time = schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]
        #expect(time?["type"] as? String == "string" && time?["format"] as? String == "date-time")
        let probe = Self.property(schemas["io.k8s.api.core.v1.Probe"], "timeoutSeconds")
        #expect(probe?["type"] as? String == "integer" && probe?["format"] as? String == "int32")
    }

    @Test func everyPatchOperationCarriesFieldValidationAndTheKind() async throws {
        for path in ["/openapi/v3/api/v1", "/openapi/v3/apis/apps/v1"] {
            let document = try await Self.get(path).body
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            var patches = 0
            for (name, item) in paths {
                guard let patch = item["patch"] as? [String: Any] else { continue }
                patches += 1
                let names = (patch["parameters"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(Set(["dryRun", "fieldManager", "fieldValidation", "force"]).isSubset(of: names), "\(name)")
                #expect(patch["x-kubernetes-action"] as? String == "patch")
                #expect((patch["x-kubernetes-group-version-kind"] as? [String: String])?["kind"] != nil, "\(name)")
            }
            #expect(patches > 2, "\(path)")
        }
        let apps = try await Self.get("/openapi/v3/apis/apps/v1").body
        let paths = apps["paths"] as? [String: [String: Any]] ?? [:]
        let item = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]
        let gvk = (item?["patch"] as? [String: Any])?["x-kubernetes-group-version-kind"] as? [String: String]
        #expect(gvk == ["group": "apps", "version": "v1", "kind": "Deployment"])
        #expect(paths["/apis/apps/v1/namespaces/{namespace}/deployments"]?["post"] != nil)
        #expect(paths["/apis/apps/v1/deployments"]?["get"] != nil)
        #expect(paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status"]?["patch"] != nil)
        let strategy = Self.property(Self.schemas(apps)["io.k8s.api.apps.v1.DeploymentSpec"], "strategy")
        #expect(strategy?["x-kubernetes-patch-strategy"] as? String == "retainKeys")
        let type = Self.property(Self.schemas(apps)["io.k8s.api.apps.v1.DeploymentStrategy"], "type")
        #expect(type?["enum"] as? [String] == ["Recreate", "RollingUpdate"])
    }

    @Test func unknownGroupVersionIsNotFound() async throws {
        #expect(try await Self.get("/openapi/v3/apis/nope/v1").status == 404)
    }

    @Test func documentsAreBuiltOncePerKey() async {
        let cache = OpenAPICache()
        var builds = 0
        for _ in 0..<3 { _ = cache.entry("k") { builds += 1; return ["a": 1] } }
        #expect(builds == 1)
        let hashes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let handler = OpenAPIHandler(catalog: BuiltinResources.catalog())
                    return OpenAPIHandler.hash(handler.document(group: "", version: "v1").jsonBytes)
                }
            }
            var all: Set<String> = []
            for await hash in group { all.insert(hash) }
            return all
        }
        #expect(hashes.count == 1)
    }
}
