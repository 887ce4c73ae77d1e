import KubeAPI
import KubeCore

/// Server-side apply (`PATCH` with `application/apply-patch+yaml`) and the `managedFields` record every
/// write keeps, as the API server's field manager does.
enum ApplyPatch {
    static let mediaType = "application/apply-patch+yaml"
    /// kubectl's client-side apply annotation, kept in step by `kubectl` server-side applies.
    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
    /// The manager whose applies upgrade from (and keep) the client-side apply annotation.
    static let kubectlManager = "kubectl"
    /// Upstream `FieldManagerMaxLength`.
    static let maxManagerLength = 128
}

extension APIHandler {
    // MARK: Apply

    func applyPatch(_ context: RequestContext) async throws -> APIResponse {
        let managerName = context.query["fieldManager"] ?? ""
        var optionErrors = fieldManagerErrors(managerName)
        if managerName.isEmpty {
            optionErrors.insert(.required(FieldPath("fieldManager"), "is required for apply patch"), at: 0)
        }
        if !optionErrors.isEmpty {
            throw APIError.invalid(GroupKind(group: "meta.k8s.io", kind: "PatchOptions"), name: "",
                                   errors: FieldErrorList(optionErrors))
        }
        var config: JSONValue
        do {
            config = try ApplyBodyParser.parse(context.request.body)
        } catch {
            throw APIError.badRequest("error decoding YAML: \(error)")
        }
        switch config {
        case .object: break
        case .null: config = .object([:])
        case .array, .string, .bool, .integer, .number:
            let found = switch config {
            case .array: "array"
            case .string: "string"
            case .bool: "bool"
            default: "number"
            }
            throw APIError.badRequest(
                "error decoding YAML: json: cannot unmarshal \(found) into Go value of type map[string]interface {}")
        }
        let resource = context.resource
        let apiVersion = config["apiVersion"]?.stringValue ?? ""
        let kind = config["kind"]?.stringValue ?? ""
        if apiVersion != resource.apiVersion || kind != resource.kind {
            let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
            let groupVersion = switch parts.count {
            case 1: "/" + apiVersion
            case 2: apiVersion
            default: "/"
            }
            throw APIError.badRequest("invalid object type: \(groupVersion), Kind=\(kind)")
        }
        if let managed = config["metadata"]?["managedFields"], managed != .null {
            throw APIError.badRequest("metadata.managedFields must be nil")
        }
        let manager = fieldManager(context)
        try checkApplyConfiguration(config, manager: manager, context: context)
        if context.subresource == nil, resource.hasStatus { config.set(["status"], nil) }
        let identity = ManagerIdentity(manager: managerName, operation: ManagerIdentity.apply,
                                       apiVersion: resource.apiVersion, subresource: context.subresource ?? "")
        let force = context.query.flag("force")
        for _ in 0..<4 {
            let live = try await objects.getIfPresent(resource, namespace: context.namespace, name: context.name!)
            guard live == nil else { break }
            // Apply to an object that does not exist creates it through the normal create path.
            guard context.subresource == nil else { throw APIError.notFound(resource.groupResource, name: context.name!) }
            let (object, managed) = try applied(config, to: .object([:]), managed: ManagedFieldsState(),
                                                identity: identity, force: force, manager: manager)
            try checkName(object, context: context)
            let normalized = try normalize(object, duplicates: [], context: context)
            do {
                return try await insert(normalized.object, warnings: normalized.warnings, context: context,
                                        appliedFields: managed)
            } catch let error as APIError where error.status.reason == .alreadyExists {
                continue
            }
        }
        var normalizedWarnings: [String] = []
        // A resourceVersion in the configuration is a precondition, as for other patches.
        let precondition = config["metadata"]?["resourceVersion"]?.stringValue ?? ""
        let result = try await guaranteedUpdate(context, precondition: precondition, recordsUpdate: false) { current in
            let managed = (try? ManagedFieldsState(decoding: current["metadata"]?["managedFields"])) ?? ManagedFieldsState()
            var live = current
            live.set(["metadata", "managedFields"], nil)
            let (object0, state) = try applied(config, to: live, managed: managed, identity: identity, force: force,
                                              manager: manager)
            var object = object0
            // Unchanged ownership keeps the stored bytes, so a no-op apply writes nothing.
            object.set(["metadata", "managedFields"],
                       state == managed ? current["metadata"]?["managedFields"] : state.encoded)
            try checkName(object, context: context)
            let normalized = try normalize(object, duplicates: [], context: context)
            normalizedWarnings = normalized.warnings
            return normalized.object
        }
        return .json(result.object, warnings: normalizedWarnings)
    }

