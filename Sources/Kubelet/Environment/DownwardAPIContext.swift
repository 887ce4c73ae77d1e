public import KubeCore

/// Facts about the pod and its node that the Downward API exposes but the Pod object may not carry yet
/// when containers are created: the sandbox's IPs (status.podIP(s)), the node's IPs (status.hostIP(s))
/// and the node's allocatable resources, which stand in for container limits that are not set
/// (upstream `defaultPodLimitsForDownwardAPI`).
///
/// Value type; Sendable.
public struct DownwardAPIContext: Sendable, Equatable {
    public var podIPs: [String]
    public var hostIPs: [String]
    /// Node allocatable by resource name (`cpu`, `memory`, `ephemeral-storage`).
    public var nodeAllocatable: [String: Quantity]

    public init(podIPs: [String] = [], hostIPs: [String] = [], nodeAllocatable: [String: Quantity] = [:]) {
        self.podIPs = podIPs
        self.hostIPs = hostIPs
        self.nodeAllocatable = nodeAllocatable
    }
}
