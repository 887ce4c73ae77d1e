import KubeCore
import ContainerRuntime
public import Foundation
public import KubeAPI
public import Logging

/// Runs containers' lifecycle hooks and probes for the pod workers: postStart after a start (a failure
/// kills the container, as upstream), preStop before a stop (bounded by the grace period), and the
/// probe manager's verdicts turned into worker actions (restart, readiness, started) and events.
///
/// Sendable; `run()` consumes the probe manager's events until cancelled.
public final class ContainerHealthObserver: ContainerLifecycleObserver {
    public let probes: ProbeManager
    private let hooks: LifecycleHookRunner
    private let workers: @Sendable (String) -> PodWorker?
    private let writer: any PodStatusWriter
    private let pods: @Sendable (String) -> Pod?
    private let logger: Logger

    /// `tlsTransport` carries HTTPS probes and hooks; without one they fail as unsupported.
    public init(executor: any ContainerCommandExecutor, tlsTransport: (any ProbeTLSTransport)? = nil,
                writer: any PodStatusWriter,
                workers: @escaping @Sendable (String) -> PodWorker?, pods: @escaping @Sendable (String) -> Pod?,
                logger: Logger) {
        self.probes = ProbeManager(runner: ProbeRunner(executor: executor, tlsTransport: tlsTransport), logger: logger)
        self.hooks = LifecycleHookRunner(executor: executor, tlsTransport: tlsTransport)
        self.workers = workers
        self.writer = writer
        self.pods = pods
        self.logger = logger
    }

    public func containerStarted(pod: Pod, container: Container, containerID: String, startedAt: Date, podIP: String,
                                 worker: PodWorker) async {
        let target = ProbeTarget(podUID: pod.metadata.uid, podName: pod.metadata.name,
                                 podNamespace: pod.metadata.namespace, container: container,
                                 containerID: containerID, startedAt: startedAt, podIP: podIP)
        if let postStart = container.lifecycle?.postStart {
            let outcome = await hooks.run(postStart, target: target, timeout: .seconds(120))
            if let event = outcome.event(for: .postStart) {
                writer.recordEvent(about: pod, fieldPath: "spec.containers{\(container.name)}", warning: true,
                                   reason: event.reason, message: event.message)
                await worker.requestRestart(of: container.name, containerID: containerID,
                                            message: "FailedPostStartHook")
                return
            }
        }
        await probes.containerStarted(target)
    }

    public func containerStopping(pod: Pod, container: Container, containerID: String, podIP: String) async {
        await probes.containerStopped(podUID: pod.metadata.uid, containerName: container.name)
        guard let preStop = container.lifecycle?.preStop else { return }
        let target = ProbeTarget(podUID: pod.metadata.uid, podName: pod.metadata.name,
                                 podNamespace: pod.metadata.namespace, container: container,
                                 containerID: containerID, startedAt: Date(), podIP: podIP)
        let grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30
        let outcome = await hooks.run(preStop, target: target, timeout: .seconds(max(1, grace)))
        if let event = outcome.event(for: .preStop) {
            writer.recordEvent(about: pod, fieldPath: "spec.containers{\(container.name)}", warning: true,
                               reason: event.reason, message: event.message)
        }
    }

    public func containerStopped(podUID: String, containerName: String) async {
        await probes.containerStopped(podUID: podUID, containerName: containerName)
    }

    /// Applies probe verdicts until cancelled.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.probes.run() }
            group.addTask {
                for await event in self.probes.events { await self.apply(event) }
            }
            await group.waitForAll()
        }
    }

    private func apply(_ event: ProbeManagerEvent) async {
        switch event {
        case .livenessFailed(let uid, let name, let containerID, _, _):
            await workers(uid)?.requestRestart(
                of: name, containerID: containerID,
                message: ProbeKind.liveness.killMessage(containerName: name, willRestart: true))
        case .startupFailed(let uid, let name, let containerID, _, _):
            await workers(uid)?.requestRestart(
                of: name, containerID: containerID,
                message: ProbeKind.startup.killMessage(containerName: name, willRestart: true))
        case .readinessChanged(let uid, let name, _, let ready):
            await workers(uid)?.setProbeState(of: name, ready: ready)
        case .startupSucceeded(let uid, let name, _):
            let ready = await probes.isReady(podUID: uid, containerName: name)
            await workers(uid)?.setProbeState(of: name, ready: ready, started: true)
        case .probeEvent(let uid, let name, _, let probeEvent):
            guard let pod = pods(uid) else { return }
            writer.recordEvent(about: pod, fieldPath: "spec.containers{\(name)}", warning: probeEvent.type == "Warning",
                               reason: probeEvent.reason, message: probeEvent.message)
        }
    }
}

/// Runs probe and hook commands in containers through the runtime's `runc exec`.
///
/// Sendable.
public struct RuncCommandExecutor: ContainerCommandExecutor {
    let runtime: RuncPodRuntime

    public init(runtime: RuncPodRuntime) {
        self.runtime = runtime
    }

    public func exec(containerID: String, command: [String], timeout: Duration) async throws -> ContainerCommandResult {
        do {
            let result = try await runtime.execCapturing(containerID: containerID, command: command, timeout: timeout)
            return ContainerCommandResult(exitCode: result.exitCode, output: result.output)
        } catch ContainerRuntimeError.execTimedOut {
            throw ContainerCommandError.timedOut(command: command, timeout: timeout)
        } catch ContainerRuntimeError.notRunning {
            throw ContainerCommandError.containerNotRunning(containerID: containerID)
        }
    }
}
