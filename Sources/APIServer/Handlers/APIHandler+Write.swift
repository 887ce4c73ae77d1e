import Foundation
import KubeCore
import KubeStorage

extension APIHandler {
    /// Parses a JSON (or protobuf) request body into an object, checking kind and apiVersion against the resource.
    func decodeBody(_ context: RequestContext) throws -> (object: JSONValue, duplicates: [String]) {
        let contentType = context.request.contentType
        if contentType.hasPrefix(ProtobufRequestBody.mediaType) {
            let resource = context.resource
            let object = try ProtobufRequestBody.decode(
                context.request.body, group: resource.group, version: resource.version, kind: resource.kind)
            try checkTypeMeta(object, resource: resource)
            return (object, [])
        }
        if contentType.hasPrefix("application/yaml") {
            let object: JSONValue
            do {
                object = try ApplyBodyParser.parse(context.request.body)
            } catch {
                throw APIError.badRequest("error decoding YAML: \(error.message)")
            }
            guard case .object = object else { throw APIError.badRequest("the body of the request must be a YAML mapping") }
            try checkTypeMeta(object, resource: context.resource)
            return (object, [])
        }
        if !contentType.hasPrefix("application/json") && !contentType.hasPrefix("*/*") && !contentType.isEmpty {
            throw APIError.unsupportedMediaType(
                accepted: ["application/json", "application/yaml", ProtobufRequestBody.mediaType])
        }
        let (object, duplicates) = try JSONValueParser.parseReportingDuplicates(context.request.body)
        guard case .object = object else {
            throw APIError.badRequest("the body of the request must be a JSON object")
        }
        try checkTypeMeta(object, resource: context.resource)
        return (object, duplicates)
    }

