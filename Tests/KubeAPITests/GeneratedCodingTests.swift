import Foundation
@testable import KubeAPI
import KubeCore
import Testing

/// Go `encoding/json` behaviour of generated code, on the fixture types of
/// scripts/generate-api-fixture.yaml (Generated/FixtureTypes.swift) and on ConfigMap.
@Suite struct GeneratedCodingTests {
    @Test func configMapRoundTripsRealisticJSON() throws {
        let json = """
            {"binaryData":{"logo":"iVBORw0KGgo="},"data":{"game.properties":"lives=3\\nenemies=aliens\\n","ui":"color=blue"},\
            "immutable":true,"metadata":{"creationTimestamp":"2024-01-02T03:04:05Z","labels":{"app":"game"},\
            "name":"game-config","namespace":"default","resourceVersion":"12","uid":"0b4b7e42-8f6a-4e9a-9d4b-2b7d3f0c9e11"}}
            """
        let (reencoded, configMap) = try TestJSON.roundTrip(ConfigMap.self, TestJSON.data(json))
        #expect(reencoded == (try TestJSON.value(TestJSON.data(json))))
        #expect(configMap.metadata.name == "game-config")
        #expect(configMap.data["ui"] == "color=blue")
        #expect(configMap.binaryData["logo"] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(configMap.immutable == true)
        #expect(TestJSON.string(try KubeJSON.encode(configMap)) == json)
    }

    @Test func zeroValuesFollowOmitEmpty() throws {
        // Empty strings, numbers, false, empty lists and maps, nil pointers: omitted. `always` fields,
        // structs (Quantity, IntOrString, JSON, nested types) and non-pointer times: present.
        let spec = TestJSON.string(try KubeJSON.encode(WidgetSpec()))
        #expect(spec == #"{"limit":"0","maybe":null,"mode":"","nested":{"name":""},"parts":[],"port":0,"raw":null,"startTime":null}"#)
        let widget = TestJSON.string(try KubeJSON.encode(Widget()))
        #expect(widget.hasPrefix(#"{"metadata":{"creationTimestamp":null},"spec":{"#))
        #expect(widget.hasSuffix(#""status":{}}"#))
        #expect(TestJSON.string(try KubeJSON.encode(Empty())) == "{}")
    }

    @Test func setPointersAreEncodedEvenWhenZero() throws {
        let spec = WidgetSpec(replicas: 0, config: .null, selector: LabelSelector(), maybe: 0, empty: Empty())
        let json = try TestJSON.value(KubeJSON.encode(spec))
        #expect(json["replicas"] == 0)
        #expect(json["config"] == .null)
        #expect(json["selector"] == [:])
        #expect(json["maybe"] == 0)
        #expect(json["empty"] == [:])
    }

    @Test func nullAndMissingDecodeAsZeroValues() throws {
        let json = """
            {"title":null,"replicas":null,"size":null,"enabled":null,"payload":null,"limit":null,"port":null,\
            "startTime":null,"config":null,"raw":null,"parts":[null],"tags":[null,"a"],"limits":{"cpu":null},\
            "blobs":{"a":null},"chunks":[null],"nested":null,"maybe":null,"matrix":[null]}
            """
        let spec = try KubeJSON.decode(WidgetSpec.self, from: TestJSON.data(json))
        var expected = WidgetSpec()
        expected.parts = [Part()]
        expected.tags = ["", "a"]
        expected.limits = ["cpu": Quantity(0)]
        expected.blobs = ["a": []]
        expected.chunks = [[]]
        expected.matrix = [[]]
        #expect(spec == expected)
        #expect(try KubeJSON.decode(WidgetSpec.self, from: TestJSON.data("{}")) == WidgetSpec())
    }

    @Test(arguments: [
        #"{"title":5}"#, #"{"replicas":"3"}"#, #"{"size":1.5}"#, #"{"enabled":"true"}"#, #"{"ratio":"x"}"#,
        #"{"parts":{}}"#, #"{"tags":"a"}"#, #"{"limits":[]}"#, #"{"payload":"not base64!"}"#, #"{"payload":"aGVsbG8"}"#,
        #"{"payload":[1,2]}"#, #"{"nested":[]}"#, #"{"startTime":"yesterday"}"#, #"{"limit":"12 apples"}"#,
        #"{"port":true}"#, #"{"selector":"app=x"}"#, #"{"parts":[{"name":1}]}"#, "[]",
    ])
    func wrongJSONTypesThrow(json: String) {
        #expect(throws: DecodingError.self) { try KubeJSON.decode(WidgetSpec.self, from: TestJSON.data(json)) }
    }

    @Test func emptyTypeRequiresAnObject() {
        #expect(throws: DecodingError.self) { try KubeJSON.decode(Empty.self, from: TestJSON.data("[]")) }
        #expect(throws: Never.self) { try KubeJSON.decode(Empty.self, from: TestJSON.data(#"{"x":1}"#)) }
    }

