import ControllerRuntime
import Foundation
public import KubeAPI
public import KubeClient
import KubeCore
public import Logging
public import ServiceLifecycle
import Synchronization

/// Swiftlet's kube-scheduler: informers on Pods and Nodes feed a ``SchedulerCache``; one loop pops
/// pending pods, runs ``SchedulingAlgorithm`` on the live snapshot, assumes the pod onto the chosen
/// node and POSTs `pods/binding` in a child task (so binding latency does not limit throughput);
/// a failed binding forgets the assumption and retries with backoff. Unschedulable pods get a
/// `FailedScheduling` event and `PodScheduled=False` (reason `Unschedulable`), as upstream.
///
/// Sendable; `run()` may be called once and returns when its task is cancelled.
public struct SchedulerService: ServiceLifecycle.Service {
    private let client: APIClient
    private let logger: Logger
    private let configuration: SchedulerConfiguration

    public init(client: APIClient, logger: Logger, configuration: SchedulerConfiguration = SchedulerConfiguration()) {
        self.client = client
        self.logger = logger
        self.configuration = configuration
    }

    public func run() async throws {
        let pods = Informer<Pod>(client: client, logger: logger)
        let nodes = Informer<Node>(client: client, logger: logger)
        let recorder = EventRecorder(client: client, component: configuration.schedulerName, logger: logger)
        let shell = SchedulerShell(client: client, recorder: recorder, configuration: configuration, logger: logger)
        pods.addHandler { event in shell.handle(event) }
        nodes.addHandler { event in shell.handle(event) }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await pods.run() }
            group.addTask { try await nodes.run() }
            group.addTask { try await recorder.run() }
            group.addTask {
                await pods.waitUntilSynced()
                await nodes.waitUntilSynced()
                await shell.schedulingLoop()
            }
        }
    }
}

/// The IO shell around ``SchedulerCache``: applies informer events under a lock, runs the
/// scheduling loop, and performs bindings, events and status updates.
///
/// Thread-safe; Sendable (state behind a `Mutex`).
final class SchedulerShell: Sendable {
    private let client: APIClient
    private let recorder: EventRecorder
    private let configuration: SchedulerConfiguration
    private let logger: Logger
    private let cache: Mutex<SchedulerCache>
    private let inFlight = Atomic<Int>(0)
    private let wakeup = WakeupSignal()

    init(client: APIClient, recorder: EventRecorder, configuration: SchedulerConfiguration, logger: Logger) {
        self.client = client
        self.recorder = recorder
        self.configuration = configuration
        self.logger = logger
        cache = Mutex(SchedulerCache(configuration: configuration))
    }

    // MARK: Informer events

    func handle(_ event: InformerEvent<Pod>) {
        let now = ContinuousClock.now
        let wake = cache.withLock { cache in
            switch event {
            case .added(let pod), .updated(_, let pod): cache.podUpserted(pod, now: now)
            case .deleted(let pod): cache.podDeleted(pod, now: now)
            }
        }
        if wake { wakeup.signal() }
    }

    func handle(_ event: InformerEvent<Node>) {
        let now = ContinuousClock.now
        let wake = cache.withLock { cache -> Bool in
            switch event {
            case .added(let node): return cache.nodeUpserted(old: nil, new: node, now: now)
            case .updated(let old, let node): return cache.nodeUpserted(old: old, new: node, now: now)
            case .deleted(let node):
                cache.nodeDeleted(node)
                return false
            }
        }
        if wake { wakeup.signal() }
    }

    // MARK: Scheduling loop

    func schedulingLoop() async {
        logger.info("Scheduler started", metadata: ["schedulerName": "\(configuration.schedulerName)"])
        await withDiscardingTaskGroup { group in
            var random = TieBreakRandom()
            while !Task.isCancelled {
                if inFlight.load(ordering: .relaxed) >= configuration.maxConcurrentBindings {
                    await wakeup.wait()
                    continue
                }
                let now = ContinuousClock.now
                let (step, deadline) = cache.withLock { cache in
                    let step = cache.scheduleNext(now: now, using: &random)
                    return (step, step == nil ? cache.nextDeadline() : nil)
                }
                guard let step else {
                    await wakeup.wait(until: deadline)
                    continue
                }
                inFlight.add(1, ordering: .relaxed)
                group.addTask { [self] in
                    await perform(step)
                    inFlight.subtract(1, ordering: .relaxed)
                    wakeup.signal()
                }
            }
        }
        logger.info("Scheduler stopped")
    }