    func checkTypeMeta(_ object: JSONValue, resource: ServedResource) throws {
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != resource.kind {
            throw APIError.badRequest(
                "the kind in the request body (\(kind)) does not match the kind of the resource (\(resource.kind))")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != resource.apiVersion {
            throw APIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))")
        }
    }

    /// Normalises through the kind's strategy and applies `fieldValidation` (Strict, Warn, Ignore).
    func normalize(_ object: JSONValue, duplicates: [String], context: RequestContext) throws
        -> (object: JSONValue, warnings: [String])
    {
        let normalized = try context.resource.strategy.normalize(object)
        var problems = duplicates.map { "duplicate field \"\($0.dropFirst())\"" }
        problems += normalized.unknownFields.map { "unknown field \"\($0.dropFirst())\"" }
        var result = normalized.object
        result.set(["apiVersion"], .string(context.resource.apiVersion))
        result.set(["kind"], .string(context.resource.kind))
        switch context.query["fieldValidation"] ?? "Warn" {
        case "Strict":
            if !problems.isEmpty {
                throw APIError.badRequest("strict decoding error: " + problems.joined(separator: ", "))
            }
            return (result, [])
        case "Ignore":
            return (result, [])
        case "Warn", "":
            return (result, problems)
        case let other:
            throw APIError.badRequest(
                "fieldValidation: Unsupported value: \"\(other)\": supported values: \"Ignore\", \"Strict\", \"Warn\"")
        }
    }

    func validate(_ object: JSONValue, old: JSONValue?, context: RequestContext) throws {
        // Generic metadata checks and the kind's own checks overlap (both check names): keep each error once.
        var seen = Set<FieldError>()
        let errors = FieldErrorList(
            (Array(MetadataValidation.validate(object, resource: context.resource, isCreate: old == nil))
                + Array(context.resource.strategy.validate(object, old: old))).filter { seen.insert($0).inserted })
        if !errors.isEmpty {
            throw APIError.invalid(context.resource.groupKind, name: object.name, errors: errors)
        }
    }

    func checkDryRun(_ context: RequestContext) throws {
        for value in context.query.dryRun where value != "All" {
            throw APIError.badRequest("dryRun: Unsupported value: \"\(value)\": supported values: \"All\"")
        }
    }

    func create(_ context: RequestContext) async throws -> APIResponse {
        try checkDryRun(context)
        try checkFieldManager(context, options: "CreateOptions")
        let (body, duplicates) = try decodeBody(context)
        let (object, warnings) = try normalize(body, duplicates: duplicates, context: context)
        return try await insert(object, warnings: warnings, context: context, appliedFields: nil)
    }

    /// Stores a new, normalised object: namespace checks, identity, defaults, `managedFields` (an `Update`
    /// entry for the request's manager, or `appliedFields` from an apply that creates the object), validation.
    func insert(_ object: JSONValue, warnings: [String], context: RequestContext, appliedFields: ManagedFieldsState?)
        async throws -> APIResponse
    {
        var object = object
        let resource = context.resource
        if resource.namespaced {
            let bodyNamespace = object.namespace
            if !bodyNamespace.isEmpty, let namespace = context.namespace, bodyNamespace != namespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            guard let namespace = context.namespace else {
                throw APIError.methodNotSupported(resource.groupResource, action: "create")
            }
            object.set(["metadata", "namespace"], .string(namespace))
            try await requireActiveNamespace(namespace)
        } else {
            object.set(["metadata", "namespace"], nil)
        }
        if !object.resourceVersion.isEmpty {
            throw APIError.badRequest("resourceVersion should not be set on objects to be created")
        }
        let displayName = object.name.isEmpty ? object.metadataString("generateName") : object.name
        if object.name.isEmpty {
            let generateName = object.metadataString("generateName")
            if !generateName.isEmpty { object.set(["metadata", "name"], .string(NameGenerator.generate(base: generateName))) }
        }
        object.set(["metadata", "uid"], .string(ObjectUID.generate()))
        object.set(["metadata", "creationTimestamp"], .string(RFC3339Time(clock()).description))
        object.set(["metadata", "generation"], .integer(1))
        object.set(["metadata", "deletionTimestamp"], nil)
        object.set(["metadata", "selfLink"], nil)
        object = try resource.strategy.prepareForCreate(object)
        if resource.group == "certificates.k8s.io", resource.kind == "CertificateSigningRequest" {
            try prepareCertificateRequest(&object, user: context.request.user)
        }
        if resource.kind == "Pod", resource.group.isEmpty, let namespace = context.namespace {
            try await admitServiceAccount(&object, namespace: namespace, displayName: displayName)
            admitDefaultTolerationSeconds(&object)
        }
        if resource.hasStatus, object["status"] == nil, resource.kind == "Namespace" {
            object.set(["status"], ["phase": "Active"])
        }
        if let appliedFields {
            object.set(["metadata", "managedFields"], appliedFields.encoded)
        } else {
            object = recordManagedFields(old: nil, new: object, context: context)
        }
        try await checkRBACEscalation(object, old: nil, context: context)
        try validate(object, old: nil, context: context)
        if context.isDryRun {
            return .json(object, status: 201, warnings: warnings)
        }
        let (created, json) = try await objects.createReturningJSON(resource, object: object)
        await objectChanged(resource, object: created, change: .created)
        return .json(bytes: json, status: 201, warnings: warnings)
    }

    /// Refuses creates in a namespace that does not exist (404) or is being terminated (403), reading the
    /// namespace from the watch cache when it holds it and from the store otherwise.
    func requireActiveNamespace(_ namespace: String) async throws {
        guard let namespaces = catalog.namespaces else { return }
        let terminating: Bool
        switch cachedNamespaceState(namespace, namespaces: namespaces) {
        case .active:
            return
        case .terminating:
            terminating = true
        case .unknown:
            guard let stored = try await objects.getIfPresent(namespaces, namespace: nil, name: namespace) else {
                throw APIError.notFound(namespaces.groupResource, name: namespace)
            }
            terminating = Self.isTerminating(namespace: stored.object)
        }
        if terminating {
            throw APIError(status: Status(
                status: Status.failure,
                message: "\(namespace) is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                reason: .forbidden,
                details: StatusDetails(name: namespace, kind: "namespaces", causes: [
                    StatusCause(type: CauseType(rawValue: "NamespaceTerminating"),
                                message: "namespace \(namespace) is being terminated", field: "metadata.namespace"),
                ]),
                code: 403))
        }
    }

    func update(_ context: RequestContext) async throws -> APIResponse {
        try checkDryRun(context)
        try checkFieldManager(context, options: "UpdateOptions")
        let (body, duplicates) = try decodeBody(context)
        let (object, warnings) = try normalize(body, duplicates: duplicates, context: context)
        if !object.name.isEmpty, object.name != context.name {
            throw APIError.badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(context.name!))")
        }
        let result = try await guaranteedUpdate(context, precondition: object.resourceVersion) { _ in object }
        return .json(result.object, status: result.created ? 201 : 200, warnings: warnings)
    }

    /// Reads the current object, lets `transform` produce the new one, merges the server-owned metadata,
    /// validates and writes with compare-and-swap, retrying on races (like the API server's
    /// GuaranteedUpdate). A non-empty `precondition` resourceVersion that does not match is a 409.
    /// Unless `recordsUpdate` is off (an apply records its own), the change is recorded in `managedFields`
    /// as an `Update` by the request's field manager.
    /// A `trustedTransform` is the server's own edit of the current object (pod binding): it skips the
    /// client-facing metadata merge, field management and update validation, as upstream writes those straight
    /// to storage.
    func guaranteedUpdate(
        _ context: RequestContext, precondition: String, recordsUpdate: Bool = true, trustedTransform: Bool = false,
        transform: (JSONValue) throws -> JSONValue
    ) async throws -> (object: JSONValue, created: Bool) {
        let resource = context.resource
        let name = context.name!
        // The first attempt starts from the watch cache's copy (as upstream's GuaranteedUpdate starts from its
        // cached object); a stale copy loses the compare-and-swap, and an update that would write nothing is
        // confirmed against the store, so only the store's state decides.
        var fromCache = precondition.isEmpty
        for _ in 0..<16 {
            let current: ObjectStore.Stored
            if fromCache, let cached = watchCache?.object(resource, namespace: context.namespace, name: name) {
                current = ObjectStore.Stored(object: cached.object(resourceVersion: cached.modRevision),
                                             modRevision: cached.modRevision)
            } else {
                fromCache = false
                current = try await objects.get(resource, namespace: context.namespace, name: name)
            }
            if !precondition.isEmpty, precondition != current.object.resourceVersion {
                throw APIError.conflict(
                    resource.groupResource, name: name,
                    message: "the object has been modified; please apply your changes to the latest version and try again")
            }
            var updated: JSONValue
            do {
                updated = try transform(current.object)
                if !trustedTransform {
                    let ownRecord = updated["metadata"]?["managedFields"]
                    updated = mergeServerMetadata(new: updated, old: current.object, context: context)
                    if recordsUpdate {
                        updated = recordManagedFields(old: current.object, new: updated, context: context)
                    } else {
                        updated.set(["metadata", "managedFields"], ownRecord)
                    }
                    try await checkRBACEscalation(updated, old: current.object, context: context)
                    try validate(updated, old: current.object, context: context)
                }
            } catch where fromCache {
                // Judged against a cached copy: only the store's current object may refuse the update.
                fromCache = false
                continue
            }
            if updated == current.object || context.isDryRun {
                if fromCache {
                    fromCache = false
                    continue
                }
                return (updated, false)
            }
            // Finalizers all gone on an object being deleted: the update completes the delete.
            if DeletionPlan.updateCompletesDeletion(updated, kind: GroupKind(group: resource.group, kind: resource.kind)) {
                if let deleted = try await objects.delete(resource, namespace: context.namespace, name: name,
                                                          expectedRevision: current.modRevision) {
                    await objectChanged(resource, object: deleted, change: .deleted)
                    return (deleted, false)
                }
                fromCache = false
                continue
            }
            if let written = try await objects.update(resource, object: updated, expectedRevision: current.modRevision) {
                await objectChanged(resource, object: written, change: .updated)
                return (written, false)
            }
            fromCache = false
        }
        throw APIError.conflict(resource.groupResource, name: name, message: "too many concurrent updates; try again")
    }

    /// Keeps what clients may not change (uid, creation time, namespace, deletion state), bumps
    /// `generation` when anything but metadata and status changed, and applies the status-subresource rules.
    func mergeServerMetadata(new: JSONValue, old: JSONValue, context: RequestContext) -> JSONValue {
        var object = new
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "namespace"] {
            object.set(["metadata", field], old["metadata"]?[field])
        }
        object.set(["metadata", "name"], .string(old.name))
        object.set(["metadata", "selfLink"], nil)
        object.set(["metadata", "resourceVersion"], .string(old.resourceVersion))
        object.set(["apiVersion"], old["apiVersion"])
        object.set(["kind"], old["kind"])
        if context.resource.hasStatus {
            if context.subresource == "status" || context.subresource == "approval" {
                var merged = old
                merged.set(["status"], object["status"])
                // Upstream's Deployment status strategy resets only spec and labels: the controller records
                // `deployment.kubernetes.io/revision` with its status update.
                if context.resource.kind == "Deployment", context.subresource == "status" {
                    merged.set(["metadata", "annotations"], object["metadata"]?["annotations"])
                }
                object = merged
            } else {
                object.set(["status"], old["status"])
            }
        }
        let generation = old["metadata"]?["generation"]?.integerValue ?? 1
        var oldBody = old.members
        var newBody = object.members
        for key in ["metadata", "status", "apiVersion", "kind"] {
            oldBody[key] = nil
            newBody[key] = nil
        }
        object.set(["metadata", "generation"], .integer(oldBody == newBody ? generation : generation + 1))
        return object
    }
}

/// Random suffixes for `generateName`, from the API server's alphabet (no vowels, no look-alikes).
enum NameGenerator {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func generate(base: String) -> String {
        let trimmed = base.count > 58 ? String(base.prefix(58)) : base
        return trimmed + String((0..<5).map { _ in alphabet.randomElement()! })
    }
}
