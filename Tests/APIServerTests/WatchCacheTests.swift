@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Logging
import Synchronization
import Testing

/// The watch cache against `MemoryStore`: its state after events, consistent reads, resuming watches from
/// the ring, expiry, relisting after a compacted feed, slow watchers, and the byte splicing of
/// resourceVersion.
@Suite struct WatchCacheTests {
    static let catalog = BuiltinResources.catalog()
    static let pods = catalog.resource(group: "", version: "v1", plural: "pods")!

    static func podBytes(_ name: String, app: String = "web", node: String = "n1") -> [UInt8] {
        Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"\#(app)"},"name":"\#(name)","namespace":"default"},"spec":{"nodeName":"\#(node)"}}"#.utf8)
    }

    static func key(_ name: String) -> String { pods.key(namespace: "default", name: name) }

    static func selection(_ query: String = "") throws -> ListSelection {
        try ListSelection(query: QueryParameters(query: query), resource: pods)
    }

    /// A cache over `store`, fed by a task the caller cancels with `stop`.
    static func started(_ store: any KeyValueStore, configure: (inout WatchCacheConfiguration) -> Void = { _ in })
        async throws -> (WatchCache, Task<Void, Never>)
    {
        var configuration = WatchCacheConfiguration()
        configure(&configuration)
        let cache = WatchCache(store: store, catalog: catalog, configuration: configuration,
                               logger: Logger(label: "test.watch-cache"))
        let feed = Task { await cache.run() }
        #expect(await cache.waitUntilFresh(try await store.currentRevision()))
        return (cache, feed)
    }

    static func names(_ snapshot: WatchCache.ListSnapshot?) -> [String] {
        (snapshot?.items ?? []).map { $0.object(resourceVersion: $0.modRevision).name }
    }

    @Test func stateFollowsCreatesUpdatesAndDeletes() async throws {
        let store = MemoryStore()
        _ = try await store.create(Self.key("a"), value: Self.podBytes("a"))
        let (cache, feed) = try await Self.started(store)
        defer { feed.cancel() }
        _ = try await store.create(Self.key("c"), value: Self.podBytes("c", app: "db"))
        let b = try await store.create(Self.key("b"), value: Self.podBytes("b"))
        guard case .committed(let bRevision, _) = b else { Issue.record("create b failed"); return }
        _ = try await store.update(Self.key("b"), value: Self.podBytes("b", node: "n2"), expectedModRevision: bRevision)
        _ = try await store.delete(Self.key("a"), expectedModRevision: nil)
        let current = try await store.currentRevision()
        #expect(await cache.waitUntilFresh(current))

        let all = cache.list(Self.pods, namespace: "default", selection: try Self.selection(), minimumRevision: current)
        #expect(Self.names(all) == ["b", "c"])
        #expect(all?.revision == current)
        let b2 = try #require(all?.items.first)
        #expect(b2.modRevision == bRevision + 1)
        let object = b2.object(resourceVersion: b2.modRevision)
        #expect(object.resourceVersion == String(bRevision + 1))
        #expect(object.value(at: ["spec", "nodeName"])?.stringValue == "n2")

        let web = cache.list(Self.pods, namespace: nil, selection: try Self.selection("labelSelector=app%3Dweb"))
        #expect(Self.names(web) == ["b"])
        let onNode = cache.list(Self.pods, namespace: "default", selection: try Self.selection("fieldSelector=spec.nodeName%3Dn1"))
        #expect(Self.names(onNode) == ["c"])
        let byName = cache.list(Self.pods, namespace: "default", selection: try Self.selection("fieldSelector=metadata.name%3Dc,metadata.namespace%3Ddefault"))
        #expect(Self.names(byName) == ["c"])
        let elsewhere = cache.list(Self.pods, namespace: "other", selection: try Self.selection())
        #expect(Self.names(elsewhere).isEmpty)
    }

    @Test func watchResumesFromTheRingInOrder() async throws {
        let store = MemoryStore()
        let (cache, feed) = try await Self.started(store)
        defer { feed.cancel() }
        var revisions: [Revision] = []
        for name in ["p1", "p2", "p3", "p4"] {
            guard case .committed(let revision, _) = try await store.create(Self.key(name), value: Self.podBytes(name))
            else { Issue.record("create failed"); return }
            revisions.append(revision)
        }
        _ = try await store.delete(Self.key("p1"), expectedModRevision: nil)
        #expect(await cache.waitUntilFresh(try await store.currentRevision()))

        let start = try #require(cache.watch(Self.pods, namespace: "default", selection: try Self.selection(), after: revisions[1]))
        defer { cache.unregister(start.watcher) }
        #expect(start.initial.isEmpty)
        let messages = try #require(await start.watcher.next())
        let events = messages.compactMap { message -> CacheEvent? in
            if case .event(let event) = message { return event }
            return nil
        }
        #expect(events.map(\.key) == [Self.key("p3"), Self.key("p4"), Self.key("p1")])
        #expect(events.map { $0.object == nil } == [false, false, true])
        #expect(events.last?.previous != nil)

        // Live events follow the replay.
        _ = try await store.create(Self.key("p5"), value: Self.podBytes("p5"))
        let live = try #require(await start.watcher.next())
        guard case .event(let event)? = live.first else { Issue.record("expected an event"); return }
        #expect(event.key == Self.key("p5"))
    }

    @Test func watchFromCurrentStateListsThenStreams() async throws {
        let store = MemoryStore()
        _ = try await store.create(Self.key("x"), value: Self.podBytes("x"))
        _ = try await store.create(Self.key("y"), value: Self.podBytes("y", app: "db"))
        let (cache, feed) = try await Self.started(store)
        defer { feed.cancel() }
        let start = try #require(cache.watch(Self.pods, namespace: nil, selection: try Self.selection("labelSelector=app%3Dweb"), after: nil))
        defer { cache.unregister(start.watcher) }
        #expect(start.initial.map { $0.object(resourceVersion: 1).name } == ["x"])
        #expect(start.after == (try await store.currentRevision()))
    }

    @Test func watchOlderThanTheRingIsNotServedFromTheCache() async throws {
        let store = MemoryStore()
        let (cache, feed) = try await Self.started(store) { $0.eventRingCapacity = 10 }
        defer { feed.cancel() }
        let first = try await store.currentRevision()
        for index in 0..<20 { _ = try await store.create(Self.key("p\(index)"), value: Self.podBytes("p\(index)")) }
        #expect(await cache.waitUntilFresh(try await store.currentRevision()))
        #expect(cache.watch(Self.pods, namespace: nil, selection: try Self.selection(), after: first) == nil)
        let recent = try await store.currentRevision() - 5
        let resumed = try #require(cache.watch(Self.pods, namespace: nil, selection: try Self.selection(), after: recent))
        cache.unregister(resumed.watcher)
    }

    @Test func watchOfACompactedRevisionThroughTheHandlerIs410() async throws {
        let store = MemoryStore()
        let cache = WatchCache(store: store, catalog: Self.catalog, configuration: {
            var configuration = WatchCacheConfiguration()
            configuration.eventRingCapacity = 4
            return configuration
        }(), logger: Logger(label: "test.watch-cache"))
        let handler = APIHandler(catalog: Self.catalog, store: store, logger: Logger(label: "test"), watchCache: cache)
        let feed = Task { await cache.run() }
        defer { feed.cancel() }
        for index in 0..<12 { _ = try await store.create(Self.key("p\(index)"), value: Self.podBytes("p\(index)")) }
        let current = try await store.currentRevision()
        try await store.compact(to: current - 2)
        #expect(await cache.waitUntilFresh(current))
        let response = await handler.handle(APIRequest(
            method: "GET", path: "/api/v1/namespaces/default/pods", query: "watch=1&resourceVersion=3"))
        let text = try await Self.collect(response)
        #expect(text.contains(#""type":"ERROR""#))
        #expect(text.contains(#""code":410"#))
    }

    /// Runs a streamed response to its end (it must end by itself) and returns its text.
    static func collect(_ response: APIResponse) async throws -> String {
        if case .bytes(let bytes) = response.body { return String(decoding: bytes, as: UTF8.self) }
        let producer = response.body.byteChunks
        let chunks = Mutex<[UInt8]>([])
        try await producer { chunk in chunks.withLock { $0 += chunk } }
        return String(decoding: chunks.withLock { $0 }, as: UTF8.self)
    }

    @Test func consistentListThroughTheHandlerSeesTheLatestWriteWithoutStoreReads() async throws {
        let spy = SpyStore(MemoryStore())
        let (cache, feed) = try await Self.started(spy)
        defer { feed.cancel() }
        let handler = APIHandler(catalog: Self.catalog, store: spy, logger: Logger(label: "test"), watchCache: cache)
        let rangesBefore = spy.rangeCalls
        for index in 0..<5 {
            _ = try await spy.create(Self.key("fresh\(index)"), value: Self.podBytes("fresh\(index)"))
            // Immediately after the write: a consistent list must include it.
            let response = await handler.handle(APIRequest(method: "GET", path: "/api/v1/namespaces/default/pods"))
            guard case .bytes(let bytes) = response.body else { Issue.record("expected bytes"); return }
            let list = try JSONValueParser.parse(bytes)
            guard case .array(let items)? = list["items"] else { Issue.record("no items"); return }
            #expect(items.count == index + 1)
            #expect(items.last?.resourceVersion == String(try await spy.currentRevision()))
            #expect(list["metadata"]?["resourceVersion"]?.stringValue == String(try await spy.currentRevision()))
        }
        let anyVersion = await handler.handle(APIRequest(
            method: "GET", path: "/api/v1/pods", query: "resourceVersion=0&labelSelector=app%3Dweb"))
        #expect(anyVersion.status == 200)
        #expect(spy.rangeCalls == rangesBefore)
    }

    @Test func pagedListServesTheFirstPageFromTheCacheAndContinuesFromTheStore() async throws {
        let spy = SpyStore(MemoryStore())
        for index in 0..<5 { _ = try await spy.create(Self.key("p\(index)"), value: Self.podBytes("p\(index)")) }
        _ = try await spy.create(Self.key("z"), value: Self.podBytes("z", app: "db"))
        let (cache, feed) = try await Self.started(spy)
        defer { feed.cancel() }
        let handler = APIHandler(catalog: Self.catalog, store: spy, logger: Logger(label: "test"), watchCache: cache)
        func page(_ query: String) async throws -> JSONValue {
            let response = await handler.handle(APIRequest(method: "GET", path: "/api/v1/namespaces/default/pods", query: query))
            #expect(response.status == 200)
            guard case .bytes(let bytes) = response.body else { throw ReplyError.streamed }
            return try JSONValueParser.parse(bytes)
        }
        let rangesBefore = spy.rangeCalls
        let first = try await page("limit=2")
        #expect(spy.rangeCalls == rangesBefore)
        #expect(first["metadata"]?["remainingItemCount"]?.integerValue == 4)
        var names = first["items"].map { item -> [String] in
            guard case .array(let items) = item else { return [] }
            return items.map(\.name)
        } ?? []
        var token = first["metadata"]?["continue"]?.stringValue
        while let next = token {
            let more = try await page("limit=2&continue=\(next)")
            if case .array(let items)? = more["items"] { names += items.map(\.name) }
            token = more["metadata"]?["continue"]?.stringValue
        }
        #expect(names == ["p0", "p1", "p2", "p3", "p4", "z"])
        #expect(spy.rangeCalls > rangesBefore)
        // With a selector: a full page, a token, no remaining count.
        let selected = try await page("limit=2&labelSelector=app%3Dweb")
        #expect(selected["metadata"]?["continue"] != nil)
        #expect(selected["metadata"]?["remainingItemCount"] == nil)
        let last = try await page("limit=10&labelSelector=app%3Ddb")
        #expect(last["metadata"]?["continue"] == nil)
    }

    private enum ReplyError: Error { case streamed }

    @Test func compactedFeedRelistsAndCatchesUp() async throws {
        let memory = MemoryStore()
        for index in 0..<3 { _ = try await memory.create(Self.key("old\(index)"), value: Self.podBytes("old\(index)")) }
        try await memory.compact(to: try await memory.currentRevision())
        let spy = SpyStore(memory)
        spy.compactedFirstWatch = true
        let cache = WatchCache(store: spy, catalog: Self.catalog, configuration: {
            var configuration = WatchCacheConfiguration()
            configuration.retryDelay = .milliseconds(1)
            return configuration
        }(), logger: Logger(label: "test.watch-cache"))
        let feed = Task { await cache.run() }
        defer { feed.cancel() }
        // The first feed watch fails with `.compacted`; the cache lists again and watches from there.
        await spy.waitForWatchCalls(2)
        #expect(spy.rangeCalls >= 2)
        _ = try await spy.create(Self.key("new"), value: Self.podBytes("new"))
        #expect(await cache.waitUntilFresh(try await spy.currentRevision()))
        let names = Self.names(cache.list(Self.pods, namespace: "default", selection: try Self.selection()))
        #expect(names == ["new", "old0", "old1", "old2"])
    }

    @Test func slowWatcherIsEndedAndOthersKeepReceiving() async throws {
        let store = MemoryStore()
        let (cache, feed) = try await Self.started(store) { $0.watcherQueueCapacity = 3 }
        defer { feed.cancel() }
        let slow = try #require(cache.watch(Self.pods, namespace: nil, selection: try Self.selection(), after: try await store.currentRevision()))
        let reader = try #require(cache.watch(Self.pods, namespace: nil, selection: try Self.selection(), after: try await store.currentRevision()))
        defer { cache.unregister(reader.watcher) }
        var seen: [String] = []
        for index in 0..<10 {
            _ = try await store.create(Self.key("s\(index)"), value: Self.podBytes("s\(index)"))
            let messages = try #require(await reader.watcher.next())
            for case .event(let event) in messages { seen.append(event.key) }
        }
        #expect(seen == (0..<10).map { Self.key("s\($0)") })
        #expect(slow.watcher.overflowed)
        #expect(await slow.watcher.next() == nil)
        #expect(cache.watcherCount == 1)
    }

    @Test func churnWithoutListsKeepsPendingKeysBounded() throws {
        let layout = CachedResourceLayout(Self.pods)
        var state = ResourceCacheState(layout: layout, ringCapacity: 16, revision: 1)
        let entry = try #require(layout.entry(value: Self.podBytes("same"), modRevision: 2))
        var revision: Revision = 2
        for _ in 0..<5000 {
            _ = state.apply(key: Self.key("same"), revision: revision, object: entry)
            _ = state.apply(key: Self.key("same"), revision: revision + 1, object: nil)
            revision += 2
        }
        #expect(state.pendingKeyCount <= 1025)
        #expect(state.objects.isEmpty)
        #expect(state.ring.count == 16)
        _ = state.apply(key: Self.key("same"), revision: revision, object: entry)
        state.sortKeys()
        var listed = 0
        state.forEach(withPrefix: Self.pods.keyPrefix, matching: try Self.selection()) { _ in listed += 1 }
        #expect(listed == 1)
    }

    @Test func resourceVersionIsSplicedIntoStoredBytes() throws {
        let layout = CachedResourceLayout(Self.pods)
        func render(_ json: String, _ revision: Revision) throws -> JSONValue {
            let entry = try #require(layout.entry(value: Array(json.utf8), modRevision: revision))
            var out: [UInt8] = []
            entry.write(resourceVersion: revision, into: &out)
            return try JSONValueParser.parse(out)
        }
        let full = try render(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","annotations":{"x":"{\"metadata\":{}}"}},"spec":{}}"#, 42)
        #expect(full.resourceVersion == "42")
        #expect(full.name == "a")
        #expect(full["metadata"]?["annotations"]?["x"]?.stringValue == #"{"metadata":{}}"#)
        let empty = try render(#"{"kind":"Pod","metadata":{}}"#, 7)
        #expect(empty.resourceVersion == "7")
        let none = try render(#"{"kind":"Pod","spec":{"metadata":{}}}"#, 9)
        #expect(none.resourceVersion == "9")
        #expect(none["spec"]?["metadata"]?.members.isEmpty == true)
        #expect(layout.entry(value: Array("[1]".utf8), modRevision: 1) == nil)
    }
}