    @Test func bytesAreStandardBase64WithPadding() throws {
        let spec = WidgetSpec(payload: [0xFF, 0x00, 0x41], blobs: ["k": Array("hello".utf8)], chunks: [[0xFB, 0xFF]])
        let json = try TestJSON.value(KubeJSON.encode(spec))
        #expect(json["payload"] == "/wBB")
        #expect(json["blobs"] == ["k": "aGVsbG8="])
        #expect(json["chunks"] == ["+/8="])
        let decoded = try KubeJSON.decode(WidgetSpec.self, from: TestJSON.data(#"{"payload":"aGVs\nbG8=","chunks":["+/8="]}"#))
        #expect(decoded.payload == Array("hello".utf8))
        #expect(decoded.chunks == [[0xFB, 0xFF]])
    }

    @Test func keywordAndNonIdentifierFieldNames() throws {
        let json = """
            {"$ref":"#/definitions/x","default":"d","in":3,"internal":true,"limit":"0","maybe":null,"mode":"Fast",\
            "nested":{"name":""},"operator":"In","parts":[],"port":0,"protocol":"TCP","raw":null,"startTime":null,\
            "where":["here"],"x-kubernetes-embedded":true}
            """
        let spec = try KubeJSON.decode(WidgetSpec.self, from: TestJSON.data(json))
        #expect(spec.default == "d")
        #expect(spec.operator == "In")
        #expect(spec.protocol == "TCP")
        #expect(spec.internal == true)
        #expect(spec.where == ["here"])
        #expect(spec.in == 3)
        #expect(spec.ref == "#/definitions/x")
        #expect(spec.xKubernetesEmbedded == true)
        #expect(TestJSON.string(try KubeJSON.encode(spec)) == json)
    }

    @Test func timesAndQuantitiesUseTheirCanonicalText() throws {
        let json = #"{"limits":{"memory":"128Mi"},"renewTime":"2024-05-06T07:08:09.000001Z","startTime":"2024-05-06T07:08:09Z"}"#
        let spec = try KubeJSON.decode(WidgetSpec.self, from: TestJSON.data(json))
        #expect(spec.startTime == RFC3339Time(secondsSince1970: 1_714_979_289))
        #expect(spec.renewTime == MicroTime(microsecondsSince1970: 1_714_979_289_000_001))
        let encoded = try TestJSON.value(KubeJSON.encode(spec))
        #expect(encoded["startTime"] == "2024-05-06T07:08:09Z")
        #expect(encoded["renewTime"] == "2024-05-06T07:08:09.000001Z")
        #expect(encoded["limits"] == ["memory": "128Mi"])
    }

    @Test func resourceInfoComesFromTheResourceBlock() {
        let widget = Widget.resource
        #expect(widget.apiVersion == "fixtures.swiftlet.dev/v1")
        #expect(widget.kind == "Widget" && widget.listKind == "WidgetList")
        #expect(widget.groupVersionResource == GroupVersionResource(group: "fixtures.swiftlet.dev", version: "v1", resource: "widgets"))
        #expect(widget.namespaced && widget.shortNames == ["wd"] && widget.categories == ["all"])
        #expect(widget.verbs == ResourceInfo.standardVerbs)
        #expect(widget.subresource(named: "status")?.kind == "Widget")
        #expect(widget.subresource(named: "scale")?.groupVersionKind == GroupVersionKind(group: "autoscaling", version: "v1", kind: "Scale"))
        #expect(!Gadget.resource.namespaced)
        #expect(Gadget.resource.verbs == ["get", "list"])
        #expect(Gadget.resource.subresources.isEmpty)
    }

    @Test func schemaCarriesTheYAMLFacts() throws {
        let parts = try #require(WidgetSpec.typeSchema.field(named: "parts"))
        #expect(parts.type == .array(.object("Part")))
        #expect(parts.always && parts.required && !parts.pointer)
        #expect(parts.patchStrategy == "merge" && parts.patchMergeKey == "name")
        #expect(parts.listType == "map" && parts.listMapKeys == ["name"])
        #expect(parts.protoNumber == 14)
        #expect(WidgetSpec.typeSchema.field(named: "mode")?.enumValues == ["Fast", "Slow"])
        #expect(WidgetSpec.typeSchema.field(named: "$ref")?.type == .string)
        #expect(WidgetSpec.typeSchema.field(named: "blobs")?.type.description == "map[string]bytes")
        #expect(Part.typeSchema.structType == "atomic")
        #expect(Widget.typeSchema.openAPIName == "io.k8s.api.fixtures.v1.Widget")
        #expect(WidgetSpec.typeSchema.fields.map(\.name).prefix(3) == ["title", "replicas", "size"])
    }

    @Test func hooksDefaultToNoOps() {
        var widget = Widget(metadata: ObjectMeta(name: "w"))
        let before = widget
        widget.applyDefaults()
        #expect(widget == before)
        #expect(widget.validate(old: nil).isEmpty)
        #expect(widget.validate(old: before).isEmpty)
    }
}
