public import Foundation

/// Settings of one node agent.
///
/// A value type; Sendable.
public struct KubeletConfiguration: Sendable {
    public var nodeName: String
    /// Root of the kubelet's state: pods/, containers/, logs.
    public var rootDirectory: String
    /// The node's pod CIDR (from `--cluster-cidr` in the all-in-one server).
    public var podCIDR: String
    public var nodeIP: String
    public var maxPods: Int = 110
    /// Directory of static pod manifests (`--pod-manifest-path`), rescanned every `staticPodInterval`.
    public var podManifestPath: String?
    /// A URL serving static pod manifests (`--manifest-url`), polled every `staticPodInterval`.
    public var manifestURL: String?
    public var staticPodInterval: Duration = .seconds(20)
    /// How often a settled pod is synced again (volume updates, status).
    public var podResyncInterval: Duration = .seconds(10)

    public init(nodeName: String, rootDirectory: String, podCIDR: String, nodeIP: String) {
        self.nodeName = nodeName
        self.rootDirectory = rootDirectory
        self.podCIDR = podCIDR
        self.nodeIP = nodeIP
    }
}
