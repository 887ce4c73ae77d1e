/// What `ProbeManager` tells the kubelet, in the order it happened. Every case names the pod UID, the
/// container name and the container instance (`containerID`) it is about, so a late event for an
/// instance that was already replaced can be ignored.
public enum ProbeManagerEvent: Sendable, Equatable {
    /// The liveness probe failed `failureThreshold` times in a row: kill the container (Killing event
    /// message `ProbeKind.liveness.killMessage(…)`) with the probe's `terminationGracePeriodSeconds` if
    /// set (else the pod's), and restart it as the restart policy says. `message` is the last output.
    case livenessFailed(
        podUID: String, containerName: String, containerID: String, message: String,
        terminationGracePeriodSeconds: Int64?)
    /// The startup probe failed `failureThreshold` times in a row: same handling as a liveness failure.
    case startupFailed(
        podUID: String, containerName: String, containerID: String, message: String,
        terminationGracePeriodSeconds: Int64?)
    /// The container's readiness (`ProbeManager.isReady`) changed; drives `containerStatuses[].ready` and
    /// the pod's `Ready` / `ContainersReady` conditions.
    case readinessChanged(podUID: String, containerName: String, containerID: String, ready: Bool)
    /// The startup probe passed (`containerStatuses[].started` becomes true); liveness and readiness
    /// probes start now.
    case startupSucceeded(podUID: String, containerName: String, containerID: String)
    /// Record this event on the pod, for the container (`fieldPath: spec.containers{name}`):
    /// `Warning` `Unhealthy` `Liveness probe failed: HTTP probe failed with statuscode: 500`.
    case probeEvent(podUID: String, containerName: String, containerID: String, event: ContainerProbeEvent)
}