    /// Applies `config` to `live`; for `kubectl` also forgives conflicts on fields its client-side apply
    /// annotation lists and keeps that annotation in step (upstream `lastAppliedManager` and
    /// `lastAppliedUpdater`).
    private func applied(_ config: JSONValue, to live: JSONValue, managed: ManagedFieldsState,
                         identity: ManagerIdentity, force: Bool, manager: FieldManager) throws
        -> (object: JSONValue, managed: ManagedFieldsState)
    {
        let time = RFC3339Time(clock()).description
        var result: (object: JSONValue, managed: ManagedFieldsState)
        do {
            result = try manager.apply(live: live, config: config, managed: managed, manager: identity, force: force,
                                       time: time)
        } catch let conflicts {
            guard identity.manager == ApplyPatch.kubectlManager,
                  let allowed = lastAppliedFields(live, manager: manager)
            else { throw conflicts }
            let remaining = conflicts.conflicts.filter { !allowed.contains($0.path) }
            guard remaining.isEmpty else { throw ApplyConflicts(conflicts: remaining) }
            result = try manager.apply(live: live, config: config, managed: managed, manager: identity, force: true,
                                       time: time)
        }
        if identity.manager == ApplyPatch.kubectlManager,
           result.object["metadata"]?["annotations"]?[ApplyPatch.lastAppliedAnnotation] != nil {
            var lastApplied = config
            var annotations = lastApplied["metadata"]?["annotations"]?.members ?? [:]
            annotations[ApplyPatch.lastAppliedAnnotation] = nil
            lastApplied.set(["metadata", "annotations"], annotations.isEmpty ? nil : .object(annotations))
            result.object.set(["metadata", "annotations", ApplyPatch.lastAppliedAnnotation],
                              .string(String(decoding: lastApplied.jsonBytes, as: UTF8.self) + "\n"))
        }
        return result
    }

    /// The field set of the live object's client-side apply annotation, nil when it has none.
    private func lastAppliedFields(_ live: JSONValue, manager: FieldManager) -> FieldSet? {
        guard let text = live["metadata"]?["annotations"]?[ApplyPatch.lastAppliedAnnotation]?.stringValue,
              let value = try? JSONValueParser.parse(Array(text.utf8)), case .object = value
        else { return nil }
        return FieldSetExtraction.fieldSet(of: value, schema: manager.schema)
    }

    /// Upstream `checkName` of the patch handler.
    private func checkName(_ object: JSONValue, context: RequestContext) throws {
        if object.name != context.name {
            throw APIError.badRequest(
                "the name of the object (\(object.name)) does not match the name on the URL (\(context.name ?? ""))")
        }
        if let namespace = context.namespace, !object.namespace.isEmpty, object.namespace != namespace {
            throw APIError.badRequest(
                "the namespace of the object (\(object.namespace)) does not match the namespace on the request (\(namespace))")
        }
    }

    /// Rejects a configuration that is not a typed object of the kind: unknown fields, wrong JSON types,
    /// list entries without (unique) keys. Upstream words it `failed to create typed patch object`.
    private func checkApplyConfiguration(_ config: JSONValue, manager: FieldManager, context: RequestContext) throws {
        let resource = context.resource
        let objectName = "\(context.namespace ?? "")/\(context.name ?? ""); \(resource.group)/\(resource.version), Kind=\(resource.kind)"
        func failure(_ detail: String) -> APIError {
            APIError.badRequest("failed to create typed patch object (\(objectName)): \(detail)")
        }
        if let schema = KindSchemas.schema(for: resource) {
            var body = config
            body.set(["metadata", "managedFields"], nil)
            let report = SchemaWalk.check(body, typeName: schema.name)
            if let unknown = report.unknownFields.first {
                throw failure("\(unknown): field not declared in schema")
            }
            if let typeError = report.typeError { throw failure(typeError) }
        }
        do {
            try ApplyConfigurationCheck.check(config, schema: manager.schema)
        } catch {
            throw failure(error.description)
        }
    }

    // MARK: managedFields

