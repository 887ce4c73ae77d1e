@testable import APIServer
import KubeAPI
import KubeCore
import Testing

/// Strategic merge patch against KubeAPI's schemas: one table row per directive and per list strategy
/// (containers / env / volumes by name, ports by containerPort, tolerations replaced, primitive sets),
/// plus the malformed patches upstream rejects.
@Suite struct StrategicMergePatchTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The Swift type name of the kind (`Pod`, `Deployment`), or nil for no schema.
        var kind: String?
        var current: String
        var patch: String
        var expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "maps merge recursively and null deletes", kind: "ConfigMap",
             current: #"{"metadata":{"name":"a","labels":{"x":"1","y":"2"}},"data":{"a":"1","b":"2"}}"#,
             patch: #"{"metadata":{"labels":{"y":null,"z":"3"}},"data":{"a":null,"c":"3"}}"#,
             expected: #"{"metadata":{"name":"a","labels":{"x":"1","z":"3"}},"data":{"b":"2","c":"3"}}"#),
        Case(name: "kubectl apply patch updates only the image of container c", kind: "Deployment",
             current: #"{"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.25","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"}]}]}}}}"#,
             patch: #"{"spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"c"}],"containers":[{"image":"nginx:1.26","name":"c"}]}}}}"#,
             expected: #"{"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"c","image":"nginx:1.26","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"}]}]}}}}"#),
        Case(name: "containers merge by name; new ones follow the patched live ones", kind: "Pod",
             current: #"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}"#,
             patch: #"{"spec":{"containers":[{"name":"b","image":"y2"},{"name":"c","image":"z"}]}}"#,
             expected: #"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y2"},{"name":"c","image":"z"}]}}"#),
        Case(name: "env merges by name", kind: "Pod",
             current: #"{"spec":{"containers":[{"name":"c","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}"#,
             patch: #"{"spec":{"containers":[{"name":"c","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}"#,
             expected: #"{"spec":{"containers":[{"name":"c","env":[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}"#),
        Case(name: "ports merge by containerPort (new patch entries before later live ones, as upstream)", kind: "Pod",
             current: #"{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]}}"#,
             patch: #"{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":8080}]}]}}"#,
             expected: #"{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http","protocol":"TCP"},{"containerPort":8080},{"containerPort":443}]}]}}"#),
        Case(name: "tolerations (no patch strategy) are replaced", kind: "Pod",
             current: #"{"spec":{"tolerations":[{"key":"a","operator":"Exists"},{"key":"b","operator":"Exists"}]}}"#,
             patch: #"{"spec":{"tolerations":[{"key":"c","operator":"Exists"}]}}"#,
             expected: #"{"spec":{"tolerations":[{"key":"c","operator":"Exists"}]}}"#),
        Case(name: "$patch: delete removes one container by key", kind: "Pod",
             current: #"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}"#,
             patch: #"{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}"#,
             expected: #"{"spec":{"containers":[{"name":"b","image":"y"}]}}"#),
        Case(name: "$retainKeys: switching RollingUpdate to Recreate drops rollingUpdate", kind: "Deployment",
             current: #"{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}}}"#,
             patch: #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"#,
             expected: #"{"spec":{"strategy":{"type":"Recreate"}}}"#),
        Case(name: "$patch: replace on a map replaces it", kind: "ConfigMap",
             current: #"{"metadata":{"labels":{"x":"1","y":"2"}}}"#,
             patch: #"{"metadata":{"labels":{"$patch":"replace","only":"this"}}}"#,
             expected: #"{"metadata":{"labels":{"only":"this"}}}"#),
        Case(name: "$patch: replace in a merging list replaces the list", kind: "Pod",
             current: #"{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}"#,
             patch: #"{"spec":{"containers":[{"$patch":"replace"},{"name":"e","image":"z"}]}}"#,
             expected: #"{"spec":{"containers":[{"name":"e","image":"z"}]}}"#),
        Case(name: "$patch: merge on a map merges", kind: "ConfigMap",
             current: #"{"metadata":{"labels":{"x":"1"}}}"#,
             patch: #"{"metadata":{"labels":{"$patch":"merge","y":"2"}}}"#,
             expected: #"{"metadata":{"labels":{"x":"1","y":"2"}}}"#),
        Case(name: "$setElementOrder reorders; entries not named stay after", kind: "Pod",
             current: #"{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"x"}]}}"#,
             patch: #"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}"#,
             expected: #"{"spec":{"containers":[{"name":"b"},{"name":"a"},{"name":"x"}]}}"#),
        Case(name: "$setElementOrder with an added and a deleted entry (kubectl apply)", kind: "Pod",
             current: #"{"spec":{"containers":[{"name":"c","image":"x"},{"name":"old","image":"y"}]}}"#,
             patch: #"{"spec":{"$setElementOrder/containers":[{"name":"n"},{"name":"c"}],"containers":[{"name":"n","image":"z"},{"name":"old","$patch":"delete"}]}}"#,
             expected: #"{"spec":{"containers":[{"name":"n","image":"z"},{"name":"c","image":"x"}]}}"#),
        Case(name: "$deleteFromPrimitiveList removes values", kind: "ConfigMap",
             current: #"{"metadata":{"finalizers":["a","b","c"]}}"#,
             patch: #"{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}"#,
             expected: #"{"metadata":{"finalizers":["a","c"]}}"#),
        Case(name: "merging primitive lists take the union", kind: "ConfigMap",
             current: #"{"metadata":{"finalizers":["a","b"]}}"#,
             patch: #"{"metadata":{"finalizers":["b","c"]}}"#,
             expected: #"{"metadata":{"finalizers":["a","b","c"]}}"#),
        Case(name: "primitive lists without merge strategy are replaced", kind: "Pod",
             current: #"{"spec":{"containers":[{"name":"c","args":["a","b"]}]}}"#,
             patch: #"{"spec":{"containers":[{"name":"c","args":["z"]}]}}"#,
             expected: #"{"spec":{"containers":[{"name":"c","args":["z"]}]}}"#),
        Case(name: "ownerReferences merge by uid", kind: "ConfigMap",
             current: #"{"metadata":{"ownerReferences":[{"uid":"1","name":"a"},{"uid":"2","name":"b"}]}}"#,
             patch: #"{"metadata":{"ownerReferences":[{"uid":"2","name":"b2"}]}}"#,
             expected: #"{"metadata":{"ownerReferences":[{"uid":"1","name":"a"},{"uid":"2","name":"b2"}]}}"#),
        Case(name: "volumes merge by name; a patch naming no live entry puts its new ones first (upstream order)",
             kind: "Pod",
             current: #"{"spec":{"volumes":[{"name":"v","emptyDir":{}}]}}"#,
             patch: #"{"spec":{"volumes":[{"name":"w","configMap":{"name":"cm"}}]}}"#,
             expected: #"{"spec":{"volumes":[{"name":"w","configMap":{"name":"cm"}},{"name":"v","emptyDir":{}}]}}"#),
        Case(name: "$setElementOrder places new entries where kubectl says", kind: "Pod",
             current: #"{"spec":{"volumes":[{"name":"v","emptyDir":{}}]}}"#,
             patch: #"{"spec":{"$setElementOrder/volumes":[{"name":"v"},{"name":"w"}],"volumes":[{"name":"w","emptyDir":{}}]}}"#,
             expected: #"{"spec":{"volumes":[{"name":"v","emptyDir":{}},{"name":"w","emptyDir":{}}]}}"#),
        Case(name: "a list the live object lacks is taken with its directives consumed", kind: "Pod",
             current: #"{"spec":{"containers":[{"name":"c"}]}}"#,
             patch: #"{"spec":{"initContainers":[{"name":"i","image":"x","env":null},{"name":"j","$patch":"delete"}]}}"#,
             expected: #"{"spec":{"containers":[{"name":"c"}],"initContainers":[{"name":"i","image":"x"}]}}"#),
        Case(name: "without a schema, lists are replaced (JSON merge patch)", kind: nil,
             current: #"{"spec":{"containers":[{"name":"a"},{"name":"b"}],"keep":1}}"#,
             patch: #"{"spec":{"containers":[{"name":"b","image":"y"}],"keep":null,"new":{"x":1}}}"#,
             expected: #"{"spec":{"containers":[{"name":"b","image":"y"}],"new":{"x":1}}}"#),
        Case(name: "an unknown field merges like JSON merge patch", kind: "Pod",
             current: #"{"spec":{"extra":{"list":[{"name":"a"}],"m":{"a":1}}}}"#,
             patch: #"{"spec":{"extra":{"list":[{"name":"b"}],"m":{"b":2}}}}"#,
             expected: #"{"spec":{"extra":{"list":[{"name":"b"}],"m":{"a":1,"b":2}}}}"#),
    ]

    private static func json(_ text: String) throws -> JSONValue {
        try JSONValueParser.parse(Array(text.utf8))
    }

    @Test(arguments: cases)
    func appliesPatch(_ testCase: Case) throws {
        let schema = testCase.kind.flatMap { APIRegistry.schema(named: $0) }
        if testCase.kind != nil { #expect(schema != nil, "no schema \(testCase.kind ?? "")") }
        let result = try StrategicMergePatch.apply(
            try Self.json(testCase.patch), to: try Self.json(testCase.current), schema: schema)
        let expected = try Self.json(testCase.expected)
        #expect(result == expected, """
            \(testCase.name)
              got      \(String(decoding: result.jsonBytes, as: UTF8.self))
              expected \(String(decoding: expected.jsonBytes, as: UTF8.self))
            """)
    }

    static let malformed: [Case] = [
        Case(name: "merge-list element without its merge key", kind: "Pod", current: #"{"spec":{"containers":[{"name":"a"}]}}"#,
             patch: #"{"spec":{"containers":[{"image":"x"}]}}"#, expected: ""),
        Case(name: "unknown $patch value", kind: "ConfigMap", current: "{}",
             patch: #"{"metadata":{"labels":{"$patch":"bogus"}}}"#, expected: ""),
        Case(name: "patch key missing from $retainKeys", kind: "Deployment", current: "{}",
             patch: #"{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":{}}}}"#, expected: ""),
        Case(name: "patch list out of $setElementOrder order", kind: "Pod", current: "{}",
             patch: #"{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"b"},{"name":"a"}]}}"#,
             expected: ""),
        Case(name: "not an object", kind: "Pod", current: "{}", patch: "[1]", expected: ""),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedPatch(_ testCase: Case) throws {
        let schema = testCase.kind.flatMap { APIRegistry.schema(named: $0) }
        #expect(throws: APIError.self) {
            try StrategicMergePatch.apply(try Self.json(testCase.patch), to: try Self.json(testCase.current),
                                          schema: schema)
        }
    }

    @Test func servedResourcesFindTheirKindSchema() {
        let deployments = BuiltinResources.catalog().resource(group: "apps", version: "v1", plural: "deployments")
        #expect(deployments.flatMap { StrategicMergePatch.schema(for: $0) }?.openAPIName == "io.k8s.api.apps.v1.Deployment")
    }
}
