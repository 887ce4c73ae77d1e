public import Foundation
public import KubeAPI

/// Why a container could not be started, in the kubelet's waiting-reason vocabulary: `ErrImagePull`,
/// `ErrImageNeverPull`, `InvalidImageName`, `CreateContainerConfigError`, `CreateContainerError`,
/// `RunContainerError` (the container was created but its process did not start). How each shows in status
/// and events, and when it is retried, is ``ContainerStartFailureHandler``'s.
///
/// A value type; Sendable.
public struct ContainerStartFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var message: String
    /// The event reason to record (`Failed` for most, `ErrImageNeverPull`, …).
    public var eventReason: String

    public init(reason: String, message: String, eventReason: String = "Failed") {
        self.reason = reason
        self.message = message
        self.eventReason = eventReason
    }

    public var description: String { "\(reason): \(message)" }
}

/// A container the runtime still holds, found when the node agent starts (to re-adopt or clean up).
///
/// A value type; Sendable.
public struct RuntimeContainerSummary: Sendable, Equatable {
    public var containerID: String
    public var podUID: String
    public var podNamespace: String
    public var podName: String
    public var containerName: String
    public var attempt: Int32
    public var imageID: String
    public var startedAt: Date
    public var running: Bool

    public init(containerID: String, podUID: String, podNamespace: String, podName: String, containerName: String,
                attempt: Int32, imageID: String, startedAt: Date, running: Bool) {
        self.containerID = containerID
        self.podUID = podUID
        self.podNamespace = podNamespace
        self.podName = podName
        self.containerName = containerName
        self.attempt = attempt
        self.imageID = imageID
        self.startedAt = startedAt
        self.running = running
    }
}

/// Progress a runtime reports while it starts a container, for the kubelet's events
/// (`Pulling`, `Pulled`, `Created`, `Started`).
public enum ContainerStartEvent: Sendable {
    case pulling(image: String)
    case pulled(image: String, message: String)
    case created
}

/// The node's container machinery as the kubelet's pod workers see it, like the CRI: sandboxes (network,
/// volumes, pod files), containers (image, configuration, start, exit, stop) and what survived a restart.
///
/// Implementations are Sendable and safe to call concurrently for different pods.
public protocol PodRuntime: Sendable {
    /// Creates (or finds) the pod's sandbox: its network namespace and IP (none for hostNetwork pods), its
    /// directories and volumes. Idempotent.
    func prepareSandbox(for pod: Pod) async throws -> PodSandboxState
    /// Rewrites projected, configMap and secret volumes whose sources changed.
    func refreshVolumes(for pod: Pod) async
    /// Pulls the image if needed, builds the container's configuration and starts it.
    func startContainer(_ container: Container, in pod: Pod, sandbox: PodSandboxState, attempt: Int32,
                        events: @Sendable (ContainerStartEvent) -> Void) async throws(ContainerStartFailure)
        -> ContainerRecord.Instance
    /// Waits until the container has exited (also for a container started by an earlier node agent).
    func waitForExit(containerID: String) async -> ContainerExitRecord
    /// SIGTERM, then SIGKILL after `gracePeriod`.
    func stopContainer(containerID: String, gracePeriod: Duration) async
    /// Deletes an exited container's runtime state (its logs stay until the pod goes).
    func removeContainer(containerID: String) async
    /// Tears down the pod's sandbox and removes everything the pod left on the node. Idempotent.
    func removeSandbox(podUID: String) async
    /// Containers the runtime holds, running or exited.
    func existingContainers() async -> [RuntimeContainerSummary]
    /// Sandboxes the runtime holds (pod UIDs).
    func existingSandboxes() async -> [String]
}