    /// The field manager of the request's resource and endpoint: `status` is not owned through the main
    /// resource, and only `status` through the status subresource (built once per resource and endpoint).
    func fieldManager(_ context: RequestContext) -> FieldManager {
        ApplyResourceProfile.profile(for: context.resource, subresource: context.subresource).manager
    }

    /// Records the change from `old` (nil: a create) to `new` as an `Update` by the request's manager in
    /// `new`'s `managedFields`. A `managedFields` the client sent replaces the stored one when it decodes
    /// (`[{}]` clears it); on a subresource the stored one is kept.
    func recordManagedFields(old: JSONValue?, new: JSONValue, context: RequestContext) -> JSONValue {
        let sent = new["metadata"]?["managedFields"]
        let stored = old?["metadata"]?["managedFields"]
        let storedState = (try? ManagedFieldsState(decoding: stored)) ?? ManagedFieldsState()
        var base = storedState
        if context.subresource == nil {
            if ManagedFieldsState.isResetRequest(sent) {
                base = ManagedFieldsState()
            } else if let state = try? ManagedFieldsState(decoding: sent), !state.entries.isEmpty {
                base = state
            }
        }
        let profile = ApplyResourceProfile.profile(for: context.resource, subresource: context.subresource)
        var after = new
        if sent != nil { after.set(["metadata", "managedFields"], nil) }
        let identity = ManagerIdentity(manager: updateManagerName(context), operation: ManagerIdentity.update,
                                       apiVersion: context.resource.apiVersion, subresource: context.subresource ?? "")
        let time = RFC3339Time(clock()).description
        var result = new
        guard let old else {
            if context.subresource == nil, base.entries.isEmpty {
                // A plain create: one walk against the kind's zero value (the same JSON as the general path).
                result.set(["metadata", "managedFields"], profile.createdManagedFields(after, identity: identity, time: time))
            } else {
                let state = profile.manager.update(old: profile.zero, new: after, managed: base, manager: identity,
                                                   time: time)
                result.set(["metadata", "managedFields"], state.encoded)
            }
            return result
        }
        var before = old
        before.set(["metadata", "managedFields"], nil)
        let state = profile.manager.update(old: before, new: after, managed: base, manager: identity, time: time)
        if state == storedState {
            result.set(["metadata", "managedFields"], stored)
        } else {
            result.set(["metadata", "managedFields"], state.encoded)
        }
        return result
    }

    /// The `fieldManager` query parameter, else the User-Agent up to its first `/` (upstream
    /// `prefixFromUserAgent`), printable characters only, at most 128 bytes.
    func updateManagerName(_ context: RequestContext) -> String {
        if let name = context.query["fieldManager"], !name.isEmpty { return name }
        let agent = context.request.headers["user-agent"] ?? ""
        var result = ""
        for character in agent.prefix(while: { $0 != "/" }) where character.isPrintable {
            if result.utf8.count + character.utf8.count > ApplyPatch.maxManagerLength { break }
            result.append(character)
        }
        return result
    }

    /// Upstream `ValidateFieldManager` for create, update and non-apply patch options.
    func checkFieldManager(_ context: RequestContext, options: String) throws {
        let errors = fieldManagerErrors(context.query["fieldManager"] ?? "")
        if !errors.isEmpty {
            throw APIError.invalid(GroupKind(group: "meta.k8s.io", kind: options), name: "", errors: FieldErrorList(errors))
        }
    }

    private func fieldManagerErrors(_ name: String) -> [FieldError] {
        var errors: [FieldError] = []
        if name.utf8.count > ApplyPatch.maxManagerLength {
            errors.append(.tooLong(FieldPath("fieldManager"), .string(name), maxLength: ApplyPatch.maxManagerLength))
        }
        for (position, character) in name.enumerated() where !character.isPrintable {
            let scalar = character.unicodeScalars.first!
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            errors.append(.invalid(FieldPath("fieldManager"), .string(name),
                                   "invalid character U+\(padded) (at position \(position))"))
        }
        return errors
    }
}

extension Character {
    /// Go `unicode.IsPrint` for the characters a manager name may hold: no control characters and no
    /// spacing other than the ASCII space.
    fileprivate var isPrintable: Bool {
        unicodeScalars.allSatisfy { scalar in
            scalar == " " || !(scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
                || scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .unassigned)
        }
    }
}
