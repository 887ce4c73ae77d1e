import KubeCore
public import KubeAPI

/// The annotation keys the kubelet puts on static pods and their mirror pods (upstream
/// `pkg/kubelet/types/pod_update.go`), and the questions asked about them.
///
/// Pure functions; Sendable.
public enum StaticPodAnnotations {
    public static let source = "kubernetes.io/config.source"
    public static let hash = "kubernetes.io/config.hash"
    public static let seen = "kubernetes.io/config.seen"
    public static let mirror = "kubernetes.io/config.mirror"

    /// A pod read from a manifest on this node (not from the API): its config source is file or http.
    public static func isStatic(_ pod: Pod) -> Bool {
        guard pod.metadata.annotations[mirror] == nil else { return false }
        let value = pod.metadata.annotations[source]
        return value == StaticPodSource.file.rawValue || value == StaticPodSource.http.rawValue
    }

    /// A pod in the API that stands for a static pod (it carries the mirror annotation).
    public static func isMirror(_ pod: Pod) -> Bool {
        pod.metadata.annotations[mirror] != nil
    }

    /// Whether `mirror` is the mirror of `staticPod` (its mirror annotation is the static pod's hash).
    public static func isMirror(_ mirror: Pod, of staticPod: Pod) -> Bool {
        guard let hash = staticPod.metadata.annotations[hash] else { return false }
        return mirror.metadata.annotations[self.mirror] == hash
    }
}

/// Where a static pod came from (the `kubernetes.io/config.source` value).
public enum StaticPodSource: String, Sendable, Hashable {
    case file
    case http
}
