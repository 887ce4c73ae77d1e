public import KubeAPI
public import KubeClient
public import Logging
public import ServiceLifecycle
import Synchronization

/// Shares one ``Informer`` per resource type among all controllers of a process (upstream
/// `SharedInformerFactory`), so pods are listed and watched once however many controllers read them.
///
/// Thread-safe; Sendable. Ask for every informer before `run()`; `run()` runs all of them and may be called once.
public final class InformerFactory: ServiceLifecycle.Service, Sendable {
    private let client: APIClient
    private let logger: Logger
    private let resyncInterval: Duration?
    private let informers = Mutex<[ObjectIdentifier: any InformerRunnable]>([:])

    public init(client: APIClient, resyncInterval: Duration? = nil, logger: Logger) {
        self.client = client
        self.resyncInterval = resyncInterval
        self.logger = logger
    }

    /// The shared informer of `Object` (all namespaces), created on first request.
    public func informer<Object: KubeResource>(_ type: Object.Type) -> Informer<Object> {
        informers.withLock { informers in
            if let existing = informers[ObjectIdentifier(type)] as? Informer<Object> { return existing }
            let informer = Informer<Object>(client: client, resyncInterval: resyncInterval, logger: logger)
            informers[ObjectIdentifier(type)] = informer
            return informer
        }
    }

    /// Returns once every informer created so far has listed once (or the task is cancelled).
    public func waitForSync() async {
        let all = informers.withLock { Array($0.values) }
        for informer in all { await informer.waitUntilSynced() }
    }

    public func run() async throws {
        let all = informers.withLock { Array($0.values) }
        try await withThrowingDiscardingTaskGroup { group in
            for informer in all {
                group.addTask { try await informer.run() }
            }
        }
    }
}

/// What the factory needs of an informer whatever its type.
protocol InformerRunnable: Sendable {
    func run() async throws
    func waitUntilSynced() async
}

extension Informer: InformerRunnable {}
