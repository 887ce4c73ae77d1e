public import ControllerRuntime
import Foundation
public import KubeAPI
public import KubeClient
public import KubeCore
public import Logging
public import ServiceLifecycle
import Synchronization

/// The garbage collector (upstream `pkg/controller/garbagecollector`): watches the metadata of every
/// deletable kind, keeps an ``OwnershipGraph``, deletes dependents whose owners are all gone, finishes
/// foreground deletions (`foregroundDeletion`) once blocking dependents are gone, and orphans dependents of
/// owners deleted with `orphan`. Owners are always checked at the API (by uid) before a dependent is deleted.
///
/// Thread-safe; Sendable. Construct before the informer factory runs; `run()` may be called once.
public final class GarbageCollector: ServiceLifecycle.Service, Sendable {
    /// Kinds the collector does not watch (upstream `ignoredResources`: events).
    public static let ignoredKinds: Set<GroupKind> = [
        GroupKind(group: "", kind: "Event"), GroupKind(group: "events.k8s.io", kind: "Event"),
    ]

    /// Workers of the delete queue (upstream `--concurrent-gc-syncs`, default 20) and of the orphan queue.
    public let workers: Int
    let resources: DynamicResources
    let logger: Logger
    let deleteQueue: WorkQueue<String>
    let orphanQueue: WorkQueue<String>
    private let graph = Mutex(OwnershipGraph())
    private let syncs = Mutex<[@Sendable () async -> Void]>([])

    /// Watches every kind of `types` that can be listed, watched and deleted, except ``ignoredKinds``.
    public init(client: APIClient, informers: InformerFactory, workers: Int = 5,
                types: [any KubeResource.Type] = APIRegistry.resourceTypes, logger: Logger) {
        self.workers = max(1, workers)
        resources = DynamicResources(client: client)
        var logger = logger
        logger[metadataKey: "controller"] = "garbage-collector"
        self.logger = logger
        // Upstream's default controller backoff: 5ms doubling up to 1000s.
        deleteQueue = WorkQueue(backoff: .init(base: .milliseconds(5), maximum: .seconds(1000)))
        orphanQueue = WorkQueue(backoff: .init(base: .milliseconds(5), maximum: .seconds(1000)))
        for type in types where Self.monitors(type.resource) {
            monitor(type, informers: informers)
        }
    }

    /// Whether the collector watches a resource: listable, watchable, deletable, not ignored.
    public static func monitors(_ resource: ResourceInfo) -> Bool {
        let verbs = Set(resource.verbs)
        return verbs.isSuperset(of: ["list", "watch", "delete"])
            && !ignoredKinds.contains(GroupKind(group: resource.group, kind: resource.kind))
    }

    private func monitor<Object: KubeResource>(_ type: Object.Type, informers: InformerFactory) {
        let informer = informers.informer(Object.self)
        informer.addHandler { [weak self] event in
            guard let self else { return }
            switch event {
            case .added(let object):
                apply(.observed(Self.observed(object), previous: nil))
            case .updated(let old, let new):
                apply(.observed(Self.observed(new), previous: Self.observed(old)))
            case .deleted(let object):
                apply(.deleted(Self.observed(object)))
            }
        }
        syncs.withLock { $0.append { await informer.waitUntilSynced() } }
    }

    static func observed<Object: KubeResource>(_ object: Object) -> ObservedObject {
        let info = Object.resource
        let metadata = object.metadata
        return ObservedObject(
            identity: ObjectIdentity(apiVersion: info.apiVersion, kind: info.kind, name: metadata.name,
                                     uid: metadata.uid, namespace: info.namespaced ? metadata.namespace : ""),
            owners: metadata.ownerReferences, finalizers: metadata.finalizers,
            beingDeleted: metadata.deletionTimestamp != nil)
    }

    /// Returns once every watched kind has been listed.
    public func waitForSync() async {
        for sync in syncs.withLock({ $0 }) { await sync() }
    }

    public func run() async throws {
        let deleting = Controller(
            name: "garbage-collector", queue: deleteQueue, reconciler: AttemptToDelete(collector: self),
            workers: workers, waitForSync: { [self] in await waitForSync() }, logger: logger)
        let orphaning = Controller(
            name: "garbage-collector-orphan", queue: orphanQueue, reconciler: AttemptToOrphan(collector: self),
            workers: 1, waitForSync: { [self] in await waitForSync() }, logger: logger)
        logger.debug("Garbage collector starting")
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await deleting.run() }
            group.addTask { try await orphaning.run() }
        }
    }

    // MARK: Graph

    /// Applies a change to the graph and queues the work it asks for.
    func apply(_ change: GraphChange) {
        let work = graph.withLock { $0.apply(change) }
        for item in work {
            switch item {
            case .attemptToDelete(let uid): deleteQueue.add(uid)
            case .attemptToDeleteLater(let uid): deleteQueue.addRateLimited(uid)
            case .attemptToOrphan(let uid): orphanQueue.add(uid)
            }
        }
    }

    func node(_ uid: String) -> GraphNode? { graph.withLock { $0.node(uid) } }
    func dependents(of uid: String) -> [GraphNode] { graph.withLock { $0.dependents(of: uid) } }
    func blockingDependents(of uid: String) -> [GraphNode] { graph.withLock { $0.blockingDependents(of: uid) } }
    func isAbsent(_ identity: ObjectIdentity) -> Bool { graph.withLock { $0.absentOwners.contains(identity) } }
    func recordAbsent(_ identity: ObjectIdentity) { graph.withLock { $0.absentOwners.add(identity) } }

    /// A snapshot of the graph (tests and diagnostics).
    public var graphSnapshot: OwnershipGraph { graph.withLock { $0 } }
}

/// Failures that make the collector retry an item with backoff.
///
/// Value type; Sendable.
enum GarbageCollectorError: Error, CustomStringConvertible {
    /// An ownerReference or node names a kind this server does not serve (upstream `restMappingError`).
    case unknownKind(apiVersion: String, kind: String)
    /// A cluster-scoped object names a namespaced owner, which can never resolve; the item is dropped.
    case namespacedOwnerOfClusterScopedObject
    /// The object exists but no informer has shown it yet.
    case notObservedYet(ObjectIdentity)

    var description: String {
        switch self {
        case .unknownKind(let apiVersion, let kind):
            "unable to find a served resource for kind \(kind) in \(apiVersion); the reference waits until it is served"
        case .namespacedOwnerOfClusterScopedObject:
            "a cluster-scoped object cannot have a namespaced owner"
        case .notObservedYet(let identity):
            "\(identity) exists but has not been observed by an informer yet"
        }
    }
}