    private func perform(_ step: SchedulerCache.Step) async {
        switch step {
        case .bind(let pod, let key, let nodeName):
            await bind(pod, key: key, to: nodeName)
        case .unschedulable(let pod, _, let failure):
            await reportUnschedulable(pod, failure: failure)
        }
    }

    private func bind(_ pod: Pod, key: String, to nodeName: String) async {
        let namespace = pod.metadata.namespace
        let name = pod.metadata.name
        do {
            let body = try BindingBody.encode(pod: pod, nodeName: nodeName)
            try await client.postSubresource(Pod.self, namespace: namespace, name: name, subresource: "binding", body: body)
            cache.withLock { $0.bindingSucceeded(key: key) }
            recorder.record(pod, type: .normal, reason: "Scheduled", message: "Successfully assigned \(namespace)/\(name) to \(nodeName)")
            logger.debug("Pod bound", metadata: ["pod": "\(namespace)/\(name)", "node": "\(nodeName)"])
        } catch {
            let now = ContinuousClock.now
            cache.withLock { $0.bindingFailed(key: key, now: now) }
            logger.info("Binding failed; retrying", metadata: ["pod": "\(namespace)/\(name)", "node": "\(nodeName)", "error": "\(error)"])
        }
    }

    private func reportUnschedulable(_ pod: Pod, failure: SchedulingFailure) async {
        let namespace = pod.metadata.namespace
        let name = pod.metadata.name
        recorder.record(pod, type: .warning, reason: "FailedScheduling", message: failure.message)
        logger.debug("Pod unschedulable", metadata: ["pod": "\(namespace)/\(name)", "message": "\(failure.message)"])
        let current = pod.status.conditions.first { $0.type == "PodScheduled" }
        if let current, current.status == "False", current.reason == "Unschedulable", current.message == failure.message {
            return
        }
        do {
            let patch = try PodScheduledConditionPatch.encode(message: failure.message, now: Date())
            _ = try await client.patch(
                Pod.self, namespace: namespace, name: name, type: .strategicMerge, patch: patch, subresource: "status"
            )
        } catch {
            logger.debug("Pod condition update failed", metadata: ["pod": "\(namespace)/\(name)", "error": "\(error)"])
        }
    }
}

/// The `v1 Binding` body POSTed to `pods/binding`. Pure.
enum BindingBody {
    static func encode(pod: Pod, nodeName: String) throws -> [UInt8] {
        var metadata: [String: JSONValue] = [
            "name": .string(pod.metadata.name), "namespace": .string(pod.metadata.namespace),
        ]
        if !pod.metadata.uid.isEmpty { metadata["uid"] = .string(pod.metadata.uid) }
        let body: JSONValue = [
            "apiVersion": "v1", "kind": "Binding", "metadata": .object(metadata),
            "target": ["apiVersion": "v1", "kind": "Node", "name": .string(nodeName)],
        ]
        return JSONValueWriter.bytes(body)
    }
}

/// The strategic-merge patch that sets `PodScheduled=False`, reason `Unschedulable`. Pure.
enum PodScheduledConditionPatch {
    private struct Patch: Encodable {
        struct Status: Encodable { var conditions: [Condition] }
        struct Condition: Encodable {
            var type = "PodScheduled"
            var status = "False"
            var reason = "Unschedulable"
            var message: String
            var lastTransitionTime: String
        }

        var status: Status
    }

    static func encode(message: String, now: Date) throws -> [UInt8] {
        let time = RFC3339Time(now).description
        let patch = Patch(status: .init(conditions: [.init(message: message, lastTransitionTime: time)]))
        return Array(try JSONEncoder().encode(patch))
    }
}
