import Synchronization
import ControllerRuntime
public import Foundation
public import KubeAPI
public import KubeClient
import KubeCore
public import Logging
public import ServiceLifecycle

/// The node agent: registers the node, keeps its lease and status, runs a `PodWorker` for every pod bound
/// to it, re-adopts containers that survived a restart and removes those of pods that no longer exist.
///
/// Sendable; `run()` once. Cancelling it stops the loops but leaves running containers alone (a restarted
/// agent re-adopts them).
public final class KubeletService: ServiceLifecycle.Service, Sendable {
    public let configuration: KubeletConfiguration
    private let client: APIClient
    private let runtime: any PodRuntime
    private let observer: (any ContainerLifecycleObserver)?
    private let images: @Sendable () -> [ContainerImage]
    private let logger: Logger
    private let events: EventRecorder
    public let workers: PodWorkerRegistry
    private let pods: Informer<Pod>
    /// Runs the pods of `--pod-manifest-path` and `--manifest-url` (nil without either).
    public let staticPods: StaticPodManager?

    public init(configuration: KubeletConfiguration, client: APIClient, runtime: any PodRuntime,
                observer: (any ContainerLifecycleObserver)? = nil,
                images: @escaping @Sendable () -> [ContainerImage] = { [] }, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.runtime = runtime
        self.observer = observer
        self.images = images
        self.logger = logger
        let events = EventRecorder(client: client, component: "kubelet", host: configuration.nodeName, logger: logger)
        self.events = events
        let pods = Informer<Pod>(
            client: client, options: ListOptions(fieldSelector: "spec.nodeName=\(configuration.nodeName)"),
            logger: logger)
        pods.addIndex(Self.uidIndex) { [$0.metadata.uid] }
        self.pods = pods
        let apiWriter = APIPodStatusWriter(client: client, events: events)
        let mirrors = APIMirrorPodClient(client: client, listPods: { pods.cache.list() })
        let hasStaticPods = configuration.podManifestPath != nil || configuration.manifestURL != nil
        let staticWriter = hasStaticPods ? StaticPodStatusWriter(base: apiWriter, mirrors: mirrors) : nil
        let writer: any PodStatusWriter = staticWriter ?? apiWriter
        let adoptedStore = AdoptedContainers()
        self.adopted = adoptedStore
        let workers = PodWorkerRegistry(logger: logger) { pod in
            PodWorker(pod: pod, runtime: runtime, writer: writer, observer: observer,
                      resyncInterval: configuration.podResyncInterval,
                      adopted: adoptedStore.take(podUID: pod.metadata.uid), logger: logger)
        }
        self.workers = workers
        if hasStaticPods {
            let sources = StaticPodSources(
                directory: configuration.podManifestPath.map {
                    StaticPodDirectoryReader(directory: $0, nodeName: configuration.nodeName) },
                http: configuration.manifestURL.map { StaticPodHTTPReader(url: $0, nodeName: configuration.nodeName) },
                httpInterval: configuration.staticPodInterval)
            // The directory is cheap to rescan: look every 2 s at most; the URL every `staticPodInterval`.
            self.staticPods = StaticPodManager(
                nodeName: configuration.nodeName, read: { await sources.read(now: $0, logger: logger) },
                pollInterval: min(configuration.staticPodInterval, .seconds(2)), workers: workers,
                mirrors: mirrors, writer: staticWriter, logger: logger)
        } else {
            self.staticPods = nil
        }
    }

    private let adopted: AdoptedContainers

    /// The worker running pod `uid`, if any (logs, exec and probes look containers up through it).
    public func worker(podUID: String) -> PodWorker? { workers.worker(uid: podUID) }

    /// The pod with `uid` as this node last saw it.
    static let uidIndex = "metadata.uid"

    public func pod(uid: String) -> Pod? {
        pods.cache.byIndex(Self.uidIndex, value: uid).first
            ?? staticPods?.staticPods.first { $0.metadata.uid == uid }
    }

    public func run() async throws {
        let reporter = NodeStatusReporter(
            settings: {
                var settings = NodeStatusReporter.Settings(
                    nodeName: configuration.nodeName, podCIDR: configuration.podCIDR, nodeIP: configuration.nodeIP,
                    dataDirectory: configuration.rootDirectory)
                settings.maxPods = configuration.maxPods
                return settings
            }(), client: client, images: images, logger: logger)
        try await registerWithRetry(reporter)

        let survivors = await runtime.existingContainers()
        adopted.store(survivors)
        let (stream, continuation) = AsyncStream.makeStream(of: InformerEvent<Pod>.self)
        pods.addHandler { event in continuation.yield(event) }

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.events.run() }
            group.addTask { try await self.pods.run() }
            group.addTask { try await reporter.run() }
            if let staticPods { group.addTask { await staticPods.run() } }
            group.addTask {
                for await event in stream {
                    if StaticPodAnnotations.isMirror(event.object) {
                        // Mirror pods stand for static pods, which run from their manifest: no worker.
                        self.staticPods?.mirrorPodChanged()
                        continue
                    }
                    switch event {
                    case .added(let pod), .updated(_, let pod):
                        await self.workers.podChanged(pod)
                    case .deleted(let pod):
                        await self.workers.podRemoved(uid: pod.metadata.uid)
                    }
                }
            }
            group.addTask {
                await self.pods.waitUntilSynced()
                await self.staticPods?.waitForFirstScan()
                await self.removeOrphans()
            }
            group.addTask {
                // Until the service is cancelled: then stop feeding the workers and stop their loops.
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                continuation.finish()
                self.workers.cancelAll()
            }
        }
    }

    private func registerWithRetry(_ reporter: NodeStatusReporter) async throws {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                try await reporter.register()
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("Node registration failed; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
    }

    /// Stops and removes containers and sandboxes of pods that are no longer bound to this node.
    private func removeOrphans() async {
        let known = Set(pods.cache.list().map(\.metadata.uid)).union(workers.activeUIDs)
        let leftovers = adopted.takeAll(except: known)
        for container in leftovers {
            logger.info("Removing a container of a pod that no longer exists",
                        metadata: ["pod": "\(container.podNamespace)/\(container.podName)",
                                   "container": "\(container.containerName)"])
            if container.running {
                await runtime.stopContainer(containerID: container.containerID, gracePeriod: .seconds(2))
            }
            await runtime.removeContainer(containerID: container.containerID)
        }
        for uid in await runtime.existingSandboxes() where !known.contains(uid) {
            await runtime.removeSandbox(podUID: uid)
        }
    }
}

/// Containers found at startup, handed to the worker of their pod (once) or removed as orphans.
///
/// Thread-safe; Sendable.
final class AdoptedContainers: Sendable {
    private let byPod = Mutex<[String: [RuntimeContainerSummary]]>([:])

    func store(_ containers: [RuntimeContainerSummary]) {
        byPod.withLock { table in
            for container in containers { table[container.podUID, default: []].append(container) }
        }
    }

    func take(podUID: String) -> [RuntimeContainerSummary] {
        byPod.withLock { $0.removeValue(forKey: podUID) ?? [] }
    }

    func takeAll(except known: Set<String>) -> [RuntimeContainerSummary] {
        byPod.withLock { table in
            let orphaned = table.filter { !known.contains($0.key) }
            for key in orphaned.keys { table.removeValue(forKey: key) }
            return orphaned.values.flatMap { $0 }
        }
    }
}
