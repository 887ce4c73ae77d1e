import KubeCore
import KubeStorage
import NIOCore

extension APIHandler {
    /// A list served by the watch cache, or nil when the store must answer: `continue` pages,
    /// `resourceVersionMatch=Exact`, legacy paging at a resourceVersion (`limit` with `N` and no match: a read
    /// at exactly N), anything invalid (the store path reports the error), a cache that is not ready, or one
    /// that does not catch up within its freshness timeout.
    ///
    /// resourceVersion "" is a consistent read: the cache must reach the store's current revision first
    /// (upstream ConsistentListFromCache); "0" takes the cache as it is; `N` (legacy or `NotOlderThan`) waits
    /// until the cache has reached N. With `limit`, the cache serves the first page at its revision R and the
    /// continue token (rv R) sends later pages to the store, which reads them at R: the same pages the store
    /// would have produced.
    func listFromCache(_ context: RequestContext, selection: ListSelection) async throws -> WatchCache.ListSnapshot? {
        guard let cache = watchCache else { return nil }
        let query = context.query
        if let token = query["continue"], !token.isEmpty { return nil }
        let limit = Int(clamping: max(0, query.integer("limit") ?? 0))
        let rv = query["resourceVersion"] ?? ""
        let match = query["resourceVersionMatch"] ?? ""
        let minimum: Revision
        if rv.isEmpty {
            guard match.isEmpty else { return nil }
            minimum = try await objects.store.currentRevision()
        } else if rv == "0" {
            guard match.isEmpty || match == "NotOlderThan" else { return nil }
            minimum = 0
        } else {
            guard match == "NotOlderThan" || (match.isEmpty && limit == 0), let requested = Revision(rv),
                  requested > 0
            else { return nil }
            guard requested <= (try await objects.store.currentRevision()) else { return nil }
            minimum = requested
        }
        if minimum > 0, !(await cache.waitUntilFresh(minimum)) { return nil }
        return cache.list(context.resource, namespace: context.namespace, selection: selection,
                          minimumRevision: minimum, limit: limit)
    }

    /// The list response for a cache snapshot: stored bytes spliced into the list without parsing, or a
    /// Table built from the parsed objects.
    func cachedListResponse(_ context: RequestContext, _ snapshot: WatchCache.ListSnapshot, selection: ListSelection)
        throws -> APIResponse
    {
        let resource = context.resource
        var continueToken: String?
        var remainingItemCount: Int64?
        if let more = snapshot.more {
            continueToken = try ContinueToken.after(
                lastKey: more.lastKey, keyPrefix: resource.keyPrefix(namespace: context.namespace),
                revision: snapshot.revision).encoded()
            if selection.isEverything { remainingItemCount = Int64(more.remaining) }
        }
        if context.request.wantsTable {
            let objects = snapshot.items.map { $0.object(resourceVersion: $0.modRevision) }
            var table = TableBuilder(resource: resource, now: clock()).table(
                objects, listRevision: String(snapshot.revision), includeObject: context.query["includeObject"])
            if let continueToken { table.set(["metadata", "continue"], .string(continueToken)) }
            return .json(table)
        }
        var out: [UInt8] = []
        let size = snapshot.items.reduce(256) { $0 + $1.value.count + 40 }
        out.reserveCapacity(size > Self.streamedListBytes ? 1024 : size)
        out.append(contentsOf: #"{"apiVersion":"#.utf8)
        JSONValueWriter.writeString(resource.apiVersion, into: &out)
        out.append(contentsOf: #","kind":"#.utf8)
        JSONValueWriter.writeString(resource.listKind, into: &out)
        out.append(contentsOf: #","metadata":{"resourceVersion":""#.utf8)
        out.append(contentsOf: String(snapshot.revision).utf8)
        out.append(UInt8(ascii: "\""))
        if let continueToken {
            out.append(contentsOf: #","continue":"#.utf8)
            JSONValueWriter.writeString(continueToken, into: &out)
        }
        if let remainingItemCount {
            out.append(contentsOf: #","remainingItemCount":"#.utf8)
            out.append(contentsOf: String(remainingItemCount).utf8)
        }
        out.append(contentsOf: #"},"items":["#.utf8)
        let headers = [("Content-Type", APIResponse.jsonContentType)]
        guard size > Self.streamedListBytes else {
            _ = Self.appendItems(snapshot.items, from: 0, into: &out, upTo: .max)
            out.append(contentsOf: "]}".utf8)
            return APIResponse(status: 200, headers: headers, body: .bytes(out))
        }
        // A big list goes out in chunks as it is written, so encrypting and sending overlap with writing
        // (and the client's reading) instead of waiting for the whole body. The chunks are the buffers the
        // server sends.
        let items = snapshot.items
        let head = out
        return APIResponse(status: 200, headers: headers, body: .bufferStream { emit in
            var next = 0
            repeat {
                var chunk = ByteBuffer()
                chunk.reserveCapacity(Self.listChunkBytes + 16_384)
                if next == 0 { head.withUnsafeBufferPointer { chunk.append(bytes: $0) } }
                next = Self.appendItems(items, from: next, into: &chunk, upTo: Self.listChunkBytes)
                if next == items.count { chunk.writeStaticString("]}") }
                try await emit(chunk)
            } while next < items.count
        })
    }

    /// Appends the items from `start` on, comma-separated, each with its resourceVersion spliced in, until `out`
    /// holds `limit` bytes or the items end; returns the index of the first item not written.
    static func appendItems<Sink: JSONByteSink>(_ items: [CachedObject], from start: Int, into out: inout Sink,
                                                upTo limit: Int) -> Int {
        var index = start
        while index < items.count, out.writtenByteCount < limit {
            if index > 0 { out.append(byte: UInt8(ascii: ",")) }
            items[index].write(resourceVersion: items[index].modRevision, into: &out)
            index += 1
        }
        return index
    }

    /// Lists bigger than this are streamed.
    static let streamedListBytes = 256 * 1024

    /// The size a streamed list's chunks grow to before they are sent. Kept below the allocator's mmap
    /// threshold (128 KiB) so chunk buffers are reused warm from the heap instead of being mapped,
    /// faulted in and zeroed afresh for every chunk.
    static let listChunkBytes = 48 * 1024
}
