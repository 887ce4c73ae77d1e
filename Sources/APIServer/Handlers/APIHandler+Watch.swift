import Foundation
import KubeCore
import KubeStorage

extension APIHandler {
    /// A chunked stream of `{"type":…,"object":…}` lines: synthetic ADDED events for the current state when
    /// resourceVersion is unset or "0", then every change; ERROR with a 410 Status when the start is too old.
    func watch(_ context: RequestContext) async throws -> APIResponse {
        let resource = context.resource
        let selection = try ListSelection(query: context.query, resource: resource)
        if let response = try await watchFromCache(context, selection: selection) { return response }
        let prefix = resource.keyPrefix(namespace: context.namespace)
        let rvText = context.query["resourceVersion"] ?? ""
        var synthetic: [JSONValue] = []
        let start: Revision
        if rvText.isEmpty || rvText == "0" {
            let result = try await objects.store.range(.prefix(prefix))
            for kv in result.kvs {
                let object = try ObjectStore.decode(kv)
                if selection.matches(object, resource: resource) { synthetic.append(object) }
            }
            start = result.revision + 1
        } else {
            guard let revision = Revision(rvText) else { throw APIError.badRequest("invalid resource version \"\(rvText)\"") }
            start = revision + 1
        }
        let initial = synthetic
        let timeout = context.query.integer("timeoutSeconds").map { Double(max(1, $0)) } ?? 1800
        let wantsTable = context.request.wantsTable
        let bookmarks = context.query.flag("allowWatchBookmarks")
        let store = objects.store
        let now = clock
        let builder = { @Sendable (object: JSONValue, first: Bool) -> JSONValue in
            guard wantsTable else { return object }
            return TableBuilder(resource: resource, now: now()).table(
                [object], listRevision: object.resourceVersion, includeObject: context.query["includeObject"],
                includeHeaders: first)
        }
        let producer: @Sendable (@escaping @Sendable ([UInt8]) async -> Void) async throws -> Void = { emit in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Task.sleep(for: .seconds(timeout))
                }
                group.addTask {
                    var first = true
                    func send(_ type: String, _ object: JSONValue) async {
                        var line = JSONValue.object(["type": .string(type), "object": builder(object, first)]).jsonBytes
                        line.append(0x0A)
                        first = false
                        await emit(line)
                    }
                    for object in initial { await send("ADDED", object) }
                    do {
                        for try await message in store.watch(.prefix(prefix), from: start, prevKV: true) {
                            switch message {
                            case .events(let events):
                                for event in events {
                                    if let (type, object) = try Self.translate(event, selection: selection, resource: resource) {
                                        await send(type, object)
                                    }
                                }
                            case .progress(let revision):
                                if bookmarks {
                                    await send("BOOKMARK", [
                                        "kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion),
                                        "metadata": ["resourceVersion": .string(String(revision))],
                                    ])
                                }
                            }
                        }
                    } catch StorageError.compacted(_, let compactRevision) {
                        let status = APIError.resourceExpired("too old resource version: \(start - 1) (\(compactRevision))").status
                        let object = (try? KubeJSON.encode(status)).flatMap { try? JSONValueParser.parse($0) } ?? .null
                        var line = JSONValue.object(["type": "ERROR", "object": object]).jsonBytes
                        line.append(0x0A)
                        await emit(line)
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
        return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .stream(producer))
    }

    /// The watch event for one store event, after selectors on the old and new object.
    static func translate(_ event: StoreEvent, selection: ListSelection, resource: ServedResource) throws
        -> (String, JSONValue)?
    {
        let previous = try event.previous.map(ObjectStore.decode)
        let oldMatches = previous.map { selection.matches($0, resource: resource) } ?? false
        switch event.kind {
        case .put:
            let object = try ObjectStore.decode(event.kv)
            let newMatches = selection.matches(object, resource: resource)
            switch (oldMatches, newMatches) {
            case (false, true): return ("ADDED", object)  // created, or entered the selection
            case (true, true): return ("MODIFIED", object)
            case (true, false):
                var gone = object
                gone.set(["metadata", "resourceVersion"], .string(String(event.revision)))
                return ("DELETED", gone)
            case (false, false): return nil
            }
        case .delete:
            guard var object = previous, oldMatches else { return nil }
            object.set(["metadata", "resourceVersion"], .string(String(event.revision)))
            return ("DELETED", object)
        }
    }
}
