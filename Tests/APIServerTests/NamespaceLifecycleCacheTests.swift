@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Logging
import Synchronization
import Testing

/// The namespace check of creates served from the watch cache: a Terminating or deleted namespace still
/// refuses with the same 403 Status, a missing one still answers 404, an active one is admitted without a
/// store read, and a cache that is not ready falls back to the store.
@Suite struct NamespaceLifecycleCacheTests {
    static let catalog = BuiltinResources.catalog()
    static let namespaces = catalog.namespaces!

    static func namespaceKey(_ name: String) -> String { namespaces.key(namespace: nil, name: name) }

    static func storeNamespace(_ store: any KeyValueStore, _ name: String, terminating: Bool = false,
                               deleting: Bool = false) async throws {
        var metadata = #""name":"\#(name)","uid":"uid-\#(name)""#
        if deleting { metadata += #","deletionTimestamp":"2026-11-28T19:00:00Z""# }
        let phase = terminating ? "Terminating" : "Active"
        let text = #"{"apiVersion":"v1","kind":"Namespace","metadata":{\#(metadata)},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"\#(phase)"}}"#
        _ = try await store.create(namespaceKey(name), value: Array(text.utf8))
    }

    /// A cache over `store` that has caught up with it, fed by a task the caller cancels.
    static func readyCache(_ store: any KeyValueStore) async throws -> (WatchCache, Task<Void, Never>) {
        let cache = WatchCache(store: store, catalog: catalog, logger: Logger(label: "test.namespace-cache"))
        let feed = Task { await cache.run() }
        #expect(await cache.waitUntilFresh(try await store.currentRevision()))
        return (cache, feed)
    }

    static func createConfigMap(_ handler: APIHandler, namespace: String, name: String = "cm") async
        -> (status: Int, body: [UInt8])
    {
        let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"},"data":{"a":"b"}}"#
        let response = await handler.handle(APIRequest(
            method: "POST", path: "/api/v1/namespaces/\(namespace)/configmaps",
            headers: ["content-type": "application/json"], body: Array(body.utf8)))
        guard case .bytes(let bytes) = response.body else { return (response.status, []) }
        return (response.status, bytes)
    }

    static func parse(_ bytes: [UInt8]) -> JSONValue { (try? JSONValueParser.parse(bytes)) ?? .null }

    @Test(arguments: [(true, false), (false, true), (true, true)])
    func createInATerminatingNamespaceIs403FromTheCache(terminating: Bool, deleting: Bool) async throws {
        let memory = MemoryStore()
        try await Self.storeNamespace(memory, "doomed", terminating: terminating, deleting: deleting)
        let counting = NamespaceGetCountingStore(memory, key: Self.namespaceKey("doomed"))
        let (cache, feed) = try await Self.readyCache(counting)
        defer { feed.cancel() }
        let cached = APIHandler(catalog: Self.catalog, store: counting, logger: Logger(label: "test"), watchCache: cache)
        #expect(cached.cachedNamespaceState("doomed", namespaces: Self.namespaces) == .terminating)
        let fromCache = await Self.createConfigMap(cached, namespace: "doomed")
        #expect(counting.namespaceGets == 0)
        // The store path (no cache) answers with the same bytes.
        let uncached = APIHandler(catalog: Self.catalog, store: memory, logger: Logger(label: "test"))
        let fromStore = await Self.createConfigMap(uncached, namespace: "doomed")
        #expect(fromCache.status == 403)
        #expect(fromCache.status == fromStore.status)
        #expect(fromCache.body == fromStore.body)
        let status = Self.parse(fromCache.body)
        #expect(status["kind"] == "Status")
        #expect(status["reason"] == "Forbidden")
        #expect(status["code"] == 403)
        #expect(status["message"] == "doomed is forbidden: unable to create new content in namespace doomed because it is being terminated")
        #expect(status["details"]?["kind"] == "namespaces")
        #expect(status["details"]?["causes"]?[0]?["reason"] == "NamespaceTerminating")
        #expect(status["details"]?["causes"]?[0]?["field"] == "metadata.namespace")
    }

    @Test func createInAMissingNamespaceIs404WithTheCacheReady() async throws {
        let memory = MemoryStore()
        try await Self.storeNamespace(memory, "present")
        let (cache, feed) = try await Self.readyCache(memory)
        defer { feed.cancel() }
        let cached = APIHandler(catalog: Self.catalog, store: memory, logger: Logger(label: "test"), watchCache: cache)
        #expect(cached.cachedNamespaceState("absent", namespaces: Self.namespaces) == .unknown)
        let fromCache = await Self.createConfigMap(cached, namespace: "absent")
        let uncached = APIHandler(catalog: Self.catalog, store: memory, logger: Logger(label: "test"))
        let fromStore = await Self.createConfigMap(uncached, namespace: "absent")
        #expect(fromCache.status == 404)
        #expect(fromCache.body == fromStore.body)
        let status = Self.parse(fromCache.body)
        #expect(status["reason"] == "NotFound")
        #expect(status["message"] == #"namespaces "absent" not found"#)
        #expect(status["details"]?["name"] == "absent")
    }

    @Test func createInAnActiveNamespaceReadsNoNamespaceFromTheStore() async throws {
        let memory = MemoryStore()
        try await Self.storeNamespace(memory, "live")
        try await Self.storeNamespace(memory, "live-too")
        let counting = NamespaceGetCountingStore(memory, key: Self.namespaceKey("live"))
        let (cache, feed) = try await Self.readyCache(counting)
        defer { feed.cancel() }
        let handler = APIHandler(catalog: Self.catalog, store: counting, logger: Logger(label: "test"), watchCache: cache)
        #expect(handler.cachedNamespaceState("live", namespaces: Self.namespaces) == .active)
        let created = await Self.createConfigMap(handler, namespace: "live")
        #expect(created.status == 201)
        #expect(counting.namespaceGets == 0)
    }

    @Test func escapedOrNullTerminationFieldsAreReadFromTheParsedObject() async throws {
        let memory = MemoryStore()
        let escaped = #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"esc"},"status":{"phase":"\u0054erminating"}}"#
        _ = try await memory.create(Self.namespaceKey("esc"), value: Array(escaped.utf8))
        let nullDeletion = #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"nul","deletionTimestamp":null},"status":{"phase":"Active"}}"#
        _ = try await memory.create(Self.namespaceKey("nul"), value: Array(nullDeletion.utf8))
        let (cache, feed) = try await Self.readyCache(memory)
        defer { feed.cancel() }
        let handler = APIHandler(catalog: Self.catalog, store: memory, logger: Logger(label: "test"), watchCache: cache)
        #expect(handler.cachedNamespaceState("esc", namespaces: Self.namespaces) == .terminating)
        #expect(handler.cachedNamespaceState("nul", namespaces: Self.namespaces) == .active)
        #expect(APIHandler.mayNameTermination(Array(escaped.utf8)))
        #expect(!APIHandler.mayNameTermination(Array(#"{"metadata":{"name":"a"},"status":{"phase":"Active"}}"#.utf8)))
        #expect(await Self.createConfigMap(handler, namespace: "esc").status == 403)
    }

    @Test func aCacheThatIsNotReadyFallsBackToTheStore() async throws {
        let memory = MemoryStore()
        try await Self.storeNamespace(memory, "doomed", terminating: true)
        try await Self.storeNamespace(memory, "live")
        let counting = NamespaceGetCountingStore(memory, key: Self.namespaceKey("doomed"))
        // Never started: not ready.
        let idle = WatchCache(store: counting, catalog: Self.catalog, logger: Logger(label: "test.namespace-cache"))
        let handler = APIHandler(catalog: Self.catalog, store: counting, logger: Logger(label: "test"), watchCache: idle)
        #expect(handler.cachedNamespaceState("doomed", namespaces: Self.namespaces) == .unknown)
        let refused = await Self.createConfigMap(handler, namespace: "doomed")
        #expect(refused.status == 403)
        #expect(counting.namespaceGets == 1)
        let admitted = await Self.createConfigMap(handler, namespace: "live")
        #expect(admitted.status == 201)
    }
}

/// Forwards to a store and counts `get`s of one key. Thread-safe (a `Mutex` counter).
final class NamespaceGetCountingStore: KeyValueStore {
    let inner: any KeyValueStore
    let key: String
    private let gets = Mutex(0)

    init(_ inner: any KeyValueStore, key: String) {
        self.inner = inner
        self.key = key
    }

    var namespaceGets: Int { gets.withLock { $0 } }

    func currentRevision() async throws -> Revision { try await inner.currentRevision() }
    func compactRevision() async throws -> Revision { try await inner.compactRevision() }
    func get(_ key: String, at revision: Revision?) async throws -> ReadResult {
        if key == self.key { gets.withLock { $0 += 1 } }
        return try await inner.get(key, at: revision)
    }
    func range(_ range: KeyRange, at revision: Revision?, limit: Int?, keysOnly: Bool) async throws -> ReadResult {
        try await inner.range(range, at: revision, limit: limit, keysOnly: keysOnly)
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
        inner.watch(range, from: start, prevKV: prevKV)
    }
    func requestProgress() async throws { try await inner.requestProgress() }
    func compact(to revision: Revision) async throws { try await inner.compact(to: revision) }
    func close() async { await inner.close() }
}
