public import Foundation
public import KubeAPI

/// One running container instance whose probes should run: the pod it belongs to, its spec (probes,
/// ports, env) and the runtime facts (container ID, start time, pod IP).
///
/// Value type; `Sendable`.
public struct ProbeTarget: Sendable, Equatable {
    public var podUID: String
    public var podName: String
    public var podNamespace: String
    /// The container's spec: its probes, named ports and literal env (for `$(VAR)` in exec probes).
    public var container: Container
    /// The runtime's ID of this instance; a restart gives a new ID and resets the probes.
    public var containerID: String
    /// When the container started running (initialDelaySeconds count from here).
    public var startedAt: Date
    /// The pod's IP (the default host of httpGet and tcpSocket probes); the node's for hostNetwork pods.
    public var podIP: String

    public init(
        podUID: String, podName: String, podNamespace: String, container: Container, containerID: String,
        startedAt: Date, podIP: String
    ) {
        self.podUID = podUID
        self.podName = podName
        self.podNamespace = podNamespace
        self.container = container
        self.containerID = containerID
        self.startedAt = startedAt
        self.podIP = podIP
    }

    public var containerName: String { container.name }

    /// Upstream `format.Pod`: `name_namespace(uid)`.
    public var podDescription: String { "\(podName)_\(podNamespace)(\(podUID))" }

    /// The container's probe of `kind`, if it has one.
    public func probe(_ kind: ProbeKind) -> Probe? {
        switch kind {
        case .liveness: return container.livenessProbe
        case .readiness: return container.readinessProbe
        case .startup: return container.startupProbe
        }
    }
}
