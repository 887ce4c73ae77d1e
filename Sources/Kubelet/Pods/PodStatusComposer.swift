public import Foundation
public import KubeAPI
import KubeCore

/// Builds a pod's status from what its worker observed, the way the kubelet's `generateAPIPodStatus` does:
/// the phase (`getPhase`), the conditions (PodReadyToStartContainers, Initialized, ContainersReady, Ready,
/// keeping PodScheduled), container statuses with waiting reasons, `lastState` and restart counts.
///
/// Stateless; pure (`now` is a parameter).
public enum PodStatusComposer {
    public static func compose(pod: Pod, records: [String: ContainerRecord], sandbox: PodSandboxState?,
                               now: Date) -> PodStatus {
        let spec = pod.spec
        let policy = spec.restartPolicy.isEmpty ? "Always" : spec.restartPolicy
        var status = pod.status
        let initialized = PodSyncPlanner.initialized(spec: spec, records: records)

        status.initContainerStatuses = spec.initContainers.map { container in
            containerStatus(container, record: records[container.name], pod: pod, policy: policy,
                            defaultWaiting: "PodInitializing", now: now)
        }
        status.containerStatuses = spec.containers.map { container in
            containerStatus(container, record: records[container.name], pod: pod, policy: policy,
                            defaultWaiting: initialized ? "ContainerCreating" : "PodInitializing", now: now)
        }
        status.phase = phase(spec: spec, policy: policy, initialized: initialized, statuses: status.containerStatuses,
                             initStatuses: status.initContainerStatuses)
        if let sandbox, sandbox.ready {
            status.podIP = sandbox.podIP
            status.podIPs = sandbox.podIP.isEmpty ? [] : [PodIP(ip: sandbox.podIP)]
        }
        if let sandbox, !sandbox.hostIP.isEmpty {
            status.hostIP = sandbox.hostIP
            status.hostIPs = [HostIP(ip: sandbox.hostIP)]
        }
        if status.startTime == nil { status.startTime = RFC3339Time(now) }
        if status.qosClass.isEmpty { status.qosClass = pod.qosClass }

        let terminal = status.phase == "Succeeded" || status.phase == "Failed"
        let incompleteInit = spec.initContainers.map(\.name).filter { records[$0]?.lastExit?.succeeded != true }
        let unready = spec.containers.map(\.name).filter { records[$0]?.ready != true || records[$0]?.isRunning != true }
        var conditions = status.conditions
        set(&conditions, "PodReadyToStartContainers", sandbox?.ready == true && !terminal ? "True" : "False",
            now: now)
        if initialized || terminal && incompleteInit.isEmpty {
            set(&conditions, "Initialized", "True", now: now)
        } else {
            set(&conditions, "Initialized", "False", reason: "ContainersNotInitialized",
                message: "containers with incomplete status: [\(incompleteInit.joined(separator: " "))]", now: now)
        }
        if terminal {
            set(&conditions, "ContainersReady", "False", reason: "PodCompleted", now: now)
            set(&conditions, "Ready", "False", reason: "PodCompleted", now: now)
        } else if unready.isEmpty {
            set(&conditions, "ContainersReady", "True", now: now)
            set(&conditions, "Ready", "True", now: now)
        } else {
            let message = "containers with unready status: [\(unready.joined(separator: " "))]"
            set(&conditions, "ContainersReady", "False", reason: "ContainersNotReady", message: message, now: now)
            set(&conditions, "Ready", "False", reason: "ContainersNotReady", message: message, now: now)
        }
        status.conditions = ordered(conditions)
        return status
    }

