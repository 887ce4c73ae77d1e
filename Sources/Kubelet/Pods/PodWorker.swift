public import Foundation
public import KubeAPI
import KubeCore
public import Logging

/// Runs one pod on this node: creates its sandbox, starts its init containers in order and then its app
/// containers, restarts them per `restartPolicy` with back-off, reports status, and on deletion stops
/// everything (within the grace period), tears the sandbox down and removes the pod from the API.
///
/// An actor: `update(_:)`, `podRemoved()` and container exits may arrive at any time; one loop (`run()`)
/// does all the syncing, so syncs never overlap.
public actor PodWorker {
    public nonisolated let uid: String
    private var pod: Pod
    private var removedFromAPI = false
    private var records: [String: ContainerRecord] = [:]
    private var sandbox: PodSandboxState?
    private var lastReported: PodStatus?
    private var finished = false
    private var lastVolumeRefresh = Date.distantPast
    private let runtime: any PodRuntime
    private let writer: any PodStatusWriter
    private let hooks: (any ContainerLifecycleObserver)?
    private let logger: Logger
    private let wakeStream: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    /// How often a settled pod is looked at again (volume refresh, status).
    private let resyncInterval: Duration

    public init(pod: Pod, runtime: any PodRuntime, writer: any PodStatusWriter,
                observer: (any ContainerLifecycleObserver)? = nil, resyncInterval: Duration = .seconds(10),
                adopted: [RuntimeContainerSummary] = [], logger: Logger) {
        self.uid = pod.metadata.uid
        self.pod = pod
        self.runtime = runtime
        self.writer = writer
        self.hooks = observer
        self.resyncInterval = resyncInterval
        var logger = logger
        logger[metadataKey: "pod"] = "\(pod.metadata.namespace)/\(pod.metadata.name)"
        self.logger = logger
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.records = Self.adoptedRecords(adopted, pod: pod)
    }

    /// The latest version of the pod from the API.
    public func update(_ pod: Pod) {
        self.pod = pod
        wake()
    }

    /// The pod is gone from the API (a force delete): stop its containers promptly.
    public func podRemoved() {
        removedFromAPI = true
        wake()
    }

    /// A probe or a hook asks for a restart of a running container (failed liveness probe, failed
    /// postStart hook); `message` is the `Killing` event's text.
    public func requestRestart(of containerName: String, containerID: String? = nil, message: String) {
        guard let record = records[containerName], let current = record.current, current.isRunning,
              containerID == nil || current.containerID == containerID else { return }
        records[containerName]?.restartRequested = true
        killMessages[containerName] = message
        wake()
    }

    private var killMessages: [String: String] = [:]

    /// A readiness or startup probe result changed.
    public func setProbeState(of containerName: String, ready: Bool? = nil, started: Bool? = nil) {
        guard records[containerName] != nil else { return }
        if let ready { records[containerName]?.ready = ready }
        if let started { records[containerName]?.started = started }
        wake()
    }

    /// Current container records (for probes, logs and tests).
    public func containerRecords() -> [String: ContainerRecord] { records }

    public func currentSandbox() -> PodSandboxState? { sandbox }

    public var isFinished: Bool { finished }

    /// Syncs until the pod is gone. Returns once the pod's containers are stopped and its sandbox removed.
    public func run() async {
        for record in records.values {
            if let instance = record.current, instance.isRunning { watchExit(of: record.name, instance: instance) }
        }
        while !finished && !Task.isCancelled {
            let wakeAt = await sync()
            if finished { break }
            await waitForWake(until: wakeAt)
        }
        wakeContinuation.finish()
    }

    // MARK: Sync

    private func wake() { wakeContinuation.yield() }

    private func waitForWake(until deadline: Date?) async {
        let timeout: Duration
        if let deadline {
            let seconds = max(0.001, deadline.timeIntervalSinceNow)
            timeout = min(.milliseconds(Int64(seconds * 1000)), resyncInterval)
        } else {
            timeout = resyncInterval
        }
        let stream = wakeStream
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var iterator = stream.makeAsyncIterator()
                _ = await iterator.next()
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    /// One pass; returns when to look again (besides wake-ups).
    private func sync() async -> Date? {
        if removedFromAPI || pod.metadata.deletionTimestamp != nil {
            await terminate()
            return nil
        }
        if isTerminal(lastReported?.phase ?? pod.status.phase) && !records.values.contains(where: \.isRunning) {
            // A finished pod keeps its sandbox (and so its logs) until it is deleted.
            return nil
        }
        if sandbox?.ready != true {
            do {
                sandbox = try await runtime.prepareSandbox(for: pod)
                lastVolumeRefresh = Date()
            } catch let error as VolumeError {
                // Upstream mounts volumes before it creates the sandbox: the pod stays ContainerCreating with
                // a FailedMount event until the volume can be set up.
                logger.warning("Pod volume setup failed", metadata: ["error": "\(error)"])
                for failure in error.allFailures {
                    writer.recordEvent(about: pod, fieldPath: "", warning: true, reason: VolumeError.eventReason,
                                       message: failure.description)
                }
                await reportStatus()
                return Date().addingTimeInterval(Self.sandboxRetryDelay)
            } catch {
                logger.warning("Pod sandbox setup failed", metadata: ["error": "\(error)"])
                writer.recordEvent(about: pod, fieldPath: "", warning: true, reason: "FailedCreatePodSandBox",
                                   message: "Failed to create pod sandbox: \(error)")
                await reportStatus()
                return Date().addingTimeInterval(Self.sandboxRetryDelay)
            }
        } else if Date().timeIntervalSince(lastVolumeRefresh) >= 5 {
            lastVolumeRefresh = Date()
            await runtime.refreshVolumes(for: pod)
        }

        settleFailedStarts()
        let plan = PodSyncPlanner.plan(spec: pod.spec, records: records, now: Date())
        for action in plan.actions {
            switch action {
            case .killContainer(let name):
                await kill(containerNamed: name)
            case .startContainer(let name):
                await start(containerNamed: name)
            }
        }
        await reportStatus()
        if !plan.actions.isEmpty { return Date() }
        return plan.wakeAt
    }

    /// How long a pod whose sandbox or volumes could not be set up waits before the next try.
    static let sandboxRetryDelay: TimeInterval = 5

    /// Failed starts that now wait for their back-off show it (`ImagePullBackOff`, `CrashLoopBackOff`).
    private func settleFailedStarts() {
        let now = Date()
        for (name, record) in records where record.waiting != nil {
            guard let (container, isInit) = container(named: name) else { continue }
            let (settled, events) = ContainerStartFailureHandler.settle(record, image: container.image,
                                                                        podLabel: podLabel, now: now)
            guard settled != record else { continue }
            records[name] = settled
            let fieldPath = "spec.\(isInit ? "initContainers" : "containers"){\(name)}"
            for event in events {
                writer.recordEvent(about: pod, fieldPath: fieldPath, warning: event.warning, reason: event.reason,
                                   message: event.message)
            }
        }
    }

    private func isTerminal(_ phase: String) -> Bool { phase == "Succeeded" || phase == "Failed" }

    private func container(named name: String) -> (Container, isInit: Bool)? {
        if let container = pod.spec.initContainers.first(where: { $0.name == name }) { return (container, true) }
        if let container = pod.spec.containers.first(where: { $0.name == name }) { return (container, false) }
        return nil
    }

    private func start(containerNamed name: String) async {
        guard let (container, isInit) = container(named: name), let sandbox else { return }
        var record = records[name] ?? ContainerRecord(name: name, isInit: isInit)
        let attempt = record.current == nil ? record.restartCount : record.restartCount + 1
        let fieldPath = "spec.\(isInit ? "initContainers" : "containers"){\(name)}"
        let podForEvents = pod
        let writer = self.writer
        do {
            let instance = try await runtime.startContainer(
                container, in: pod, sandbox: sandbox, attempt: attempt,
                events: { event in
                    switch event {
                    case .pulling(let image):
                        writer.recordEvent(about: podForEvents, fieldPath: fieldPath, warning: false, reason: "Pulling",
                                           message: "Pulling image \"\(image)\"")
                    case .pulled(_, let message):
                        writer.recordEvent(about: podForEvents, fieldPath: fieldPath, warning: false, reason: "Pulled",
                                           message: message)
                    case .created:
                        writer.recordEvent(about: podForEvents, fieldPath: fieldPath, warning: false, reason: "Created",
                                           message: "Created container: \(name)")
                    }
                })
            record = records[name] ?? record
            if let previous = record.current {
                record.previousExit = previous.exit
                record.restartCount += 1
                await removeContainer(previous.containerID)
            }
            record.current = instance
            record.waiting = nil
            record.backoffUntil = nil
            record.restartRequested = false
            record.started = container.startupProbe == nil
            record.ready = container.readinessProbe == nil && container.startupProbe == nil && !isInit
            records[name] = record
            writer.recordEvent(about: pod, fieldPath: fieldPath, warning: false, reason: "Started",
                               message: "Started container \(name)")
            logger.info("Container started", metadata: ["container": "\(name)", "id": "\(instance.containerID)"])
            watchExit(of: name, instance: instance)
            await hooks?.containerStarted(pod: pod, container: container, containerID: instance.containerID,
                                          startedAt: instance.startedAt, podIP: sandbox.podIP, worker: self)
        } catch {
            record = records[name] ?? record
            let replaced = record.current?.containerID
            let (updated, events) = ContainerStartFailureHandler.recordFailure(
                error, image: container.image, record: record, restartPolicy: restartPolicy, now: Date())
            records[name] = updated
            for event in events {
                writer.recordEvent(about: pod, fieldPath: fieldPath, warning: event.warning, reason: event.reason,
                                   message: event.message)
            }
            if let replaced, updated.current?.containerID != replaced {
                await removeContainer(replaced)
            }
            logger.warning("Container start failed", metadata: ["container": "\(name)", "error": "\(error)"])
        }
    }

    private var restartPolicy: String { pod.spec.restartPolicy.isEmpty ? "Always" : pod.spec.restartPolicy }

    /// Removes a container's runtime state; records of starts that never created a container have no ID.
    private func removeContainer(_ containerID: String) async {
        guard !containerID.isEmpty else { return }
        await runtime.removeContainer(containerID: containerID)
    }

    private var podLabel: String { "\(pod.metadata.name)_\(pod.metadata.namespace)(\(pod.metadata.uid))" }

    private func watchExit(of name: String, instance: ContainerRecord.Instance) {
        let runtime = self.runtime
        Task { [weak self] in
            let exit = await runtime.waitForExit(containerID: instance.containerID)
            await self?.containerExited(name: name, containerID: instance.containerID, exit: exit)
        }
    }

    private func containerExited(name: String, containerID: String, exit: ContainerExitRecord) {
        guard var record = records[name], record.current?.containerID == containerID else { return }
        record.current?.exit = exit
        record.ready = false
        record.started = false
        let policy = pod.spec.restartPolicy.isEmpty ? "Always" : pod.spec.restartPolicy
        let restarts = PodSyncPlanner.shouldRestart(exit: exit, policy: policy) && !(record.isInit && exit.succeeded)
        if restarts && !removedFromAPI && pod.metadata.deletionTimestamp == nil {
            let delay = record.backoff.delay(afterRunOf: exit.finishedAt.timeIntervalSince(exit.startedAt))
            record.backoffUntil = delay > 0 ? exit.finishedAt.addingTimeInterval(delay) : nil
            if delay > 0 {
                let fieldPath = "spec.\(record.isInit ? "initContainers" : "containers"){\(name)}"
                writer.recordEvent(about: pod, fieldPath: fieldPath, warning: true, reason: "BackOff",
                                   message: "Back-off restarting failed container \(name) in pod \(podLabel)")
            }
        }
        records[name] = record
        logger.info("Container exited", metadata: ["container": "\(name)", "exitCode": "\(exit.exitCode)",
                                                   "reason": "\(exit.reason)"])
        Task { await hooks?.containerStopped(podUID: uid, containerName: name) }
        wake()
    }

    private func kill(containerNamed name: String) async {
        guard let record = records[name], let instance = record.current, instance.isRunning,
              let (container, isInit) = container(named: name) else { return }
        let fieldPath = "spec.\(isInit ? "initContainers" : "containers"){\(name)}"
        writer.recordEvent(about: pod, fieldPath: fieldPath, warning: false, reason: "Killing",
                           message: killMessages.removeValue(forKey: name) ?? "Stopping container \(name)")
        let grace = Duration.seconds(pod.spec.terminationGracePeriodSeconds ?? 30)
        await hooks?.containerStopping(pod: pod, container: container, containerID: instance.containerID,
                                       podIP: sandbox?.podIP ?? "")
        await runtime.stopContainer(containerID: instance.containerID, gracePeriod: grace)
        records[name]?.restartRequested = false
    }

    // MARK: Termination

    private func terminate() async {
        let grace: Duration
        if removedFromAPI {
            grace = .seconds(1)
        } else {
            grace = .seconds(max(1, pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30))
        }
        let running = records.values.compactMap { record -> (String, String)? in
            guard let instance = record.current, instance.isRunning else { return nil }
            return (record.name, instance.containerID)
        }
        let pod = self.pod
        let runtime = self.runtime
        let hooks = self.hooks
        let podIP = sandbox?.podIP ?? ""
        let deadline = ContinuousClock.now + grace
        let force = removedFromAPI
        await withTaskGroup(of: Void.self) { group in
            for (name, containerID) in running {
                let container = self.container(named: name)?.0
                group.addTask {
                    if let container, !force {
                        await hooks?.containerStopping(pod: pod, container: container, containerID: containerID,
                                                       podIP: podIP)
                    }
                    let remaining = max(.seconds(0), deadline - ContinuousClock.now)
                    await runtime.stopContainer(containerID: containerID, gracePeriod: remaining)
                }
            }
        }
        for record in records.values {
            if let instance = record.current { await removeContainer(instance.containerID) }
            await hooks?.containerStopped(podUID: uid, containerName: record.name)
        }
        await runtime.removeSandbox(podUID: uid)
        sandbox = nil
        if !removedFromAPI {
            do {
                try await writer.deleteTerminatedPod(pod)
            } catch {
                logger.debug("Deleting the terminated pod failed", metadata: ["error": "\(error)"])
            }
        }
        logger.info("Pod terminated")
        finished = true
    }

    // MARK: Status

    private func reportStatus() async {
        let status = PodStatusComposer.compose(pod: pod, records: records, sandbox: sandbox, now: Date())
        if let lastReported, Self.sameStatus(lastReported, status) { return }
        if lastReported == nil, Self.sameStatus(pod.status, status) {
            lastReported = status
            return
        }
        do {
            try await writer.writeStatus(status, of: pod)
            lastReported = status
        } catch {
            logger.debug("Pod status update failed", metadata: ["error": "\(error)"])
        }
    }

    /// Status equality that ignores timestamps the composer refreshes (transition times only move on change).
    static func sameStatus(_ lhs: PodStatus, _ rhs: PodStatus) -> Bool {
        lhs == rhs
    }

    /// Records for containers that survived a restart of the node agent.
    static func adoptedRecords(_ adopted: [RuntimeContainerSummary], pod: Pod) -> [String: ContainerRecord] {
        var records: [String: ContainerRecord] = [:]
        let initNames = Set(pod.spec.initContainers.map(\.name))
        for summary in adopted.sorted(by: { $0.attempt < $1.attempt }) {
            var record = records[summary.containerName]
                ?? ContainerRecord(name: summary.containerName, isInit: initNames.contains(summary.containerName))
            let instance = ContainerRecord.Instance(containerID: summary.containerID, imageID: summary.imageID,
                                                    startedAt: summary.startedAt)
            if let previous = record.current { record.previousExit = previous.exit }
            record.current = instance
            record.restartCount = summary.attempt
            record.started = true
            let container = (pod.spec.containers + pod.spec.initContainers).first { $0.name == summary.containerName }
            record.ready = container?.readinessProbe == nil && !record.isInit
            records[summary.containerName] = record
        }
        return records
    }
}
