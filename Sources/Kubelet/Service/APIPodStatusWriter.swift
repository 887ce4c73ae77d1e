public import ControllerRuntime
public import Foundation
public import KubeAPI
public import KubeClient
import KubeCore

/// Writes pod status and the final delete through the API client, and events through an `EventRecorder`
/// as component `kubelet` on this node.
///
/// Sendable; the client and the recorder are thread-safe.
public struct APIPodStatusWriter: PodStatusWriter {
    let client: APIClient
    let events: EventRecorder

    public init(client: APIClient, events: EventRecorder) {
        self.client = client
        self.events = events
    }

    public func writeStatus(_ status: PodStatus, of pod: Pod) async throws {
        var updated = pod
        updated.status = status
        do {
            _ = try await client.updateStatus(updated)
        } catch let error as APIError where error.reason == .conflict {
            // The pod changed since the worker saw it: write the status over the latest version.
            guard var latest = try await client.getIfPresent(
                Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name),
                latest.metadata.uid == pod.metadata.uid
            else { return }
            latest.status = status
            _ = try await client.updateStatus(latest)
        } catch let error as APIError where error.reason == .notFound {
            return
        }
    }

    public func deleteTerminatedPod(_ pod: Pod) async throws {
        let options = DeleteOptions(gracePeriodSeconds: 0, preconditions: .init(uid: pod.metadata.uid))
        do {
            try await client.delete(Pod.self, namespace: pod.metadata.namespace, name: pod.metadata.name,
                                    options: options)
        } catch let error as APIError where error.reason == .notFound || error.reason == .conflict {
            return
        }
    }

    public func recordEvent(about pod: Pod, fieldPath: String, warning: Bool, reason: String, message: String) {
        var reference = ObjectReference()
        reference.kind = "Pod"
        reference.apiVersion = "v1"
        reference.namespace = pod.metadata.namespace
        reference.name = pod.metadata.name
        reference.uid = pod.metadata.uid
        reference.resourceVersion = pod.metadata.resourceVersion
        reference.fieldPath = fieldPath
        events.record(about: reference, type: warning ? .warning : .normal, reason: reason, message: message)
    }
}
