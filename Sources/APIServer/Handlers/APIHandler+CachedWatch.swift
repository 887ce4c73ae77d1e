import Foundation
import KubeCore
import KubeStorage

extension APIHandler {
    /// A watch served by the watch cache, or nil when the store must answer (no cache or not ready, an
    /// invalid resourceVersion, or one older than the events the cache still holds: the store then replays
    /// it or answers 410).
    func watchFromCache(_ context: RequestContext, selection: ListSelection) async throws -> APIResponse? {
        guard let cache = watchCache else { return nil }
        let resource = context.resource
        let rvText = context.query["resourceVersion"] ?? ""
        var after: Revision?
        if rvText.isEmpty {
            // "Start at the most recent": consistent with the store, as a consistent list.
            guard await cache.waitUntilFresh(try await objects.store.currentRevision()) else { return nil }
        } else if rvText != "0" {
            guard let revision = Revision(rvText), revision > 0 else { return nil }
            after = revision
        }
        guard let start = cache.watch(resource, namespace: context.namespace, selection: selection, after: after)
        else { return nil }
        let timeout = context.query.integer("timeoutSeconds").map { Double(max(1, $0)) } ?? 1800
        let bookmarks = context.query.flag("allowWatchBookmarks")
        let encoder = WatchLineEncoder(
            resource: resource, wantsTable: context.request.wantsTable, includeObject: context.query["includeObject"],
            clock: clock)
        let producer: @Sendable (@escaping @Sendable ([UInt8]) async -> Void) async throws -> Void = { emit in
            defer { cache.unregister(start.watcher) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout))
                }
                group.addTask {
                    var encoder = encoder
                    var chunk: [UInt8] = []
                    for object in start.initial {
                        encoder.append("ADDED", object, resourceVersion: object.modRevision, to: &chunk)
                        if chunk.count >= 256 * 1024 {
                            await emit(chunk)
                            chunk = []
                        }
                    }
                    if !chunk.isEmpty {
                        await emit(chunk)
                        chunk = []
                    }
                    while let messages = await start.watcher.next() {
                        for message in messages {
                            switch message {
                            case .event(let event):
                                guard event.revision > start.after,
                                      let (type, object, revision) = Self.translate(
                                        event, selection: selection, layout: start.layout)
                                else { continue }
                                encoder.append(type, object, resourceVersion: revision, to: &chunk)
                            case .progress(let revision):
                                if bookmarks, revision > start.after { encoder.appendBookmark(revision, to: &chunk) }
                            }
                        }
                        if !chunk.isEmpty {
                            await emit(chunk)
                            chunk = []
                        }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
        return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .stream(producer))
    }

    /// The watch event for one cached change after the selectors on the old and the new object, with the
    /// resourceVersion to show.
    static func translate(_ event: CacheEvent, selection: ListSelection, layout: CachedResourceLayout)
        -> (String, CachedObject, Revision)?
    {
        let oldMatches = event.previous.map { layout.matches(selection, key: event.key, object: $0) } ?? false
        guard let object = event.object else {
            guard let previous = event.previous, oldMatches else { return nil }
            return ("DELETED", previous, event.revision)
        }
        switch (oldMatches, layout.matches(selection, key: event.key, object: object)) {
        case (false, true): return ("ADDED", object, object.modRevision)  // created, or entered the selection
        case (true, true): return ("MODIFIED", object, object.modRevision)
        case (true, false): return ("DELETED", object, event.revision)
        case (false, false): return nil
        }
    }
}

/// Writes watch event lines (`{"type":…,"object":…}\n`) for cached objects: spliced bytes for JSON, a
/// one-row Table (column headers on the first event only) for `as=Table`.
///
/// Value type; one per watch stream.
struct WatchLineEncoder: Sendable {
    let resource: ServedResource
    let wantsTable: Bool
    let includeObject: String?
    let clock: @Sendable () -> Date
    private var first = true

    init(resource: ServedResource, wantsTable: Bool, includeObject: String?, clock: @escaping @Sendable () -> Date) {
        self.resource = resource
        self.wantsTable = wantsTable
        self.includeObject = includeObject
        self.clock = clock
    }

    mutating func append(_ type: String, _ object: CachedObject, resourceVersion: Revision, to out: inout [UInt8]) {
        if wantsTable {
            let table = TableBuilder(resource: resource, now: clock()).table(
                [object.object(resourceVersion: resourceVersion)], listRevision: String(resourceVersion),
                includeObject: includeObject, includeHeaders: first)
            JSONValueWriter.write(.object(["type": .string(type), "object": table]), into: &out)
        } else {
            out.append(contentsOf: #"{"type":""#.utf8)
            out.append(contentsOf: type.utf8)
            out.append(contentsOf: #"","object":"#.utf8)
            object.write(resourceVersion: resourceVersion, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(0x0A)
        first = false
    }

    mutating func appendBookmark(_ revision: Revision, to out: inout [UInt8]) {
        let bookmark: JSONValue = [
            "kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion),
            "metadata": ["resourceVersion": .string(String(revision))],
        ]
        JSONValueWriter.write(.object(["type": "BOOKMARK", "object": bookmark]), into: &out)
        out.append(0x0A)
        first = false
    }
}
