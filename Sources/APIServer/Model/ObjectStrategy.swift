public import KubeCore

/// How one kind's objects are checked and completed on their way into the store, as the Kubernetes API
/// server's per-resource strategies do.
///
/// Implementations are Sendable and stateless.
public protocol ObjectStrategy: Sendable {
    /// Decodes `object` into the kind's typed form (dropping unknown fields), applies API defaults and
    /// encodes it again. Returns the result and the paths of fields the type does not know (for
    /// `fieldValidation`). Wrong JSON types throw `APIError.badRequest`.
    func normalize(_ object: JSONValue) throws -> NormalizedObject

    /// Completes `object` on create once the server has set its identity (uid, creationTimestamp) and
    /// before validation: upstream `PrepareForCreate` steps that need the uid (a Job's generated selector).
    func prepareForCreate(_ object: JSONValue) throws -> JSONValue

    /// Validation errors of `object` (on create `old` is nil).
    func validate(_ object: JSONValue, old: JSONValue?) -> FieldErrorList
}

extension ObjectStrategy {
    /// Nothing to complete unless the strategy says otherwise.
    public func prepareForCreate(_ object: JSONValue) throws -> JSONValue { object }
}

/// An object after normalisation.
///
/// Value type; Sendable.
public struct NormalizedObject: Sendable {
    public var object: JSONValue
    /// JSON paths such as `.spec.foo` that the kind does not define.
    public var unknownFields: [String]

    public init(object: JSONValue, unknownFields: [String]) {
        self.object = object
        self.unknownFields = unknownFields
    }
}

/// The strategy of kinds without a typed definition: objects are stored as sent (after the generic
/// metadata checks every kind gets).
public struct GenericStrategy: ObjectStrategy {
    public init() {}

    public func normalize(_ object: JSONValue) throws -> NormalizedObject {
        NormalizedObject(object: object, unknownFields: [])
    }

    public func validate(_ object: JSONValue, old: JSONValue?) -> FieldErrorList {
        FieldErrorList()
    }
}
