import KubeAPI
import KubeCore
import Synchronization

/// What field management needs of one served resource and endpoint that no request changes: its
/// ``FieldManager`` (schema, API version, ignored fields), the kind's zero value a create is compared
/// with, and the path filter of the create fast path. Built once per resource and endpoint kind (main
/// resource or `status`) from KubeAPI's static schemas and kept for the life of the process.
///
/// Value type; Sendable. The shared cache behind ``profile(for:subresource:)`` is a `Mutex`-protected
/// dictionary; building a profile happens outside the lock (two racing builders produce equivalent
/// profiles, and either may be kept).
struct ApplyResourceProfile: Sendable {
    let manager: FieldManager
    /// The kind's ``ZeroValue`` without `metadata.managedFields`, as a create's old object.
    let zero: JSONValue
    /// The manager's ignored fields and the server-maintained metadata, for ``CreatedFieldsV1``.
    let createFilter: CreatedFieldsV1.PathFilter
    /// The manager's schema as a node graph, for ``CreatedFieldsV1``.
    let createSchema: ApplySchemaNode

    /// What a profile depends on.
    private struct Key: Hashable {
        var group: String
        var version: String
        var kind: String
        var apiVersion: String
        var hasStatus: Bool
        var statusEndpoint: Bool
    }

    private static let cache = Mutex<[Key: ApplyResourceProfile]>([:])

    /// The profile of `resource` at `subresource` (nil: the main resource), built on first use.
    static func profile(for resource: ServedResource, subresource: String?) -> ApplyResourceProfile {
        let key = Key(group: resource.group, version: resource.version, kind: resource.kind,
                      apiVersion: resource.apiVersion, hasStatus: resource.hasStatus,
                      statusEndpoint: subresource == "status")
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let built = ApplyResourceProfile(resource: resource, subresource: subresource)
        cache.withLock { $0[key] = built }
        return built
    }

    /// Builds the profile without the cache: `status` is not owned through the main resource, and only
    /// `status` through the status subresource.
    init(resource: ServedResource, subresource: String?) {
        let typeSchema = KindSchemas.schema(for: resource)
        let schema = typeSchema.map(ApplySchema.root) ?? .deduced
        var ignored = FieldSet()
        if subresource == "status" {
            for field in typeSchema?.fields ?? [] where !["metadata", "status"].contains(field.name) {
                ignored.insert(.fields(field.name))
            }
            if typeSchema == nil { ignored.insert(.fields("spec")) }
        } else if resource.hasStatus {
            ignored.insert(.fields("status"))
        }
        let zero: JSONValue = if let typeSchema {
            ZeroValue.object(typeSchema, apiVersion: resource.apiVersion, kind: resource.kind)
        } else {
            ["apiVersion": .string(resource.apiVersion), "kind": .string(resource.kind)]
        }
        self.init(manager: FieldManager(schema: schema, apiVersion: resource.apiVersion, ignored: ignored), zero: zero)
    }

    /// A profile of `manager` whose creates are compared with `zero` (its `metadata.managedFields` dropped,
    /// as for any old object).
    init(manager: FieldManager, zero: JSONValue) {
        self.manager = manager
        var zero = zero
        zero.set(["metadata", "managedFields"], nil)
        self.zero = zero
        createFilter = CreatedFieldsV1.PathFilter(ignored: manager.ignored, suppressed: FieldManager.serverMetadata)
        createSchema = ApplySchemaNode.build(manager.schema)
    }
}

extension ApplyResourceProfile {
    /// The `managedFields` of a create of `new` (already without `metadata.managedFields`) by `identity`
    /// with no earlier ownership: exactly what `manager.update(old: zero, new: new, managed: [])` encodes,
    /// from one walk (``CreatedFieldsV1``) instead of path sets. Nil when the create owns nothing.
    func createdManagedFields(_ new: JSONValue, identity: ManagerIdentity, time: String) -> JSONValue? {
        switch CreatedFieldsV1.fieldsV1(zero: zero, new: new, schema: createSchema, filter: createFilter) {
        case .fields(nil):
            return nil
        case .fields(let fieldsV1?):
            return .array([ManagedFieldsState.encodedEntry(identity: identity, apiVersion: manager.apiVersion,
                                                           time: time, fieldsV1: fieldsV1)])
        case .unsupported:
            return manager.update(old: zero, new: new, managed: ManagedFieldsState(), manager: identity, time: time)
                .encoded
        }
    }
}
