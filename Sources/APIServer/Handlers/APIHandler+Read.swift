import Foundation
import KubeCore
import KubeStorage

extension APIHandler {
    func get(_ context: RequestContext) async throws -> APIResponse {
        let stored = try await objects.get(context.resource, namespace: context.namespace, name: context.name!)
        if context.request.wantsTable {
            return .json(TableBuilder(resource: context.resource, now: clock()).table(
                [stored.object], listRevision: stored.object.resourceVersion, includeObject: context.query["includeObject"]))
        }
        return .json(stored.object)
    }

    func list(_ context: RequestContext) async throws -> APIResponse {
        let resource = context.resource
        let selection = try ListSelection(query: context.query, resource: resource)
        if let snapshot = try await listFromCache(context, selection: selection) {
            return try cachedListResponse(context, snapshot, selection: selection)
        }
        let page = try await readPage(context, selection: selection)
        if context.request.wantsTable {
            var table = TableBuilder(resource: resource, now: clock()).table(
                page.items, listRevision: String(page.revision), includeObject: context.query["includeObject"])
            if let token = page.continueToken { table.set(["metadata", "continue"], .string(token)) }
            return .json(table)
        }
        var metadata: [String: JSONValue] = ["resourceVersion": .string(String(page.revision))]
        if let token = page.continueToken { metadata["continue"] = .string(token) }
        if let remaining = page.remainingItemCount { metadata["remainingItemCount"] = .integer(remaining) }
        return .json([
            "apiVersion": .string(resource.apiVersion),
            "kind": .string(resource.listKind),
            "metadata": .object(metadata),
            "items": .array(page.items),
        ])
    }

    struct ListPage {
        var items: [JSONValue]
        var revision: Revision
        var continueToken: String?
        var remainingItemCount: Int64?
    }

    /// One page of a list, following the API server's resourceVersion / limit / continue rules.
    func readPage(_ context: RequestContext, selection: ListSelection) async throws -> ListPage {
        let resource = context.resource
        let prefix = resource.keyPrefix(namespace: context.namespace)
        let limit = max(0, Int(context.query.integer("limit") ?? 0))
        var range = KeyRange.prefix(prefix)
        var revision: Revision?
        if let token = context.query["continue"], !token.isEmpty {
            if let rv = context.query["resourceVersion"], !rv.isEmpty, rv != "0" {
                throw APIError.badRequest("specifying resource version is not allowed when using continue")
            }
            let (decoded, fromKey) = try ContinueToken.decode(token, keyPrefix: prefix)
            range = KeyRange(start: Array(fromKey.utf8), end: range.end)
            revision = decoded.revision > 0 ? decoded.revision : nil
        } else if let rv = context.query["resourceVersion"], !rv.isEmpty, rv != "0" {
            guard let requested = Revision(rv) else {
                throw APIError.badRequest("invalid resource version \"\(rv)\"")
            }
            switch context.query["resourceVersionMatch"] ?? "" {
            case "Exact": revision = requested
            case "NotOlderThan", "":
                if limit > 0 && (context.query["resourceVersionMatch"] ?? "").isEmpty { revision = requested }
                let current = try await objects.store.currentRevision()
                if requested > current {
                    throw APIError.timeout("Too large resource version: \(requested), current: \(current)", retryAfterSeconds: 1)
                }
            default:
                throw APIError.badRequest("resourceVersionMatch: Unsupported value: \"\(context.query["resourceVersionMatch"]!)\"")
            }
        }
        var items: [JSONValue] = []
        var readRevision: Revision = 0
        var lastKey: String?
        var more = false
        var firstCount: Int64?
        var batch = limit > 0 ? limit : 0
        while true {
            let result: ReadResult
            do {
                result = try await objects.store.range(range, at: revision, limit: batch == 0 ? nil : batch, keysOnly: false)
            } catch StorageError.compacted {
                if context.query["continue"] != nil {
                    let fresh = ContinueToken(revision: -1, start: lastKey.map { String($0.dropFirst(prefix.count)) + "\u{0}" } ?? "").encoded()
                    throw APIError(status: Status(
                        metadata: ListMeta(continueToken: fresh), status: Status.failure,
                        message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
                        reason: .expired, code: 410))
                }
                throw APIError.resourceExpired("The resourceVersion for the provided list is too old.")
            }
            if revision == nil { revision = result.revision }
            readRevision = revision ?? result.revision
            if firstCount == nil { firstCount = result.count }
            for kv in result.kvs {
                lastKey = kv.key
                let object = try ObjectStore.decode(kv)
                if selection.matches(object, resource: resource) {
                    items.append(object)
                    if limit > 0 && items.count >= limit { break }
                }
            }
            more = result.more || (limit > 0 && items.count >= limit && lastKey != result.kvs.last?.key)
            if limit == 0 || items.count >= limit || !result.more { break }
            range = range.continuing(after: lastKey!)
            batch = min(batch * 2, 10_000)
        }
        var page = ListPage(items: items, revision: readRevision)
        if more, limit > 0, let lastKey {
            page.continueToken = try ContinueToken.after(lastKey: lastKey, keyPrefix: prefix, revision: readRevision).encoded()
            if selection.isEverything, let firstCount { page.remainingItemCount = max(0, firstCount - Int64(items.count)) }
        }
        return page
    }
}
