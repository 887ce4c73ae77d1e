@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Logging
import Synchronization
import Testing

/// A list bigger than one chunk is streamed from the watch cache in chunks that join into the same JSON a
/// small list is written as.
@Suite struct CachedListStreamingTests {
    @Test func aBigListIsStreamedInChunksThatJoinIntoTheList() async throws {
        let store = MemoryStore()
        let (cache, feed) = try await WatchCacheTests.started(store)
        defer { feed.cancel() }
        let handler = APIHandler(catalog: WatchCacheTests.catalog, store: store, logger: Logger(label: "test"),
                                 watchCache: cache)
        let padding = String(repeating: "x", count: 2_000)
        let count = 300  // ~600 KB: more than two chunks
        for index in 0..<count {
            let name = "p\(String(format: "%03d", index))"
            let text = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"default","annotations":{"pad":"\#(padding)"}},"spec":{"nodeName":"n1"}}"#
            _ = try await store.create(WatchCacheTests.key(name), value: Array(text.utf8))
        }
        let response = await handler.handle(APIRequest(method: "GET", path: "/api/v1/namespaces/default/pods"))
        guard case .bufferStream = response.body else {
            Issue.record("a list of \(count) big pods was not streamed")
            return
        }
        let chunks = Mutex<[[UInt8]]>([])
        try await response.body.byteChunks { chunk in chunks.withLock { $0.append(chunk) } }
        let all = chunks.withLock { $0 }
        #expect(all.count >= 2)
        let list = try JSONValueParser.parse(Array(all.joined()))
        #expect(list["kind"] == "PodList")
        guard case .array(let items)? = list["items"] else {
            Issue.record("the list has no items array")
            return
        }
        #expect(items.count == count)
        #expect(items.first?["metadata"]?["name"] == "p000")
        #expect(items.last?["metadata"]?["name"] == "p299")
        #expect(items.allSatisfy { $0["metadata"]?["resourceVersion"]?.stringValue?.isEmpty == false })
        #expect(list["metadata"]?["resourceVersion"]?.stringValue == String(try await store.currentRevision()))
    }
}
