@testable import APIServer
import Foundation
import KubeAPI
import KubeCore
import KubeStorage
import Logging
import Testing

/// Protobuf request bodies (kubectl's typed commands): the envelope, schema-driven decoding into the JSON
/// tree, gogo-style empty fields, embedded Go structs, round trips through a schema-driven test encoder,
/// the handler glue, and a fuzz test that malformed input only ever yields 400s.
@Suite struct ProtobufDecodingTests {
    private static func decode(_ body: [UInt8], group: String = "", kind: String) throws(APIError) -> JSONValue {
        try ProtobufRequestBody.decode(body, group: group, version: "v1", kind: kind)
    }

    private static func json(_ text: String) throws -> JSONValue {
        try JSONValueParser.parse(Array(text.utf8))
    }

    private static func text(_ value: JSONValue) -> String {
        String(decoding: JSONValueWriter.bytes(value), as: UTF8.self)
    }

    // MARK: Wire examples

    /// The exact bytes of `kubectl create configmap pbx --from-literal=k=v` (kubectl-compat.md §0).
    static let configMapHex = """
        6b387300 0a0f 0a02 7631 1209 436f6e6669674d6170
        121d 0a13 0a03 706278 1200 1a00 2200 2a00 3200 3800 4200 1206 0a01 6b 1201 76
        1a00 2200
        """

    @Test func kubectlConfigMapBytesDecode() throws {
        let object = try Self.decode(PB.hex(Self.configMapHex), kind: "ConfigMap")
        #expect(object == (try Self.json(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"pbx"},"data":{"k":"v"}}"#)))
    }

    @Test func envelopeFieldsAreRead() throws {
        let envelope = try ProtobufEnvelope(decoding: PB.hex(Self.configMapHex))
        #expect(envelope.apiVersion == "v1")
        #expect(envelope.kind == "ConfigMap")
        #expect(envelope.raw.count == 29)
        #expect(envelope.contentEncoding.isEmpty && envelope.contentType.isEmpty)
    }

