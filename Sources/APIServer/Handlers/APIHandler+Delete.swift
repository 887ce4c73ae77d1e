import Foundation
import KubeCore
import KubeStorage

extension APIHandler {
    /// `DeleteOptions` from the body (kubectl sends them there) and the query.
    struct DeleteOptions {
        var preconditionUID: String?
        var preconditionResourceVersion: String?
        var dryRun: Bool
        /// `Orphan`, `Background` or `Foreground`; nil when the client left it to the kind's default.
        var propagationPolicy: DeletionPropagation?
        /// The deprecated `orphanDependents` field (it wins over the kind's default, like upstream).
        var orphanDependents: Bool?
        /// `gracePeriodSeconds` from the body or the query (pods only use it).
        var gracePeriodSeconds: Int64?

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
            let policy = body["propagationPolicy"]?.stringValue ?? context.query["propagationPolicy"]
            if let policy {
                guard let parsed = DeletionPropagation(rawValue: policy) else {
                    throw APIError.badRequest(
                        "propagationPolicy: Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"")
                }
                propagationPolicy = parsed
            }
            if let grace = body["gracePeriodSeconds"]?.integerValue {
                gracePeriodSeconds = grace
            } else if let text = context.query["gracePeriodSeconds"] {
                guard let grace = Int64(text) else {
                    throw APIError.badRequest("gracePeriodSeconds: Invalid value: \"\(text)\": must be an integer")
                }
                gracePeriodSeconds = grace
            }
            if case .bool(let orphan)? = body["orphanDependents"] {
                orphanDependents = orphan
            } else if let flag = context.query["orphanDependents"] {
                orphanDependents = flag == "true"
            }
            if orphanDependents != nil, let policy {
                throw APIError.invalid(GroupKind(group: "meta.k8s.io", kind: "DeleteOptions"), name: "", errors: [
                    .invalid(FieldPath("propagationPolicy"), .string(policy),
                             "orphanDependents and deletionPropagation cannot be both set"),
                ])
            }
        }
    }

    func delete(_ context: RequestContext) async throws -> APIResponse {
        let options = try DeleteOptions(context)
        let outcome = try await deleteObjectReportingOutcome(context, name: context.name!, options: options)
        // Upstream answers 202 when the object stays and the client asked for cascading with orphanDependents=false.
        let accepted = !outcome.removed && options.orphanDependents == false
        return .json(outcome.object, status: accepted ? 202 : 200)
    }

    /// Deletes one object the way the generic registry store does: the delete options (and the kind's default
    /// policy) decide the garbage collector's finalizers (`orphan`, `foregroundDeletion`); an object left with
    /// finalizers is only marked (`deletionTimestamp`) and stays until an update removes the last one; anything
    /// else is removed at once. Namespaces are marked `Terminating` for the namespace controller instead.
    /// Returns the deleted or marked object.
    func deleteObject(_ context: RequestContext, name: String, options: DeleteOptions) async throws -> JSONValue {
        try await deleteObjectReportingOutcome(context, name: name, options: options).object
    }

    /// ``deleteObject(_:name:options:)`` that also tells whether the object is gone from storage.
    func deleteObjectReportingOutcome(_ context: RequestContext, name: String, options: DeleteOptions) async throws
        -> (object: JSONValue, removed: Bool)
    {
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
            let kind = GroupKind(group: resource.group, kind: resource.kind)
            let plan = DeletionPlan.plan(
                for: current.object, kind: kind,
                propagationPolicy: options.propagationPolicy, orphanDependents: options.orphanDependents,
                gracePeriodSeconds: DeletionPlan.podGracePeriod(
                    for: current.object, kind: kind, requested: options.gracePeriodSeconds),
                now: RFC3339Time(clock()))
            switch plan {
            case .keep(let object):
                return (object, false)
            case .mark(let marked):
                if options.dryRun { return (marked, false) }
                if let written = try await objects.update(resource, object: marked, expectedRevision: current.modRevision) {
                    await objectChanged(resource, object: written, change: .updated)
                    return (written, false)
                }
            case .remove:
                if options.dryRun { return (current.object, true) }
                if let deleted = try await objects.delete(resource, namespace: context.namespace, name: name,
                                                          expectedRevision: current.modRevision) {
                    await objectChanged(resource, object: deleted, change: .deleted)
                    return (deleted, true)
                }
            }
        }
        throw APIError.conflict(resource.groupResource, name: name, message: "too many concurrent updates; try again")
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
