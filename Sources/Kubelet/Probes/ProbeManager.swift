import Foundation
public import Logging

/// Runs the liveness, readiness and startup probes of every running container and publishes what changed.
///
/// The kubelet calls `containerStarted(_:)` for every container instance that is running (with or without
/// probes; calling it again for the same instance only refreshes the target), `containerStopped` when an
/// instance is gone, `podTerminating` when a pod is being deleted (liveness and startup stop so a
/// shutting-down container is not restarted) and `removePod` at the end. It reads `events` and asks
/// `isReady` / `isStarted` when it builds a pod status.
///
/// Upstream's status rules (`prober_manager.UpdatePodStatus`): a container is *started* when it has no
/// startup probe or its startup probe passed; it is *ready* when it has started and it has no readiness
/// probe or its readiness probe passed. Unknown containers are neither.
///
/// Each probe follows a `ProbeStateMachine`; `run()` sleeps on the injected `ProbeClock` until the next
/// attempt is due and runs attempts as child tasks (network IO on a Dispatch queue, exec through the
/// executor), so slow probes never delay others.
///
/// Actor; safe to call from any task. `run()` runs until its task is cancelled; `events` (unbounded, one
/// consumer) finishes when `run()` returns.
public actor ProbeManager {
    private struct ContainerKey: Hashable {
        var podUID: String
        var containerName: String
    }

    private struct Worker {
        var target: ProbeTarget
        var generation: Int
        var machines: [ProbeKind: ProbeStateMachine]
        var reportedReady: Bool

        var isStarted: Bool { machines[.startup].map { $0.status == .success } ?? true }
        var isReady: Bool { isStarted && (machines[.readiness].map { $0.status == .success } ?? true) }
    }

    public nonisolated let events: AsyncStream<ProbeManagerEvent>
    private let continuation: AsyncStream<ProbeManagerEvent>.Continuation
    private let runner: ProbeRunner
    private let clock: any ProbeClock
    private let logger: Logger
    private let wake = WakeSignal()
    private var workers: [ContainerKey: Worker] = [:]
    private var nextGeneration = 0
    private var isRunning = false

    public init(runner: ProbeRunner, clock: any ProbeClock = SystemProbeClock(), logger: Logger) {
        self.runner = runner
        self.clock = clock
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(of: ProbeManagerEvent.self, bufferingPolicy: .unbounded)
    }

    // MARK: - Registration

    /// Starts probing a running container instance. A new `containerID` for the same pod and container
    /// name replaces the previous instance's probes with fresh ones (readiness starts false again).
    public func containerStarted(_ target: ProbeTarget) {
        let key = ContainerKey(podUID: target.podUID, containerName: target.containerName)
        if var existing = workers[key], existing.target.containerID == target.containerID {
            existing.target = target
            workers[key] = existing
            return
        }
        nextGeneration += 1
        var machines: [ProbeKind: ProbeStateMachine] = [:]
        for kind in ProbeKind.allCases {
            guard let probe = target.probe(kind) else { continue }
            machines[kind] = ProbeStateMachine(
                kind: kind, settings: ProbeSettings(probe, kind: kind), containerStartedAt: target.startedAt)
        }
        let previouslyReady = workers[key]?.reportedReady ?? false
        workers[key] = Worker(target: target, generation: nextGeneration, machines: machines,
                              reportedReady: previouslyReady)
        logger.debug("Probes started", metadata: metadata(target, extra: ["probes": "\(machines.keys.map(\.rawValue).sorted())"]))
        publishReadinessIfChanged(key)
        wake.signal()
    }

    /// Stops probing a container (it exited or was removed). It reports not ready from now on.
    public func containerStopped(podUID: String, containerName: String) {
        let key = ContainerKey(podUID: podUID, containerName: containerName)
        guard let worker = workers.removeValue(forKey: key) else { return }
        if worker.reportedReady {
            continuation.yield(.readinessChanged(
                podUID: podUID, containerName: containerName, containerID: worker.target.containerID, ready: false))
        }
        wake.signal()
    }

    /// The pod is being deleted: liveness and startup probes report success and stop; readiness goes on.
    public func podTerminating(podUID: String) {
        for key in workers.keys where key.podUID == podUID {
            guard var worker = workers[key] else { continue }
            for kind in [ProbeKind.liveness, .startup] {
                guard var machine = worker.machines[kind] else { continue }
                _ = machine.podTerminating()
                worker.machines[kind] = machine
            }
            workers[key] = worker
            publishReadinessIfChanged(key)
        }
        wake.signal()
    }

    /// Forgets every container of the pod, without events.
    public func removePod(podUID: String) {
        for key in workers.keys where key.podUID == podUID { workers.removeValue(forKey: key) }
        wake.signal()
    }

    // MARK: - Queries

    /// Whether the container has started (no startup probe, or it passed). False for unknown containers.
    public func isStarted(podUID: String, containerName: String) -> Bool {
        workers[ContainerKey(podUID: podUID, containerName: containerName)]?.isStarted ?? false
    }

    /// Whether the container is ready (started, and no readiness probe or it passed). False for unknown
    /// containers.
    public func isReady(podUID: String, containerName: String) -> Bool {
        workers[ContainerKey(podUID: podUID, containerName: containerName)]?.isReady ?? false
    }

    /// The published status of one probe of the container; nil when it has no such probe.
    public func probeStatus(podUID: String, containerName: String, kind: ProbeKind) -> ProbeStatus? {
        workers[ContainerKey(podUID: podUID, containerName: containerName)]?.machines[kind]?.status
    }

    // MARK: - Loop

    /// Probes until the calling task is cancelled, then finishes `events`. A second concurrent call returns
    /// at once.
    public func run() async {
        guard !isRunning else {
            logger.warning("Probe manager is already running")
            return
        }
        isRunning = true
        defer {
            isRunning = false
            continuation.finish()
        }
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let now = clock.now
                var earliest: Date?
                for key in Array(workers.keys) {
                    guard var worker = workers[key] else { continue }
                    for kind in ProbeKind.allCases {
                        guard var machine = worker.machines[kind] else { continue }
                        let decision = machine.decide(now: now, containerStarted: worker.isStarted)
                        worker.machines[kind] = machine
                        switch decision {
                        case .probe(let timeout):
                            guard let probe = worker.target.probe(kind) else { continue }
                            let target = worker.target
                            let generation = worker.generation
                            let runner = self.runner
                            group.addTask {
                                let result = await runner.run(probe, target: target, timeout: timeout)
                                await self.record(result, key: key, kind: kind, generation: generation)
                            }
                        case .wait(let until):
                            earliest = earliest.map { min($0, until) } ?? until
                        case .idle:
                            break
                        }
                    }
                    workers[key] = worker
                }
                await waitForWork(until: earliest)
            }
        }
    }

    private func waitForWork(until deadline: Date?) async {
        let wake = self.wake
        let clock = self.clock
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await wake.wait() }
            if let deadline {
                group.addTask { try? await clock.sleep(until: deadline) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func record(_ result: ProbeResult, key: ContainerKey, kind: ProbeKind, generation: Int) {
        defer { wake.signal() }
        guard var worker = workers[key], worker.generation == generation, var machine = worker.machines[kind]
        else { return }
        let effects = machine.record(result)
        worker.machines[kind] = machine
        workers[key] = worker
        let target = worker.target
        for effect in effects {
            switch effect {
            case .event(let event):
                logger.debug("Probe attempt reported", metadata: metadata(
                    target, extra: ["probe": "\(kind)", "reason": "\(event.reason)", "message": "\(event.message)"]))
                continuation.yield(.probeEvent(
                    podUID: target.podUID, containerName: target.containerName, containerID: target.containerID,
                    event: event))
            case .statusChanged(let status):
                logger.debug("Probe status changed", metadata: metadata(
                    target, extra: ["probe": "\(kind)", "status": "\(status.rawValue)"]))
                if kind == .startup && status == .success {
                    continuation.yield(.startupSucceeded(
                        podUID: target.podUID, containerName: target.containerName, containerID: target.containerID))
                }
            case .containerFailed(let message, let gracePeriod):
                logger.info("Container failed its probe", metadata: metadata(
                    target, extra: ["probe": "\(kind)", "message": "\(message)"]))
                if kind == .liveness {
                    continuation.yield(.livenessFailed(
                        podUID: target.podUID, containerName: target.containerName,
                        containerID: target.containerID, message: message,
                        terminationGracePeriodSeconds: gracePeriod))
                } else {
                    continuation.yield(.startupFailed(
                        podUID: target.podUID, containerName: target.containerName,
                        containerID: target.containerID, message: message,
                        terminationGracePeriodSeconds: gracePeriod))
                }
            }
        }
        publishReadinessIfChanged(key)
    }

    private func publishReadinessIfChanged(_ key: ContainerKey) {
        guard var worker = workers[key] else { return }
        let ready = worker.isReady
        guard ready != worker.reportedReady else { return }
        worker.reportedReady = ready
        workers[key] = worker
        continuation.yield(.readinessChanged(
            podUID: key.podUID, containerName: key.containerName, containerID: worker.target.containerID,
            ready: ready))
    }

    private func metadata(_ target: ProbeTarget, extra: Logger.Metadata = [:]) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "pod": "\(target.podNamespace)/\(target.podName)", "podUID": "\(target.podUID)",
            "container": "\(target.containerName)", "containerID": "\(target.containerID)",
        ]
        metadata.merge(extra) { _, new in new }
        return metadata
    }
}
