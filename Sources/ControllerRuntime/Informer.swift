import Foundation
public import KubeAPI
public import KubeClient
import KubeCore
public import Logging
public import ServiceLifecycle
import Synchronization

/// Keeps an ``ObjectCache`` of one resource in step with the API server (upstream `SharedIndexInformer`):
/// lists, then watches from the list's resource version; relists on `410 Gone`; re-watches from the last
/// seen version when a watch ends; backs off on failures; optionally re-delivers every object as an update
/// every `resyncInterval`. Handlers run after the cache is updated, one event at a time, in order.
///
/// Thread-safe; Sendable. Register handlers and indexes before `run()`; `run()` may be called once.
public final class Informer<Object: KubeResource>: ServiceLifecycle.Service, Sendable {
    public typealias Handler = @Sendable (InformerEvent<Object>) -> Void

    public let cache = ObjectCache<Object>()
    private let client: APIClient
    private let namespace: String?
    private let options: ListOptions
    private let resyncInterval: Duration?
    private let logger: Logger
    private let handlers = Mutex<[Handler]>([])
    private let synced = SyncSignal()

    /// - Parameters:
    ///   - namespace: watch one namespace only; nil for all.
    ///   - options: label and field selectors (resource versions are the informer's own).
    public init(client: APIClient, namespace: String? = nil, options: ListOptions = ListOptions(),
                resyncInterval: Duration? = nil, logger: Logger) {
        self.client = client
        self.namespace = namespace
        self.options = options
        self.resyncInterval = resyncInterval
        var logger = logger
        logger[metadataKey: "resource"] = "\(Object.resource.plural)"
        self.logger = logger
    }

    /// Adds a handler; it sees every later event (register before `run()` to see the initial list).
    public func addHandler(_ handler: @escaping Handler) {
        handlers.withLock { $0.append(handler) }
    }

    /// Files objects under an index of the cache.
    public func addIndex(_ name: String, _ function: @escaping ObjectCache<Object>.IndexFunction) {
        cache.addIndex(name, function)
    }

    /// Whether the first list has been applied to the cache.
    public var hasSynced: Bool { synced.isSet }

    /// Returns once the first list has been applied to the cache (or the task is cancelled).
    public func waitUntilSynced() async {
        await synced.wait()
    }

    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            if let resyncInterval {
                group.addTask { [self] in try await resyncLoop(every: resyncInterval) }
            }
            group.addTask { [self] in await listAndWatchLoop() }
            // Ends when cancelled.
        }
    }

    // MARK: List and watch

    private func listAndWatchLoop() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let resourceVersion = try await listIntoCache()
                failures = 0
                try await watchLoop(from: resourceVersion)
            } catch is CancellationError {
                return
            } catch {
                failures += 1
                logger.warning("List and watch failed; retrying", metadata: ["error": "\(error)", "failures": "\(failures)"])
                let delay = Duration.milliseconds(min(30_000, 200 * (1 << min(failures, 8))))
                do { try await Task.sleep(for: delay) } catch { return }
            }
        }
    }

    /// Lists in pages and replaces the cache; returns the list's resource version.
    private func listIntoCache() async throws -> String {
        var items: [Object] = []
        var listOptions = options
        listOptions.limit = 500
        listOptions.continueToken = nil
        var resourceVersion = ""
        repeat {
            let page = try await client.list(Object.self, namespace: namespace, options: listOptions)
            items += page.items
            resourceVersion = page.metadata.resourceVersion
            listOptions.continueToken = page.metadata.continueToken.isEmpty ? nil : page.metadata.continueToken
        } while listOptions.continueToken != nil
        replace(with: items)
        synced.set()
        return resourceVersion
    }

    /// Watches from `resourceVersion`, re-watching when a watch ends; returns when a relist is needed.
    private func watchLoop(from start: String) async throws {
        var resourceVersion = start
        var failures = 0
        while !Task.isCancelled {
            var watchOptions = options
            watchOptions.resourceVersion = resourceVersion
            watchOptions.allowWatchBookmarks = true
            watchOptions.timeoutSeconds = Int.random(in: 300...600)
            do {
                let events = try await client.watch(Object.self, namespace: namespace, options: watchOptions)
                for try await event in events {
                    failures = 0
                    switch event {
                    case .added(let object), .modified(let object):
                        resourceVersion = object.metadata.resourceVersion
                        apply(upsert: object)
                    case .deleted(let object):
                        resourceVersion = object.metadata.resourceVersion
                        apply(delete: object)
                    case .bookmark(let version):
                        resourceVersion = version
                    case .error(let status):
                        if status.code == 410 || status.reason == .expired || status.reason == .gone {
                            logger.debug("Watch expired; relisting", metadata: ["resourceVersion": "\(resourceVersion)"])
                            return
                        }
                        throw APIError(status: status)
                    }
                }
            } catch let error as APIError where error.httpStatusCode == 410 {
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                failures += 1
                if failures > 5 { throw error }
                logger.debug("Watch failed; re-watching", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .milliseconds(100 * (1 << failures)))
            }
        }
        throw CancellationError()
    }

    // MARK: Cache updates

    private func replace(with items: [Object]) {
        var seen = Set<ObjectKey>()
        var events: [InformerEvent<Object>] = []
        for object in items {
            let key = ObjectKey(object)
            seen.insert(key)
            if let old = cache.upsert(object) {
                if old.metadata.resourceVersion != object.metadata.resourceVersion {
                    events.append(.updated(old: old, new: object))
                }
            } else {
                events.append(.added(object))
            }
        }
        for key in cache.keys where !seen.contains(key) {
            if let old = cache.remove(key) { events.append(.deleted(old)) }
        }
        deliver(events)
    }

    private func apply(upsert object: Object) {
        if let old = cache.upsert(object) {
            deliver([.updated(old: old, new: object)])
        } else {
            deliver([.added(object)])
        }
    }

    private func apply(delete object: Object) {
        let old = cache.remove(ObjectKey(object))
        deliver([.deleted(old ?? object)])
    }

    private func deliver(_ events: [InformerEvent<Object>]) {
        guard !events.isEmpty else { return }
        let handlers = handlers.withLock { $0 }
        for event in events {
            for handler in handlers { handler(event) }
        }
    }

    private func resyncLoop(every interval: Duration) async throws {
        while true {
            try await Task.sleep(for: interval)
            let handlers = handlers.withLock { $0 }
            for object in cache.list() {
                for handler in handlers { handler(.updated(old: object, new: object)) }
            }
        }
    }
}