    static func containerStatus(_ container: Container, record: ContainerRecord?, pod: Pod, policy: String,
                                defaultWaiting: String, now: Date) -> ContainerStatus {
        var result = ContainerStatus()
        result.name = container.name
        result.image = container.image
        guard let record else {
            result.state.waiting = ContainerStateWaiting(reason: defaultWaiting)
            result.started = false
            return result
        }
        result.restartCount = record.restartCount
        result.ready = record.ready && record.isRunning
        result.started = record.isRunning && record.started
        if let instance = record.current {
            result.containerID = instance.containerID
            result.imageID = instance.imageID
        }
        if let previous = record.previousExit { result.lastState.terminated = terminated(previous) }
        if let instance = record.current, instance.isRunning {
            result.state.running = ContainerStateRunning(startedAt: RFC3339Time(instance.startedAt))
        } else if let waiting = record.waiting {
            result.state.waiting = ContainerStateWaiting(reason: waiting.reason, message: waiting.message)
            if let exit = record.current?.exit { result.lastState.terminated = terminated(exit) }
        } else if let exit = record.current?.exit {
            let restarting = PodSyncPlanner.shouldRestart(exit: exit, policy: policy)
                && !(record.isInit && exit.succeeded)
            if restarting, let until = record.backoffUntil, until > now {
                let delay = RestartBackoff.goDuration(until.timeIntervalSince(exit.finishedAt))
                result.state.waiting = ContainerStateWaiting(
                    reason: "CrashLoopBackOff",
                    message: "back-off \(delay) restarting failed container=\(container.name) "
                        + "pod=\(pod.metadata.name)_\(pod.metadata.namespace)(\(pod.metadata.uid))")
                result.lastState.terminated = terminated(exit)
            } else {
                result.state.terminated = terminated(exit)
            }
        } else {
            result.state.waiting = ContainerStateWaiting(reason: defaultWaiting)
        }
        return result
    }

    static func terminated(_ exit: ContainerExitRecord) -> ContainerStateTerminated {
        ContainerStateTerminated(
            exitCode: exit.exitCode, signal: exit.signal, reason: exit.reason, message: exit.message,
            startedAt: RFC3339Time(exit.startedAt), finishedAt: RFC3339Time(exit.finishedAt),
            containerID: exit.containerID)
    }

    /// Upstream `getPhase`.
    static func phase(spec: PodSpec, policy: String, initialized: Bool, statuses: [ContainerStatus],
                      initStatuses: [ContainerStatus]) -> String {
        if !initialized {
            let initFailed = initStatuses.contains { status in
                (status.state.terminated.map { $0.exitCode != 0 } ?? false)
                    || (status.lastState.terminated.map { $0.exitCode != 0 } ?? false) && status.state.running == nil
            }
            if initFailed && policy == "Never" { return "Failed" }
            return "Pending"
        }
        var waiting = 0, running = 0, stopped = 0, succeeded = 0
        for status in statuses {
            if status.state.running != nil {
                running += 1
            } else if let terminated = status.state.terminated {
                stopped += 1
                if terminated.exitCode == 0 { succeeded += 1 }
            } else if status.state.waiting != nil {
                if status.lastState.terminated != nil { stopped += 1 } else { waiting += 1 }
            } else {
                waiting += 1
            }
        }
        if waiting > 0 { return "Pending" }
        if running > 0 { return "Running" }
        if stopped > 0 {
            if policy == "Always" { return "Running" }
            if stopped == succeeded { return "Succeeded" }
            if policy == "Never" { return "Failed" }
            return "Running"
        }
        return "Pending"
    }

    static func set(_ conditions: inout [PodCondition], _ type: String, _ value: String, reason: String = "",
                    message: String = "", now: Date) {
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            if conditions[index].status != value { conditions[index].lastTransitionTime = RFC3339Time(now) }
            conditions[index].status = value
            conditions[index].reason = reason
            conditions[index].message = message
        } else {
            conditions.append(PodCondition(type: type, status: value, lastTransitionTime: RFC3339Time(now),
                                           reason: reason, message: message))
        }
    }

    /// The kubelet's condition order; conditions it does not own keep their place after these.
    static func ordered(_ conditions: [PodCondition]) -> [PodCondition] {
        let order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
        let known = order.compactMap { type in conditions.first { $0.type == type } }
        return known + conditions.filter { !order.contains($0.type) }
    }

}
