public import KubeAPI
import KubeCore

/// One node as the scheduler sees it: its labels, taints and allocatable resources (read once
/// from the Node) and the aggregate of the pods assigned to it (requests, non-zero requests, host
/// ports, the pods themselves). Value type; Sendable; kept up to date by ``ClusterSnapshot``.
public struct NodeInfo: Sendable {
    public private(set) var name: String
    public private(set) var labels: [String: String]
    public private(set) var taints: [NodeTaint]
    public private(set) var unschedulable: Bool
    public private(set) var allocatable: ResourceAmounts
    /// `status.allocatable["pods"]` (upstream `AllowedPodNumber`).
    public private(set) var allowedPodNumber: Int
    /// Sum of the assigned pods' requests (for fitting).
    public private(set) var requested: ResourceAmounts
    /// Sum of the assigned pods' non-zero requests (for LeastAllocated scoring).
    public private(set) var nonZeroRequested: ResourceAmounts
    public private(set) var usedPorts: [HostPort]
    public private(set) var pods: [PodInfo]
    /// How many assigned pods have any inter-pod (anti-)affinity term.
    public private(set) var podsWithAffinity: Int
    /// How many assigned pods have required anti-affinity terms.
    public private(set) var podsWithRequiredAntiAffinity: Int
    /// Stable number the snapshot gives this node name (never reused while the snapshot lives).
    public internal(set) var id = 0
    /// The snapshot's number for this node's `topology.kubernetes.io/zone` value; -1 without one.
    var zoneID = -1
    var hasHostnameLabel = false

    /// A node with no pods.
    public init(_ node: Node) {
        name = node.metadata.name
        labels = [:]
        taints = []
        unschedulable = false
        allocatable = .zero
        allowedPodNumber = 0
        requested = .zero
        nonZeroRequested = .zero
        usedPorts = []
        pods = []
        podsWithAffinity = 0
        podsWithRequiredAntiAffinity = 0
        update(node)
    }

    /// A placeholder for pods bound to a node the snapshot has not seen (or no longer has).
    init(placeholderNamed name: String) {
        self.name = name
        labels = [:]
        taints = []
        unschedulable = true
        allocatable = .zero
        allowedPodNumber = 0
        requested = .zero
        nonZeroRequested = .zero
        usedPorts = []
        pods = []
        podsWithAffinity = 0
        podsWithRequiredAntiAffinity = 0
    }

    /// Takes the node's labels, taints, unschedulable flag and allocatable; keeps the pods.
    mutating func update(_ node: Node) {
        name = node.metadata.name
        labels = node.metadata.labels
        taints = node.spec.taints.map(NodeTaint.init)
        unschedulable = node.spec.unschedulable
        allocatable = ResourceAmounts(node.status.allocatable)
        allowedPodNumber = Int(node.status.allocatable[ResourceName.pods]?.value ?? 0)
        hasHostnameLabel = labels[PodTopologySpreadScoring.hostnameKey] != nil
    }

    mutating func add(_ pod: PodInfo) {
        pods.append(pod)
        requested.add(pod.requests)
        nonZeroRequested.add(pod.nonZeroRequests)
        usedPorts.append(contentsOf: pod.hostPorts)
        if pod.hasAffinity { podsWithAffinity += 1 }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity += 1 }
    }

    /// Removes the pod with `snapshotKey`; returns it when it was here.
    mutating func remove(snapshotKey: String) -> PodInfo? {
        guard let index = pods.firstIndex(where: { $0.snapshotKey == snapshotKey }) else { return nil }
        let pod = pods.remove(at: index)
        requested.subtract(pod.requests)
        nonZeroRequested.subtract(pod.nonZeroRequests)
        for port in pod.hostPorts {
            if let portIndex = usedPorts.firstIndex(of: port) { usedPorts.remove(at: portIndex) }
        }
        if pod.hasAffinity { podsWithAffinity -= 1 }
        if pod.hasRequiredAntiAffinity { podsWithRequiredAntiAffinity -= 1 }
        return pod
    }

    /// Whether any of `ports` conflicts with a port already used here.
    func portsConflict(_ ports: [HostPort]) -> Bool {
        for wanted in ports {
            for used in usedPorts where used.conflicts(with: wanted) { return true }
        }
        return false
    }
}
