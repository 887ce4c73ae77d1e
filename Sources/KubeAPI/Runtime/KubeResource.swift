public import KubeCore

/// A Kubernetes API type generated from `api/**.yaml`: a Go-compatible `Codable` value with a schema.
///
/// Every generated struct conforms; ``typeSchema`` describes its fields for OpenAPI, `kubectl explain`,
/// strategic merge patch and server-side apply.
public protocol APIType: Codable, Sendable, Equatable {
    /// The static description of this type's fields (generated).
    static var typeSchema: TypeSchema { get }
}

/// A top-level kind the API server serves (it has a `resource:` block in its YAML definition).
///
/// The generator supplies ``resource`` and the stored `metadata`; defaulting and validation are
/// hand-written per type in `Sources/KubeAPI/Defaults/` and `Sources/KubeAPI/Validation/` by
/// implementing ``applyDefaults()`` and ``validate(old:)`` in an extension (the protocol extension
/// below supplies no-op defaults).
public protocol KubeResource: APIType {
    /// Discovery facts: group, version, kind, plural, scope, short names, subresources, verbs.
    static var resource: ResourceInfo { get }

    /// Standard object metadata (always the first field of a resource).
    var metadata: ObjectMeta { get set }

    /// Sets upstream's defaults on fields the client left empty (upstream `SetObjectDefaults_<Kind>`).
    mutating func applyDefaults()

    /// Upstream `Validate<Kind>` (`old == nil`) or `Validate<Kind>Update` (`old` is the stored object).
    func validate(old: Self?) -> FieldErrorList
}

extension KubeResource {
    /// No defaults unless the type implements its own.
    public mutating func applyDefaults() {}

    /// Valid unless the type implements its own validation.
    public func validate(old: Self?) -> FieldErrorList { FieldErrorList() }
}