    @Test func secretBytesBecomeBase64() throws {
        let raw = PB.message(1, PB.string(1, "s"), PB.string(3, ""), PB.bytes(8, []))
            + PB.bytes(2, PB.string(1, "p") + PB.bytes(2, Array("q".utf8)))
            + PB.bytes(2, PB.string(1, "bin") + PB.bytes(2, [0x00, 0xFF, 0x10]))
            + PB.string(3, "Opaque")
        let object = try Self.decode(ProtobufTestEncoder.envelope(apiVersion: "v1", kind: "Secret", raw: raw), kind: "Secret")
        #expect(object == (try Self.json("""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"p":"cQ==","bin":"AP8Q"},"type":"Opaque"}
            """)))
    }

    @Test func namespaceKeepsItsEmptyStructs() throws {
        let raw = PB.message(1, PB.string(1, "team"), PB.string(2, ""), PB.varint(7, 0)) + PB.bytes(2, []) + PB.bytes(3, [])
        let object = try Self.decode(ProtobufTestEncoder.envelope(apiVersion: "v1", kind: "Namespace", raw: raw), kind: "Namespace")
        #expect(object == (try Self.json(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team"},"spec":{},"status":{}}"#)))
    }

    @Test func deploymentWithContainerReplicasSelectorAndStrategy() throws {
        let labels = PB.entry(11, "app", "web")
        let container = PB.message(
            2, PB.string(1, "nginx"), PB.string(2, "nginx:1.27"), PB.string(5, ""),
            PB.message(6, PB.string(1, ""), PB.varint(2, 0), PB.varint(3, 80), PB.string(4, "TCP")),
            PB.bytes(8, []), PB.varint(16, 0), PB.varint(99, 7))
        let raw = PB.message(1, PB.string(1, "web"), PB.string(3, ""), labels)
            + PB.message(
                2, PB.varint(1, 3), PB.message(2, PB.entry(1, "app", "web")),
                PB.message(3, PB.message(1, labels), PB.message(2, container, PB.string(8, ""), PB.string(6, ""))),
                PB.message(4, PB.string(1, "RollingUpdate"),
                           PB.message(2, PB.message(1, PB.varint(1, 1), PB.varint(2, 0), PB.string(3, "25%")),
                                      PB.message(2, PB.varint(1, 0), PB.varint(2, 1), PB.string(3, "")))),
                PB.varint(5, 0), PB.varint(7, 0))
            + PB.bytes(3, [])
        let body = ProtobufTestEncoder.envelope(apiVersion: "apps/v1", kind: "Deployment", raw: raw)
        let object = try Self.decode(body, group: "apps", kind: "Deployment")
        #expect(object == (try Self.json("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
                 {"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{}}]}},
               "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":1}}},
             "status":{}}
            """)), "\(Self.text(object))")
        var decoder = SchemaProtobufDecoder()
        _ = try decoder.decode(try ProtobufEnvelope(decoding: body).raw, typeName: "Deployment")
        #expect(decoder.unknownFieldCount == 1)
    }

    @Test func negativeInt32IsATenByteVarintAndPackedScalarsAreAccepted() throws {
        let securityContext = PB.varint(2, -1) + PB.bytes(4, PB.rawVarint(5) + PB.rawVarint(6)) + PB.varint(4, 7)
        let spec = PB.message(2, PB.string(1, "c")) + PB.message(14, securityContext) + PB.varint(4, -30)
        #expect(PB.varint(4, -30).count == 11)
        var decoder = SchemaProtobufDecoder()
        let object = try decoder.decode(spec, typeName: "PodSpec")
        #expect(object["terminationGracePeriodSeconds"] == -30)
        #expect(object["securityContext"]?["runAsUser"] == -1)
        #expect(object["securityContext"]?["supplementalGroups"] == [5, 6, 7])
    }

    @Test func timesDecodeLikeGo() throws {
        let meta = PB.string(1, "x") + PB.message(8, PB.varint(1, 1_700_000_000), PB.varint(2, 999))
            + PB.bytes(9, [])
        var decoder = SchemaProtobufDecoder()
        let object = try decoder.decode(meta, typeName: "ObjectMeta")
        #expect(object == (try Self.json(#"{"name":"x","creationTimestamp":"2023-11-14T22:13:20Z"}"#)))
        let lease = PB.message(2, PB.message(4, PB.varint(1, 1_700_000_000), PB.varint(2, 123_456_789)))
        let renew = try decoder.decode(lease, typeName: "Lease")["spec"]?["renewTime"]
        #expect(renew == "2023-11-14T22:13:20.123456Z")
    }

    // MARK: Round trips through the schema-driven encoder

    static let roundTripObjects: [(typeName: String, json: String)] = [
        ("ConfigMap", #"{"metadata":{"name":"c","namespace":"ns","labels":{"a":"b"},"annotations":{"x":"y"},"finalizers":["f"]},"data":{"k":"v","e":""},"binaryData":{"b":"AQI="},"immutable":false}"#),
        ("Service", #"{"metadata":{"name":"svc"},"spec":{"type":"ClusterIP","selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"},{"name":"named","port":81,"targetPort":"web"}]},"status":{}}"#),
        ("Job", #"{"metadata":{"name":"j","ownerReferences":[{"apiVersion":"batch/v1","kind":"CronJob","name":"cj","uid":"u-1","controller":true}]},"spec":{"backoffLimit":4,"template":{"metadata":{},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox","command":["sh","-c","echo hi"],"env":[{"name":"A","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k","optional":true}}}],"envFrom":[{"secretRef":{"name":"s"}}],"resources":{"limits":{"cpu":"500m","memory":"64Mi"}},"livenessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":5},"volumeMounts":[{"name":"v","mountPath":"/v"}]}],"volumes":[{"name":"v","configMap":{"name":"cm","items":[{"key":"k","path":"p"}],"defaultMode":420}},{"name":"e","emptyDir":{"sizeLimit":"1Gi"}}]}}},"status":{}}"#),
        ("ObjectMeta", #"{"name":"m","creationTimestamp":"2024-01-02T03:04:05Z","managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2024-01-02T03:04:05Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:k":{}}}}]}"#),
        ("Lease", #"{"metadata":{"name":"l"},"spec":{"holderIdentity":"me","leaseDurationSeconds":15,"renewTime":"2024-01-02T03:04:05.678901Z"}}"#),
        ("PodDisruptionBudget", #"{"metadata":{"name":"p"},"spec":{"minAvailable":"50%","selector":{"matchExpressions":[{"key":"app","operator":"In","values":["a","b"]}]}},"status":{"currentHealthy":0,"desiredHealthy":0,"disruptionsAllowed":0,"expectedPods":0}}"#),
    ]

    @Test(arguments: 0..<roundTripObjects.count)
    func roundTripsThroughTheEncoder(index: Int) throws {
        let (typeName, text) = Self.roundTripObjects[index]
        let original = try Self.json(text)
        for packed in [false, true] {
            let bytes = try ProtobufTestEncoder(packRepeatedScalars: packed).encode(original, typeName: typeName)
            var decoder = SchemaProtobufDecoder()
            #expect(try decoder.decode(bytes, typeName: typeName) == original, "\(typeName), packed: \(packed)")
        }
    }

    @Test func gogoStyleEmptyFieldsDecodeToTheJSONKubectlWouldSend() throws {
        let original = try Self.json(#"{"metadata":{"name":"c","labels":{"a":"b"}},"data":{"k":"v"}}"#)
        let bytes = try ProtobufTestEncoder(writeEmptyFields: true).encode(original, typeName: "ConfigMap")
        #expect(bytes.count > (try ProtobufTestEncoder().encode(original, typeName: "ConfigMap")).count)
        var decoder = SchemaProtobufDecoder()
        #expect(try decoder.decode(bytes, typeName: "ConfigMap") == original)
    }

    // MARK: Errors and the handler glue

    @Test func malformedBodiesAre400s() throws {
        let cases: [[UInt8]] = [
            [], [0x6B, 0x38, 0x73], Array("{\"kind\":\"ConfigMap\"}".utf8),
            ProtobufEnvelope.magic + [0x12, 0x05, 0x0A],
            ProtobufEnvelope.magic + PB.bytes(2, PB.varint(1, 1)),
            ProtobufEnvelope.magic + PB.bytes(2, [0x0A, 0x80]),
            ProtobufEnvelope.magic + PB.bytes(2, [0x00]),
            ProtobufEnvelope.magic + PB.bytes(2, [0x0F, 0x00]),
            ProtobufEnvelope.magic + PB.bytes(2, PB.rawVarint(UInt64.max) + [0x01]),
            ProtobufEnvelope.magic + PB.string(3, "gzip"),
        ]
        for body in cases {
            #expect(throws: APIError.self) { try Self.decode(body, kind: "ConfigMap") }
            do {
                _ = try Self.decode(body, kind: "ConfigMap")
            } catch {
                #expect(error.httpStatusCode == 400)
                #expect(error.status.message.hasPrefix("error decoding protobuf body: "), "\(error.status.message)")
            }
        }
    }

    @Test func handlerCreatesFromProtobufAndRejectsGarbageWith400() async throws {
        let handler = APIHandler(catalog: BuiltinResources.catalog(), store: MemoryStore(), logger: Logger(label: "test.pb"))
        try await handler.bootstrap()
        func post(_ body: [UInt8]) async -> APIResponse {
            await handler.handle(APIRequest(
                method: "POST", path: "/api/v1/namespaces/default/configmaps",
                headers: ["content-type": "application/vnd.kubernetes.protobuf"], body: body))
        }
        let created = await post(PB.hex(Self.configMapHex))
        #expect(created.status == 201)
        guard case .bytes(let bytes) = created.body else { Issue.record("streamed"); return }
        let object = try JSONValueParser.parse(bytes)
        #expect(object["data"] == ["k": "v"])
        #expect(object["metadata"]?["namespace"] == "default")
        #expect(await post(Array(PB.hex(Self.configMapHex).dropLast(5))).status == 400)
    }

    // MARK: Fuzz


    @Test func fuzzedBodiesOnlyEverFailWith400() throws {
        var random = SeededGenerator(state: 0x5EED)
        let kinds = [("", "ConfigMap"), ("", "Secret"), ("", "Namespace"), ("apps", "Deployment"), ("", "Service"),
                     ("batch", "Job"), ("", "Pod"), ("coordination.k8s.io", "Lease")]
        let valid: [[UInt8]] = [PB.hex(Self.configMapHex)] + (try Self.roundTripObjects.map { typeName, text in
            let raw = try ProtobufTestEncoder(writeEmptyFields: true).encode(try Self.json(text), typeName: typeName)
            return ProtobufTestEncoder.envelope(apiVersion: "v1", kind: typeName, raw: raw)
        })
        var failures = 0
        for round in 0..<5_000 {
            var body: [UInt8]
            switch round % 4 {
            case 0: body = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1: body = ProtobufEnvelope.magic + (0..<Int.random(in: 0...96, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 2:
                let source = valid.randomElement(using: &random)!
                body = Array(source.prefix(Int.random(in: 0...source.count, using: &random)))
            default:
                body = valid.randomElement(using: &random)!
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    body[Int.random(in: 4..<body.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            let (group, kind) = kinds.randomElement(using: &random)!
            do {
                _ = try ProtobufRequestBody.decode(body, group: group, version: "v1", kind: kind)
            } catch {
                failures += 1
                #expect(error.httpStatusCode == 400, "round \(round): \(error.status.message)")
            }
        }
        #expect(failures > 2_500, "most fuzzed bodies should be rejected, only \(failures) were")
    }
}
