@testable import APIServer
import Foundation
import KubeCore
import KubeStorage
import Logging
import Testing

/// Updates start from the watch cache's copy, but only the store decides: a stale copy loses the
/// compare-and-swap and the update is redone on the current object; an update that looks like a no-op (or
/// fails validation) against a stale copy is judged again against the store.
///
/// The cache here follows a second store holding an older version of the object, so it is stale by
/// construction.
@Suite struct CachedUpdateStartTests {
    static let catalog = BuiltinResources.catalog()

    static func configMap(_ data: [String: String], labels: [String: String] = [:]) -> [UInt8] {
        var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap",
                                 "metadata": ["name": "cm", "namespace": "default", "uid": "uid-cm",
                                              "creationTimestamp": "2026-11-28T19:00:00Z"]]
        object.set(["data"], .object(data.mapValues { .string($0) }))
        if !labels.isEmpty { object.set(["metadata", "labels"], .object(labels.mapValues { .string($0) })) }
        return JSONValueWriter.bytes(object)
    }

    static let key = catalog.resource(group: "", version: "v1", plural: "configmaps")!.key(namespace: "default", name: "cm")

    /// A handler on `current` whose watch cache follows `stale` (which holds the old version).
    static func handler() async throws -> (APIHandler, MemoryStore, Task<Void, Never>) {
        let stale = MemoryStore()
        _ = try await stale.create(key, value: configMap(["a": "old"]))
        let current = MemoryStore()
        _ = try await current.create("/registry/core/namespaces/default", value: Array(#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}"#.utf8))
        let created = try await current.create(key, value: configMap(["a": "old"]))
        guard case .committed(let revision, _) = created else { throw CancellationError() }
        _ = try await current.update(key, value: configMap(["a": "new"], labels: ["team": "x"]), expectedModRevision: revision)
        let cache = WatchCache(store: stale, catalog: catalog, logger: Logger(label: "test.cached-update"))
        let feed = Task { await cache.run() }
        #expect(await cache.waitUntilFresh(try await stale.currentRevision()))
        let handler = APIHandler(catalog: catalog, store: current, logger: Logger(label: "test"), watchCache: cache)
        #expect(handler.watchCache?.object(catalog.resource(group: "", version: "v1", plural: "configmaps")!,
                                           namespace: "default", name: "cm") != nil)
        return (handler, current, feed)
    }

    static func send(_ handler: APIHandler, _ method: String, contentType: String, body: String) async -> (Int, JSONValue) {
        let response = await handler.handle(APIRequest(
            method: method, path: "/api/v1/namespaces/default/configmaps/cm",
            headers: ["content-type": contentType], body: Array(body.utf8)))
        guard case .bytes(let bytes) = response.body else { return (response.status, .null) }
        return (response.status, (try? JSONValueParser.parse(bytes)) ?? .null)
    }

    static func stored(_ store: MemoryStore) async throws -> JSONValue {
        let result = try await store.get(key, at: nil)
        return try JSONValueParser.parse(try #require(result.kvs.first).value)
    }

    @Test func aStaleCopyLosesTheSwapAndThePatchAppliesToTheCurrentObject() async throws {
        let (handler, store, feed) = try await Self.handler()
        defer { feed.cancel() }
        let (status, object) = await Self.send(handler, "PATCH", contentType: "application/merge-patch+json",
                                               body: #"{"data":{"b":"added"}}"#)
        #expect(status == 200)
        #expect(object["data"] == ["a": "new", "b": "added"])
        #expect(object["metadata"]?["labels"]?["team"] == "x")
        #expect(try await Self.stored(store)["data"] == ["a": "new", "b": "added"])
    }

    @Test func aNoOpAgainstTheStaleCopyIsJudgedAgainstTheStore() async throws {
        let (handler, store, feed) = try await Self.handler()
        defer { feed.cancel() }
        // Setting a=old changes nothing in the cached copy but reverts the current object.
        let (status, object) = await Self.send(handler, "PATCH", contentType: "application/merge-patch+json",
                                               body: #"{"data":{"a":"old"}}"#)
        #expect(status == 200)
        #expect(object["data"] == ["a": "old"])
        #expect(try await Self.stored(store)["data"] == ["a": "old"])
    }
}
