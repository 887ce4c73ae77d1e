public import KubeCore
public import KubeStorage

/// Kubernetes objects over a `KeyValueStore`: JSON trees in, JSON trees out, with `resourceVersion` set
/// from the store's mod revision on every read (it is never stored inside the object).
///
/// Thread-safe (stateless over a thread-safe store).
public struct ObjectStore: Sendable {
    public let store: any KeyValueStore
    /// Where written objects' trees are left for the watch cache (nil without one).
    let hints: WrittenObjectHints?

    public init(store: any KeyValueStore) {
        self.init(store: store, hints: nil)
    }

    init(store: any KeyValueStore, hints: WrittenObjectHints?) {
        self.store = store
        self.hints = hints
    }

    /// One stored object with its revision.
    struct Stored: Sendable {
        var object: JSONValue
        var modRevision: Revision
    }

    static func decode(_ kv: KeyValue) throws -> JSONValue {
        var object = try JSONValueParser.parse(kv.value)
        object.set(["metadata", "resourceVersion"], .string(String(kv.modRevision)))
        return object
    }

    static func encodeForStorage(_ object: JSONValue) -> [UInt8] {
        storageForm(object).bytes
    }

    /// The object as stored (without `resourceVersion`): its tree and its bytes.
    static func storageForm(_ object: JSONValue) -> (tree: JSONValue, bytes: [UInt8]) {
        var copy = object
        copy.set(["metadata", "resourceVersion"], nil)
        return (copy, copy.jsonBytes)
    }

    /// The bytes to write at `key`, leaving their tree for the watch cache.
    private func bytesToWrite(_ object: JSONValue, key: String) -> [UInt8] {
        let (tree, bytes) = Self.storageForm(object)
        hints?.remember(key: key, bytes: bytes, tree: tree)
        return bytes
    }

    func get(_ resource: ServedResource, namespace: String?, name: String) async throws -> Stored {
        guard let stored = try await getIfPresent(resource, namespace: namespace, name: name) else {
            throw APIError.notFound(resource.groupResource, name: name)
        }
        return stored
    }

    func getIfPresent(_ resource: ServedResource, namespace: String?, name: String) async throws -> Stored? {
        guard let kv = try await store.get(resource.key(namespace: namespace, name: name)) else { return nil }
        return Stored(object: try Self.decode(kv), modRevision: kv.modRevision)
    }

    /// Creates `object` (`AlreadyExists` when the name is taken); returns it with its `resourceVersion` and its
    /// JSON: the stored bytes with the `resourceVersion` spliced into `metadata`, so a response does not write
    /// the object a second time.
    func createReturningJSON(_ resource: ServedResource, object: JSONValue) async throws
        -> (object: JSONValue, json: [UInt8])
    {
        let key = resource.key(namespace: object.namespace, name: object.name)
        let bytes = bytesToWrite(object, key: key)
        let outcome = try await store.create(key, value: bytes, ttlSeconds: nil)
        switch outcome {
        case .committed(let revision, _):
            var created = object
            created.set(["metadata", "resourceVersion"], .string(String(revision)))
            return (created, Self.json(stored: bytes, resourceVersion: revision, object: created))
        case .conflict:
            throw APIError.alreadyExists(resource.groupResource, name: object.name)
        }
    }

    /// `stored` (an object's bytes without `resourceVersion`) with `"resourceVersion":"<revision>"` as the
    /// first member of `metadata`; `object` is written instead when the bytes have no `metadata` object.
    static func json(stored: [UInt8], resourceVersion revision: Revision, object: JSONValue) -> [UInt8] {
        guard let (start, empty) = CachedObject.metadataObjectStart(stored) else { return object.jsonBytes }
        var out: [UInt8] = []
        out.reserveCapacity(stored.count + 48)
        CachedObject.spliceResourceVersion(revision, in: stored, at: start, metadataEmpty: empty, into: &out)
        return out
    }

    /// Replaces the object stored at `expectedRevision`; `nil` when someone else wrote in between.
    func update(_ resource: ServedResource, object: JSONValue, expectedRevision: Revision) async throws
        -> JSONValue?
    {
        let key = resource.key(namespace: object.namespace, name: object.name)
        let outcome = try await store.update(
            key, value: bytesToWrite(object, key: key), expectedModRevision: expectedRevision, ttlSeconds: nil)
        switch outcome {
        case .committed(let revision, _):
            var updated = object
            updated.set(["metadata", "resourceVersion"], .string(String(revision)))
            return updated
        case .conflict(let current, _):
            if current == nil { throw APIError.notFound(resource.groupResource, name: object.name) }
            return nil
        }
    }

    /// Deletes the object stored at `expectedRevision`; `nil` when someone else wrote in between.
    func delete(_ resource: ServedResource, namespace: String?, name: String, expectedRevision: Revision)
        async throws -> JSONValue?
    {
        let outcome = try await store.delete(
            resource.key(namespace: namespace, name: name), expectedModRevision: expectedRevision)
        switch outcome {
        case .committed(let revision, let previous):
            guard let previous else { return nil }
            var deleted = try Self.decode(previous)
            deleted.set(["metadata", "resourceVersion"], .string(String(revision)))
            return deleted
        case .conflict(let current, _):
            if current == nil { throw APIError.notFound(resource.groupResource, name: name) }
            return nil
        }
    }
}
