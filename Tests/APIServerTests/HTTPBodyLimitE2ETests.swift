import Foundation
import Testing

/// Over real HTTP: bodies above 3 MiB are refused with upstream's 413 Status and store nothing; a body just
/// under the limit reaches the handler (and is then judged on its content).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "needs curl"))
struct HTTPBodyLimitE2ETests {
    static func configMap(name: String, payloadBytes: Int) -> Data {
        Data(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"},"data":{"k":"\#(String(repeating: "x", count: payloadBytes))"}}"#.utf8)
    }

    @Test func oversizedBodiesAre413() async throws {
        try await withSwiftletServer { server in
            let curl = Curl(server: server)
            let huge = try await curl.send("POST", "/api/v1/namespaces/default/configmaps",
                                           body: Self.configMap(name: "huge", payloadBytes: 3 * 1024 * 1024),
                                           contentType: "application/json")
            #expect(huge.status == 413, "\(huge.body)")
            #expect(huge.body.contains(#""reason":"RequestEntityTooLarge""#), "\(huge.body)")
            #expect(huge.body.contains("Request entity too large: limit is 3145728"), "\(huge.body)")
            // 2 MiB passes the HTTP limit and then exceeds the store's 1.5 MiB object limit: still a clean error.
            let large = try await curl.send("POST", "/api/v1/namespaces/default/configmaps",
                                            body: Self.configMap(name: "large", payloadBytes: 2 * 1024 * 1024),
                                            contentType: "application/json")
            #expect((400..<500).contains(large.status), "\(large.status) \(large.body)")
            #expect(large.body.contains(#""kind":"Status""#), "\(large.body)")
            let kubectl = try Kubectl(server: server)
            let names = try await kubectl.ok(["get", "cm", "--field-selector", "metadata.name!=kube-root-ca.crt", "-o", "name"])
            #expect(names == "", "\(names)")
        }
    }
}
