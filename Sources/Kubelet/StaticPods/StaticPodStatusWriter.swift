public import KubeAPI
import KubeClient
import KubeCore
import Synchronization

/// A `PodStatusWriter` that knows static pods: their status goes to their mirror pod (found by name, checked
/// by its `config.mirror` hash), a terminated static pod deletes its mirror only when its manifest is gone,
/// and everything about API pods goes to `base`. Remembers the last status of each static pod so a recreated
/// mirror gets it again (`replayStatus`).
///
/// Thread-safe (a mutex guards the remembered statuses); Sendable.
public final class StaticPodStatusWriter: PodStatusWriter {
    private let base: any PodStatusWriter
    private let mirrors: any MirrorPodClient
    private let configured = Mutex<Set<String>>([])
    private let lastStatus = Mutex<[String: (pod: Pod, status: PodStatus)]>([:])

    public init(base: any PodStatusWriter, mirrors: any MirrorPodClient) {
        self.base = base
        self.mirrors = mirrors
    }

    /// The UIDs of the static pods a manifest still describes (the manager keeps this current).
    public func setConfigured(_ uids: Set<String>) {
        configured.withLock { $0 = uids }
    }

    private func isConfigured(_ uid: String) -> Bool {
        configured.withLock { $0.contains(uid) }
    }

    public func writeStatus(_ status: PodStatus, of pod: Pod) async throws {
        guard StaticPodAnnotations.isStatic(pod) else {
            try await base.writeStatus(status, of: pod)
            return
        }
        lastStatus.withLock { $0[pod.metadata.uid] = (pod, status) }
        try await writeToMirror(status, of: pod)
    }

    /// Writes the last status of static pod `uid` (if any) to its mirror, e.g. after the mirror was recreated.
    public func replayStatus(uid: String) async {
        guard let (pod, status) = lastStatus.withLock({ $0[uid] }) else { return }
        try? await writeToMirror(status, of: pod)
    }

    /// Forgets a static pod that is gone.
    public func forget(uid: String) {
        lastStatus.withLock { _ = $0.removeValue(forKey: uid) }
    }

    private func writeToMirror(_ status: PodStatus, of pod: Pod) async throws {
        for _ in 0..<2 {
            guard var mirror = try await mirrors.pod(namespace: pod.metadata.namespace, name: pod.metadata.name),
                  StaticPodAnnotations.isMirror(mirror, of: pod)
            else { throw StaticPodError.mirrorMissing(pod.metadata.name) }
            mirror.status = status
            do {
                try await mirrors.updateStatus(mirror)
                return
            } catch let error as APIError where error.reason == .conflict {
                continue
            }
        }
    }

    public func deleteTerminatedPod(_ pod: Pod) async throws {
        guard StaticPodAnnotations.isStatic(pod) else {
            try await base.deleteTerminatedPod(pod)
            return
        }
        guard !isConfigured(pod.metadata.uid) else { return }
        forget(uid: pod.metadata.uid)
        guard let mirror = try await mirrors.pod(namespace: pod.metadata.namespace, name: pod.metadata.name),
              StaticPodAnnotations.isMirror(mirror, of: pod)
        else { return }
        try await mirrors.delete(namespace: mirror.metadata.namespace, name: mirror.metadata.name,
                                 uid: mirror.metadata.uid)
    }

    public func recordEvent(about pod: Pod, fieldPath: String, warning: Bool, reason: String, message: String) {
        base.recordEvent(about: pod, fieldPath: fieldPath, warning: warning, reason: reason, message: message)
    }
}

/// Static pod failures that callers retry.
public enum StaticPodError: Error, CustomStringConvertible {
    case mirrorMissing(String)

    public var description: String {
        switch self {
        case .mirrorMissing(let name):
            "the mirror pod \(name) does not exist yet; the kubelet creates it and writes the status again"
        }
    }
}
