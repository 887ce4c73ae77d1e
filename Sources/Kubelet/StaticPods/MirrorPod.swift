public import KubeAPI
import KubeCore

/// Builds the mirror pod that shows a static pod in the API (upstream `pkg/kubelet/pod/mirror_client.go`):
/// the same pod plus `kubernetes.io/config.mirror=<hash>` and a controller reference to the node.
///
/// Pure functions; Sendable.
public enum MirrorPod {
    public static func of(_ staticPod: Pod, nodeName: String, nodeUID: String) -> Pod {
        var mirror = staticPod
        mirror.metadata.uid = ""
        mirror.metadata.resourceVersion = ""
        mirror.metadata.annotations[StaticPodAnnotations.mirror] =
            staticPod.metadata.annotations[StaticPodAnnotations.hash] ?? staticPod.metadata.uid
        mirror.metadata.ownerReferences = [
            OwnerReference(apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUID, controller: true)
        ]
        mirror.status = PodStatus()
        return mirror
    }
}
