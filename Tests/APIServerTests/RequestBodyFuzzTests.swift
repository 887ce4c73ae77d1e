@testable import APIServer
import KubeCore
import Testing

/// Mutated request bodies (JSON for create, update and every patch type; protobuf for create) against the
/// handler: every reply is a success or an upstream-shaped 4xx `Status` whose `code` matches the HTTP status —
/// never a 5xx — and the store holds exactly the objects whose creates succeeded.
struct RequestBodyFuzzTests {

    static let fragments: [[UInt8]] = [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1", "1e999", "\\u0000", "\\ud800", "\u{FEFF}",
        "{\"$patch\":\"delete\"}", "\"metadata\":{}", "99999999999999999999", "\"\"", "[[[[", "\u{7F}", "\\",
    ].map { Array($0.utf8) }

    /// One random edit: flip a byte, cut, duplicate a slice, or insert a JSON-ish fragment.
    static func mutate(_ input: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { return fragments.randomElement(using: &rng)! }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes = Array(bytes[..<at])
            case 2:
                let end = min(bytes.count, at + Int.random(in: 1...16, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            case 3: bytes.insert(contentsOf: fragments.randomElement(using: &rng)!, at: at)
            default: bytes.remove(at: at)
            }
        }
        return bytes
    }

    static let seeds: [(path: String, body: String)] = [
        ("/api/v1/namespaces/default/configmaps",
         #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"b"}},"data":{"k":"v"}}"#),
        ("/api/v1/namespaces/default/pods", #"""
         {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i",
          "ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"500m","memory":"1Gi"}},
          "livenessProbe":{"httpGet":{"path":"/","port":"http"}}}],"tolerations":[{"key":"k","operator":"Exists"}]}}
         """#),
        ("/apis/apps/v1/namespaces/default/deployments", #"""
         {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2,
          "selector":{"matchLabels":{"app":"d"}},"strategy":{"rollingUpdate":{"maxSurge":"50%"}},
          "template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
         """#),
        ("/api/v1/namespaces/default/services",
         #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":80,"targetPort":8080}]}}"#),
    ]

    /// The index just past the first occurrence of `needle` in `bytes`.
    static func end(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
            return start + needle.count
        }
        return nil
    }

    static func checkShape(_ reply: InProcessAPI.Reply, _ context: String) {
        #expect(reply.status < 500, "\(context): \(reply.text)")
        if reply.status >= 400 {
            #expect(reply.body["kind"]?.stringValue == "Status", "\(context): \(reply.text)")
            #expect(reply.body["status"]?.stringValue == "Failure", "\(context): \(reply.text)")
            #expect(reply.body["code"]?.integerValue == Int64(reply.status), "\(context): \(reply.text)")
            let message = reply.body["message"]?.stringValue ?? ""
            #expect(message.count > 0, "\(context): \(reply.text)")
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func mutatedCreatesAreAcceptedOrRejectedCleanly(seed: UInt64) async throws {
        let api = try await InProcessAPI()
        var rng = SeededGenerator(state: seed)
        var outcomes = Set<Int>()
        for (path, body) in Self.seeds {
            var created = 0
            for round in 0..<150 {
                var bytes = Self.mutate(Array(body.utf8), using: &rng)
                // Give each candidate its own name so successes are countable.
                if let offset = Self.end(of: Array(#""name":""#.utf8), in: bytes) {
                    bytes.insert(contentsOf: Array("r\(round)-".utf8), at: offset)
                }
                let reply = try await api.send("POST", path, json: String(decoding: bytes, as: UTF8.self))
                Self.checkShape(reply, "seed \(seed) round \(round) \(path) body \(String(decoding: bytes, as: UTF8.self))")
                if reply.status == 201 { created += 1 }
                outcomes.insert(reply.status)
            }
            let list = try await api.ok("GET", path)
            guard case .array(let items)? = list["items"] else {
                Issue.record("no items in \(list)")
                continue
            }
            #expect(items.count == created, "\(path): \(items.count) stored, \(created) created")
        }
        // The mutations reach past the JSON parser: some bodies are stored, others fail decoding or validation.
        #expect(outcomes.isSuperset(of: [201, 400, 422]), "\(outcomes.sorted())")
    }

    @Test(arguments: [UInt64(7), 8])
    func mutatedUpdatesAndPatchesNeverCorruptTheObject(seed: UInt64) async throws {
        let api = try await InProcessAPI()
        var rng = SeededGenerator(state: seed)
        let (path, body) = Self.seeds[2]
        try await api.ok("POST", path, json: body)
        let patches: [(String, String)] = [
            ("application/merge-patch+json", #"{"spec":{"replicas":3,"template":{"metadata":{"labels":{"x":"y"}}}}}"#),
            ("application/strategic-merge-patch+json",
             #"{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"j"},{"$patch":"delete","name":"z"}]}}}}"#),
            ("application/json-patch+json", #"[{"op":"replace","path":"/spec/replicas","value":4},{"op":"add","path":"/metadata/labels","value":{"a":"b"}}]"#),
        ]
        for round in 0..<200 {
            let (contentType, patch) = patches[round % patches.count]
            let mutated = String(decoding: Self.mutate(Array(patch.utf8), using: &rng), as: UTF8.self)
            let reply = try await api.send("PATCH", path + "/d", json: mutated, contentType: contentType)
            Self.checkShape(reply, "seed \(seed) round \(round) \(contentType) \(mutated)")
            let current = try await api.ok("GET", path + "/d")
            var replacement = current.jsonBytes
            replacement = Self.mutate(replacement, using: &rng)
            let put = try await api.send("PUT", path + "/d", json: String(decoding: replacement, as: UTF8.self))
            Self.checkShape(put, "seed \(seed) round \(round) PUT")
            // Whatever was accepted, the stored object still decodes and validates as a Deployment.
            let stored = try await api.ok("GET", path + "/d")
            #expect(stored["kind"]?.stringValue == "Deployment")
            #expect(stored["spec"]?["template"]?["spec"]?["containers"]?[0] != nil, "\(stored)")
        }
    }

    @Test func mutatedProtobufCreatesAreRejectedCleanly() async throws {
        let api = try await InProcessAPI()
        var rng = SeededGenerator(state: 42)
        let configMap: JSONValue = [
            "metadata": ["name": "pb", "labels": ["a": "b"]], "data": ["k": "v"], "binaryData": ["b": "AAEC"],
        ]
        let raw = try ProtobufTestEncoder(writeEmptyFields: true).encode(configMap, typeName: "ConfigMap")
        let envelope = ProtobufTestEncoder.envelope(apiVersion: "v1", kind: "ConfigMap", raw: raw)
        var created = 0
        for round in 0..<400 {
            let bytes = Self.mutate(envelope, using: &rng)
            let request = APIRequest(method: "POST", path: "/api/v1/namespaces/default/configmaps",
                                     headers: ["content-type": ProtobufRequestBody.mediaType], body: bytes)
            let response = await api.handler.handle(request)
            guard case .bytes(let body) = response.body else {
                Issue.record("streamed reply")
                continue
            }
            let reply = InProcessAPI.Reply(status: response.status, body: (try? JSONValueParser.parse(body)) ?? .null,
                                           text: String(decoding: body, as: UTF8.self))
            Self.checkShape(reply, "round \(round)")
            if reply.status == 201 { created += 1 }
            if reply.status == 201 || reply.status == 409 {
                // Free the name again so later successes are counted too.
                if reply.status == 201, let name = reply.body["metadata"]?["name"]?.stringValue {
                    try await api.ok("DELETE", "/api/v1/namespaces/default/configmaps/\(name)")
                    created -= 1
                }
            }
        }
        let list = try await api.ok("GET", "/api/v1/namespaces/default/configmaps")
        if case .array(let items)? = list["items"] {
            #expect(items.count == created)
        } else {
            Issue.record("no items in \(list)")
        }
    }
}
