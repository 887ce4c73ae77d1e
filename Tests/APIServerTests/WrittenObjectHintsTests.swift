@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Testing

/// The watch cache takes the trees of objects the API server writes instead of parsing the watched bytes,
/// only when the bytes are the ones written.
@Suite struct WrittenObjectHintsTests {
    @Test func aHintIsTakenOnceAndOnlyForTheSameBytes() {
        let hints = WrittenObjectHints()
        let bytes = Array(#"{"a":1}"#.utf8)
        hints.remember(key: "/k", bytes: bytes, tree: ["a": 1])
        #expect(hints.take(key: "/k", bytes: bytes) == ["a": 1])
        #expect(hints.take(key: "/k", bytes: bytes) == nil)
        hints.remember(key: "/k", bytes: bytes, tree: ["a": 1])
        #expect(hints.take(key: "/k", bytes: Array(#"{"a":2}"#.utf8)) == nil)
        #expect(hints.take(key: "/other", bytes: bytes) == nil)
    }

    @Test func hintsStayBounded() {
        let hints = WrittenObjectHints()
        for index in 0..<(WrittenObjectHints.capacity + 10) {
            hints.remember(key: "/k\(index)", bytes: [UInt8(index % 250)], tree: .integer(Int64(index)))
        }
        let last = WrittenObjectHints.capacity + 9
        #expect(hints.take(key: "/k\(last)", bytes: [UInt8(last % 250)]) == .integer(Int64(last)))
        #expect(hints.take(key: "/k0", bytes: [0]) == nil)
    }

    @Test func theWatchCacheUsesTheWrittenTree() async throws {
        let store = MemoryStore()
        let (cache, feed) = try await WatchCacheTests.started(store)
        defer { feed.cancel() }
        // The hint's tree carries a label the bytes do not: a list selecting it proves the cache took the
        // tree instead of parsing the bytes (the API server's hints always match their bytes).
        let bytes = WatchCacheTests.podBytes("hinted")
        var tree = try JSONValueParser.parse(bytes)
        tree.set(["metadata", "labels", "seen"], "from-hint")
        cache.hints.remember(key: WatchCacheTests.key("hinted"), bytes: bytes, tree: tree)
        _ = try await store.create(WatchCacheTests.key("hinted"), value: bytes)
        _ = try await store.create(WatchCacheTests.key("parsed"), value: WatchCacheTests.podBytes("parsed"))
        let current = try await store.currentRevision()
        #expect(await cache.waitUntilFresh(current))
        let selected = cache.list(WatchCacheTests.pods, namespace: "default",
                                  selection: try WatchCacheTests.selection("labelSelector=seen%3Dfrom-hint"),
                                  minimumRevision: current)
        #expect(WatchCacheTests.names(selected) == ["hinted"])
        let all = cache.list(WatchCacheTests.pods, namespace: "default", selection: try WatchCacheTests.selection(),
                             minimumRevision: current)
        #expect(WatchCacheTests.names(all) == ["hinted", "parsed"])
    }
}

/// Create responses are the stored bytes with `resourceVersion` spliced into `metadata`.
@Suite struct CreateResponseJSONTests {
    @Test func resourceVersionIsSplicedIntoTheStoredBytes() throws {
        let object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a", "uid": "u"],
                                 "data": ["k": "v"]]
        let stored = ObjectStore.encodeForStorage(object)
        var expected = object
        expected.set(["metadata", "resourceVersion"], "42")
        let json = ObjectStore.json(stored: stored, resourceVersion: 42, object: expected)
        #expect(try JSONValueParser.parse(json) == expected)
        #expect(String(decoding: json, as: UTF8.self).contains(#""metadata":{"resourceVersion":"42","name":"a""#))
    }

    @Test func emptyOrMissingMetadataStillGetsTheVersion() throws {
        let empty: JSONValue = ["kind": "X", "metadata": [:]]
        var expectedEmpty = empty
        expectedEmpty.set(["metadata", "resourceVersion"], "7")
        let emptyJSON = ObjectStore.json(stored: ObjectStore.encodeForStorage(empty), resourceVersion: 7, object: expectedEmpty)
        #expect(try JSONValueParser.parse(emptyJSON) == expectedEmpty)
        let bare: JSONValue = ["kind": "X"]
        var expectedBare = bare
        expectedBare.set(["metadata", "resourceVersion"], "9")
        let bareJSON = ObjectStore.json(stored: ObjectStore.encodeForStorage(bare), resourceVersion: 9, object: expectedBare)
        #expect(try JSONValueParser.parse(bareJSON) == expectedBare)
    }
}
