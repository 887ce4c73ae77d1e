public import KubeAPI

/// Where pod workers send what they observed: status updates, the final delete of a terminated pod, and
/// events about the pod.
///
/// Implementations are Sendable and safe to call concurrently.
public protocol PodStatusWriter: Sendable {
    /// Writes `status` as the pod's status (the pod value carries the latest known resourceVersion).
    func writeStatus(_ status: PodStatus, of pod: Pod) async throws
    /// Removes a pod whose containers have all stopped (a delete with grace period 0 and a UID precondition).
    func deleteTerminatedPod(_ pod: Pod) async throws
    /// Records an event about the pod (`fieldPath` names a container: `spec.containers{web}`).
    func recordEvent(about pod: Pod, fieldPath: String, warning: Bool, reason: String, message: String)
}
