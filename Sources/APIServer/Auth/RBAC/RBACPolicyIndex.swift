import Foundation
import KubeAPI
import KubeCore
public import KubeStorage
public import Logging
import Synchronization

/// The RBAC objects kept in memory for the authorizer (upstream's RBAC informers): `run()` lists the
/// `rbac.authorization.k8s.io` prefix of the store, then watches it from the listed revision, and lists
/// again when the watch fails (compaction, a reader too slow). Each change publishes a new immutable
/// `RBACPolicySnapshot`, so authorization never reads the store.
///
/// Thread-safe: the snapshot, sync state and subscribers live behind a `Mutex`; `run()` is called once.
public final class RBACPolicyIndex: RBACPolicySource, Sendable {
    static let keyPrefix = "/registry/rbac.authorization.k8s.io/"

    let store: any KeyValueStore
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var snapshot = RBACPolicySnapshot()
        var synced = false
        var syncWaiters: [CheckedContinuation<Void, Never>] = []
        var subscribers: [UUID: AsyncStream<Void>.Continuation] = [:]
    }

    /// One decoded RBAC object.
    enum Object: Sendable {
        case role(Role)
        case clusterRole(ClusterRole)
        case roleBinding(RoleBinding)
        case clusterRoleBinding(ClusterRoleBinding)
    }

    public init(store: any KeyValueStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public var snapshot: RBACPolicySnapshot { state.withLock { $0.snapshot } }

    /// Returns once the first list has been published.
    public func waitUntilSynced() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            state.withLock { state in
                if state.synced { continuation.resume() } else { state.syncWaiters.append(continuation) }
            }
        }
    }

    /// A stream that yields after every published change (coalesced: a slow reader sees one pending change).
    /// It ends when the reading task drops it.
    func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        state.withLock { $0.subscribers[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Lists and watches until the task is cancelled or the store closes.
    public func run() async {
        while !Task.isCancelled {
            do {
                let listed = try await Self.list(store)
                var objects = listed.objects
                let revision = listed.revision
                publish(objects)
                logger.debug("RBAC policy listed", metadata: ["objects": "\(objects.count)", "revision": "\(revision)"])
                for try await message in store.watch(.prefix(Self.keyPrefix), from: revision + 1, prevKV: false) {
                    guard case .events(let events) = message else { continue }
                    for event in events {
                        switch event.kind {
                        case .put: objects[event.kv.key] = Self.decode(key: event.kv.key, value: event.kv.value)
                        case .delete: objects[event.kv.key] = nil
                        }
                    }
                    publish(objects)
                }
                return  // the store closed
            } catch StorageError.unavailable {
                return
            } catch {
                if Task.isCancelled { return }
                logger.info("RBAC policy watch restarting", metadata: ["error": "\(error)"])
                if case StorageError.compacted = error { continue }
                if case StorageError.watcherTooSlow = error { continue }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    private func publish(_ objects: [String: Object]) {
        let snapshot = Self.snapshot(of: objects)
        let (waiters, subscribers) = state.withLock { state in
            state.snapshot = snapshot
            state.synced = true
            defer { state.syncWaiters = [] }
            return (state.syncWaiters, Array(state.subscribers.values))
        }
        for waiter in waiters { waiter.resume() }
        for subscriber in subscribers { subscriber.yield() }
    }

    /// Every RBAC object in the store and the revision read at.
    static func list(_ store: any KeyValueStore) async throws -> (objects: [String: Object], revision: Revision) {
        let result = try await store.range(.prefix(keyPrefix))
        var objects: [String: Object] = [:]
        for kv in result.kvs { objects[kv.key] = decode(key: kv.key, value: kv.value) }
        return (objects, result.revision)
    }

    /// A snapshot read from the store now (the escalation checks read the store, as upstream's do).
    static func load(from store: any KeyValueStore) async throws -> RBACPolicySnapshot {
        snapshot(of: try await list(store).objects)
    }

    static func snapshot(of objects: [String: Object]) -> RBACPolicySnapshot {
        var roles: [Role] = []
        var clusterRoles: [ClusterRole] = []
        var roleBindings: [RoleBinding] = []
        var clusterRoleBindings: [ClusterRoleBinding] = []
        for object in objects.values {
            switch object {
            case .role(let role): roles.append(role)
            case .clusterRole(let role): clusterRoles.append(role)
            case .roleBinding(let binding): roleBindings.append(binding)
            case .clusterRoleBinding(let binding): clusterRoleBindings.append(binding)
            }
        }
        return RBACPolicySnapshot(roles: roles, clusterRoles: clusterRoles, roleBindings: roleBindings,
                                  clusterRoleBindings: clusterRoleBindings)
    }

    /// The typed object stored at `key`, or nil for keys of other kinds and values that do not decode.
    static func decode(key: String, value: [UInt8]) -> Object? {
        guard key.hasPrefix(keyPrefix), let plural = key.dropFirst(keyPrefix.count).split(separator: "/").first
        else { return nil }
        let data = Data(value)
        switch plural {
        case "roles": return (try? KubeJSON.decode(Role.self, from: data)).map(Object.role)
        case "clusterroles": return (try? KubeJSON.decode(ClusterRole.self, from: data)).map(Object.clusterRole)
        case "rolebindings": return (try? KubeJSON.decode(RoleBinding.self, from: data)).map(Object.roleBinding)
        case "clusterrolebindings":
            return (try? KubeJSON.decode(ClusterRoleBinding.self, from: data)).map(Object.clusterRoleBinding)
        default: return nil
        }
    }
}