/// A `KeyValueStore` that forwards to another and counts range reads and watches; it can make the first
/// watch start below the compact revision so that it fails with `.compacted`.
///
/// Thread-safe (a `Mutex` guards the counters).
final class SpyStore: KeyValueStore {
    private struct Counters {
        var ranges = 0
        var watches = 0
        var compactedFirstWatch = false
        var watchWaiters: [(Int, CheckedContinuation<Void, Never>)] = []
    }

    let inner: any KeyValueStore
    private let counters = Mutex(Counters())

    init(_ inner: any KeyValueStore) { self.inner = inner }

    var rangeCalls: Int { counters.withLock { $0.ranges } }
    var compactedFirstWatch: Bool {
        get { counters.withLock { $0.compactedFirstWatch } }
        set { counters.withLock { $0.compactedFirstWatch = newValue } }
    }

    /// Returns once `count` watches have been opened.
    func waitForWatchCalls(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = counters.withLock { c -> Bool in
                if c.watches >= count { return true }
                c.watchWaiters.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    func currentRevision() async throws -> Revision { try await inner.currentRevision() }
    func compactRevision() async throws -> Revision { try await inner.compactRevision() }
    func get(_ key: String, at revision: Revision?) async throws -> ReadResult { try await inner.get(key, at: revision) }
    func range(_ range: KeyRange, at revision: Revision?, limit: Int?, keysOnly: Bool) async throws -> ReadResult {
        counters.withLock { $0.ranges += 1 }
        return try await inner.range(range, at: revision, limit: limit, keysOnly: keysOnly)
    }
    func count(_ range: KeyRange, at revision: Revision?) async throws -> CountResult {
        try await inner.count(range, at: revision)
    }
    func create(_ key: String, value: [UInt8], ttlSeconds: Int64?) async throws -> WriteOutcome {
        try await inner.create(key, value: value, ttlSeconds: ttlSeconds)
    }
    func update(_ key: String, value: [UInt8], expectedModRevision: Revision, ttlSeconds: Int64?) async throws
        -> WriteOutcome
    {
        try await inner.update(key, value: value, expectedModRevision: expectedModRevision, ttlSeconds: ttlSeconds)
    }
    func delete(_ key: String, expectedModRevision: Revision?) async throws -> WriteOutcome {
        try await inner.delete(key, expectedModRevision: expectedModRevision)
    }
    func watch(_ range: KeyRange, from start: Revision, prevKV: Bool) -> WatchStream {
        let (compacted, ready) = counters.withLock { c -> (Bool, [CheckedContinuation<Void, Never>]) in
            c.watches += 1
            let compacted = c.compactedFirstWatch && c.watches == 1
            let ready = c.watchWaiters.filter { $0.0 <= c.watches }.map(\.1)
            c.watchWaiters.removeAll { $0.0 <= c.watches }
            return (compacted, ready)
        }
        for continuation in ready { continuation.resume() }
        return inner.watch(range, from: compacted ? 1 : start, prevKV: prevKV)
    }
    func requestProgress() async throws { try await inner.requestProgress() }
    func compact(to revision: Revision) async throws { try await inner.compact(to: revision) }
    func close() async { await inner.close() }
}
