public import Foundation
public import KubeAPI

/// Hears about container starts and stops of a pod worker: runs postStart and preStop hooks and drives the
/// probes. `containerStarted` returns after the postStart hook (the container counts as running only then).
///
/// Implementations are Sendable.
public protocol ContainerLifecycleObserver: Sendable {
    func containerStarted(pod: Pod, container: Container, containerID: String, startedAt: Date, podIP: String,
                          worker: PodWorker) async
    /// Runs the preStop hook before the container is stopped.
    func containerStopping(pod: Pod, container: Container, containerID: String, podIP: String) async
    func containerStopped(podUID: String, containerName: String) async
}
