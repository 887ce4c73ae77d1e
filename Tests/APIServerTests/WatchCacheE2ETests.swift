import Foundation
import Testing

/// Lists and watches through the watch cache with the real kubectl: paged lists (first page from the cache,
/// later pages from the store), selectors, and a watch resumed from a resourceVersion.
@Suite struct WatchCacheE2ETests {
    @Test func pagedListsSelectorsAndResumedWatches() async throws {
        try await withSwiftletServer { server in
            let kubectl = try Kubectl(server: server)
            for index in 1...5 {
                _ = try await kubectl.ok(["create", "cm", "c\(index)", "--from-literal=k=v\(index)"])
            }
            _ = try await kubectl.ok(["label", "cm", "c2", "c4", "app=web"])
            let paged = try await kubectl.ok(["get", "cm", "--chunk-size=2", "-o", "name"])
            // Every namespace also holds the published cluster CA, kube-root-ca.crt.
            #expect(paged.split(separator: "\n").map(String.init) == (1...5).map { "configmap/c\($0)" } + ["configmap/kube-root-ca.crt"])
            let table = try await kubectl.ok(["get", "cm", "--chunk-size=2"])
            #expect((1...5).allSatisfy { table.contains("c\($0) ") })
            let selected = try await kubectl.ok(["get", "cm", "-l", "app=web", "--chunk-size=1", "-o", "name"])
            #expect(selected.split(separator: "\n").map(String.init) == ["configmap/c2", "configmap/c4"])
            let byField = try await kubectl.ok(["get", "cm", "--field-selector", "metadata.name!=c1", "-o", "name"])
            #expect(byField.split(separator: "\n").count == 5)
            #expect(!byField.contains("configmap/c1\n"))

            let listed = try await kubectl.ok(["get", "--raw", "/api/v1/namespaces/default/configmaps"])
            let rv = try #require(Self.listResourceVersion(listed))
            _ = try await kubectl.ok(["label", "cm", "c1", "app=web"])
            _ = try await kubectl.ok(["delete", "cm", "c3"])
            let events = try await kubectl.ok([
                "get", "--raw",
                "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&resourceVersion=\(rv)",
            ])
            let lines = events.split(separator: "\n")
            #expect(lines.count == 2, "\(events)")
            #expect(lines.first?.contains(#""type":"MODIFIED""#) == true)
            #expect(lines.last?.contains(#""type":"DELETED""#) == true)
            #expect(lines.allSatisfy { $0.contains(#""resourceVersion":""#) })
            let web = try await kubectl.ok([
                "get", "--raw",
                "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&labelSelector=app%3Dweb",
            ])
            #expect(web.split(separator: "\n").count == 3, "\(web)")
        }
    }

    static func listResourceVersion(_ json: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let metadata = object["metadata"] as? [String: Any] else { return nil }
        return metadata["resourceVersion"] as? String
    }
}
