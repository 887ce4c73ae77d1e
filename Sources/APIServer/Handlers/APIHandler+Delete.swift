import Foundation
import KubeCore
import KubeStorage

extension APIHandler {
    /// `DeleteOptions` from the body (kubectl sends them there) and the query.
    struct DeleteOptions {
        var preconditionUID: String?
        var preconditionResourceVersion: String?
        var dryRun: Bool

        init(_ context: RequestContext) throws {
            var body = JSONValue.object([:])
            if !context.request.body.isEmpty {
                do {
                    body = try JSONValueParser.parse(context.request.body)
                } catch {
                    throw APIError.badRequest("error decoding DeleteOptions: \(error)")
                }
            }
            try self.init(body: body, context: context)
        }

        /// Options from a parsed `DeleteOptions` object (the request body, or an `Eviction`'s `deleteOptions`).
        init(body: JSONValue, context: RequestContext) throws {
            preconditionUID = body["preconditions"]?["uid"]?.stringValue
            preconditionResourceVersion = body["preconditions"]?["resourceVersion"]?.stringValue
            var dryRunValues = context.query.dryRun
            if case .array(let values)? = body["dryRun"] { dryRunValues += values.compactMap(\.stringValue) }
            for value in dryRunValues where value != "All" {
                throw APIError.badRequest("dryRun: Unsupported value: \"\(value)\": supported values: \"All\"")
            }
            dryRun = !dryRunValues.isEmpty
            if let policy = body["propagationPolicy"]?.stringValue ?? context.query["propagationPolicy"],
               !["Orphan", "Background", "Foreground"].contains(policy) {
                throw APIError.badRequest(
                    "propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
            }
        }
    }

    func delete(_ context: RequestContext) async throws -> APIResponse {
        let options = try DeleteOptions(context)
        let deleted = try await deleteObject(context, name: context.name!, options: options)
        return .json(deleted)
    }

    /// Deletes one object: marks it when finalizers are pending, else removes it (retrying on races).
    func deleteObject(_ context: RequestContext, name: String, options: DeleteOptions) async throws -> JSONValue {
        let resource = context.resource
        for _ in 0..<16 {
            let current = try await objects.get(resource, namespace: context.namespace, name: name)
            if let uid = options.preconditionUID, uid != current.object.uid {
                throw APIError.conflict(resource.groupResource, name: name,
                    message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(current.object.uid)")
            }
            if let rv = options.preconditionResourceVersion, rv != current.object.resourceVersion {
                throw APIError.conflict(resource.groupResource, name: name,
                    message: "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(current.object.resourceVersion)")
            }
            if options.dryRun { return current.object }
            if resource.kind == "Namespace" {
                try await deleteNamespaceContents(name)
            }
            if !current.object.finalizers.isEmpty {
                if current.object.isBeingDeleted { return current.object }
                var marked = current.object
                marked.set(["metadata", "deletionTimestamp"], .string(RFC3339Time(clock()).description))
                marked.set(["metadata", "deletionGracePeriodSeconds"], .integer(0))
                if let written = try await objects.update(resource, object: marked, expectedRevision: current.modRevision) {
                    return written
                }
                continue
            }
            if let deleted = try await objects.delete(resource, namespace: context.namespace, name: name,
                                                      expectedRevision: current.modRevision) {
                await objectChanged(resource, object: deleted, change: .deleted)
                return deleted
            }
        }
        throw APIError.conflict(resource.groupResource, name: name, message: "too many concurrent updates; try again")
    }

    /// Removes every namespaced object in `namespace` (the namespace lifecycle, done inline).
    func deleteNamespaceContents(_ namespace: String) async throws {
        for resource in catalog.resources where resource.namespaced {
            let result = try await objects.store.range(.prefix(resource.keyPrefix(namespace: namespace)))
            for kv in result.kvs {
                _ = try await objects.store.delete(kv.key, expectedModRevision: nil)
            }
        }
    }

    func deleteCollection(_ context: RequestContext) async throws -> APIResponse {
        let options = try DeleteOptions(context)
        let selection = try ListSelection(query: context.query, resource: context.resource)
        var unlimited = context
        unlimited.query = QueryParameters(query: nil)
        let page = try await readPage(unlimited, selection: selection)
        var deleted: [JSONValue] = []
        for object in page.items {
            var itemContext = context
            itemContext.namespace = context.resource.namespaced ? object.namespace : nil
            do {
                deleted.append(try await deleteObject(itemContext, name: object.name, options: options))
            } catch let error as APIError where error.httpStatusCode == 404 {
                continue
            }
        }
        return .json([
            "apiVersion": .string(context.resource.apiVersion),
            "kind": .string(context.resource.listKind),
            "metadata": ["resourceVersion": .string(String(try await objects.store.currentRevision()))],
            "items": .array(deleted),
        ])
    }
}
