public import KubeAPI
import KubeCore
import Synchronization

/// The informer's local copy of one resource: objects by key plus secondary indexes (upstream
/// `cache.Indexer`). Readers get consistent snapshots; only the owning ``Informer`` writes.
///
/// Thread-safe (a mutex guards all state); Sendable.
public final class ObjectCache<Object: KubeResource>: Sendable {
    /// Maps an object to the index values it is filed under.
    public typealias IndexFunction = @Sendable (Object) -> [String]

    /// The index every cache has: objects by namespace.
    public static var namespaceIndex: String { "namespace" }

    private struct State {
        var objects: [ObjectKey: Object] = [:]
        var indexers: [String: IndexFunction] = [:]
        /// index name → index value → keys.
        var indexes: [String: [String: Set<ObjectKey>]] = [:]
    }

    private let state: Mutex<State>

    public init() {
        var initial = State()
        initial.indexers[Self.namespaceIndex] = { [Object.resource.namespaced ? $0.metadata.namespace : ""] }
        initial.indexes[Self.namespaceIndex] = [:]
        state = Mutex(initial)
    }

    /// Adds an index; existing objects are filed under it at once.
    public func addIndex(_ name: String, _ function: @escaping IndexFunction) {
        state.withLock { state in
            state.indexers[name] = function
            var index: [String: Set<ObjectKey>] = [:]
            for (key, object) in state.objects {
                for value in function(object) { index[value, default: []].insert(key) }
            }
            state.indexes[name] = index
        }
    }

    public func get(_ key: ObjectKey) -> Object? {
        state.withLock { $0.objects[key] }
    }

    public func get(namespace: String = "", name: String) -> Object? {
        get(ObjectKey(namespace: namespace, name: name))
    }

    /// Every object, in key order.
    public func list() -> [Object] {
        state.withLock { state in state.objects.sorted { $0.key < $1.key }.map(\.value) }
    }

    /// The objects of one namespace, in key order.
    public func list(namespace: String) -> [Object] {
        byIndex(Self.namespaceIndex, value: namespace)
    }

    /// The objects filed under `value` in index `name`, in key order; empty for an unknown index.
    public func byIndex(_ name: String, value: String) -> [Object] {
        state.withLock { state in
            guard let keys = state.indexes[name]?[value] else { return [] }
            return keys.sorted().compactMap { state.objects[$0] }
        }
    }

    public var count: Int { state.withLock { $0.objects.count } }

    public var keys: [ObjectKey] { state.withLock { $0.objects.keys.sorted() } }

    // MARK: Writes (the informer's)

    /// Stores `object`; returns the object it replaced.
    @discardableResult
    func upsert(_ object: Object) -> Object? {
        let key = ObjectKey(object)
        return state.withLock { state in
            let old = state.objects.updateValue(object, forKey: key)
            if let old { Self.unindex(old, key: key, state: &state) }
            Self.index(object, key: key, state: &state)
            return old
        }
    }

    /// Removes the object at `key`; returns it.
    @discardableResult
    func remove(_ key: ObjectKey) -> Object? {
        state.withLock { state in
            guard let old = state.objects.removeValue(forKey: key) else { return nil }
            Self.unindex(old, key: key, state: &state)
            return old
        }
    }

    private static func index(_ object: Object, key: ObjectKey, state: inout State) {
        for (name, function) in state.indexers {
            for value in function(object) { state.indexes[name, default: [:]][value, default: []].insert(key) }
        }
    }

    private static func unindex(_ object: Object, key: ObjectKey, state: inout State) {
        for (name, function) in state.indexers {
            for value in function(object) {
                state.indexes[name]?[value]?.remove(key)
                if state.indexes[name]?[value]?.isEmpty == true { state.indexes[name]?[value] = nil }
            }
        }
    }
}
