public import KubeCore

/// Where an object (or an owner an ownerReference points at) lives: the reference's coordinates
/// (`apiVersion`, `kind`, `name`, `uid`) plus the namespace (empty for cluster-scoped objects) — upstream
/// garbage collector's `objectReference`.
///
/// Value type; Sendable.
public struct ObjectIdentity: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var namespace: String

    public init(apiVersion: String, kind: String, name: String, uid: String, namespace: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.namespace = namespace
    }

    /// The identity an owner reference names, placed in `namespace`.
    public init(owner reference: OwnerReference, namespace: String) {
        self.init(apiVersion: reference.apiVersion, kind: reference.kind, name: reference.name, uid: reference.uid,
                  namespace: namespace)
    }

    /// Whether `reference` names exactly these coordinates (upstream `ownerReferenceMatchesCoordinates`).
    public func matchesCoordinates(of reference: OwnerReference) -> Bool {
        reference.uid == uid && reference.name == name && reference.kind == kind && reference.apiVersion == apiVersion
    }

    public var description: String {
        "[\(apiVersion)/\(kind), namespace: \(namespace), name: \(name), uid: \(uid)]"
    }

    public static func < (lhs: ObjectIdentity, rhs: ObjectIdentity) -> Bool {
        (lhs.namespace, lhs.apiVersion, lhs.kind, lhs.name, lhs.uid)
            < (rhs.namespace, rhs.apiVersion, rhs.kind, rhs.name, rhs.uid)
    }
}
