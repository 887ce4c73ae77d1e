public import KubeAPI
import KubeCore

/// The identity a work queue and a cache use for an object: `namespace/name` (`name` for cluster-scoped
/// objects), as upstream `cache.MetaNamespaceKeyFunc`.
///
/// Value type; Sendable.
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Empty for cluster-scoped objects.
    public var namespace: String
    public var name: String

    public init(namespace: String = "", name: String) {
        self.namespace = namespace
        self.name = name
    }

    public init<Object: KubeResource>(_ object: Object) {
        self.init(namespace: Object.resource.namespaced ? object.metadata.namespace : "", name: object.metadata.name)
    }

    public var description: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }

    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
    }
}
