public import KubeAPI
import KubeCore

/// One node as the scheduler sees it: its labels, taints and allocatable resources (read once
/// from the Node) and the aggregate of the pods assigned to it (requests, non-zero requests, host
/// ports, the pods themselves). Value type; Sendable; kept up to date by ``ClusterSnapshot``.
///
/// The fields live in one copy-on-write box: a filter cycle reads thousands of NodeInfos, and the
/// optimizer copies a node it cannot prove unchanged around opaque calls, so a copy must be one retain
/// rather than one per array and dictionary inside.
public struct NodeInfo: Sendable {
    private var storage: Storage
    /// The numbers every filter and score cycle reads for every node, kept inline (no pointer chase).
    public private(set) var capacity = NodeCapacity()

    public var name: String { storage.name }
    public var labels: [String: String] { storage.labels }
    public var taints: [NodeTaint] { storage.taints }
    public var unschedulable: Bool { storage.unschedulable }
    public var allocatable: ResourceAmounts { storage.allocatable }
    /// `status.allocatable["pods"]` (upstream `AllowedPodNumber`).
    public var allowedPodNumber: Int { storage.allowedPodNumber }
    /// Sum of the assigned pods' requests (for fitting).
    public var requested: ResourceAmounts { storage.requested }
    /// Sum of the assigned pods' non-zero requests (for LeastAllocated scoring).
    public var nonZeroRequested: ResourceAmounts { storage.nonZeroRequested }
    public var usedPorts: [HostPort] { storage.usedPorts }
    public var pods: [PodInfo] { storage.pods }
    /// How many assigned pods have any inter-pod (anti-)affinity term.
    public var podsWithAffinity: Int { storage.podsWithAffinity }
    /// How many assigned pods have required anti-affinity terms.
    public var podsWithRequiredAntiAffinity: Int { storage.podsWithRequiredAntiAffinity }
    /// Stable number the snapshot gives this node name (never reused while the snapshot lives).
    public internal(set) var id: Int {
        get { storage.id }
        set { uniqueStorage().id = newValue }
    }
    /// The snapshot's number for this node's `topology.kubernetes.io/zone` value; -1 without one.
    var zoneID: Int {
        get { storage.zoneID }
        set { uniqueStorage().zoneID = newValue }
    }
    var hasHostnameLabel: Bool { storage.hasHostnameLabel }

    /// A node with no pods.
    public init(_ node: Node) {
        storage = Storage(name: node.metadata.name, unschedulable: false)
        update(node)
    }

    /// A placeholder for pods bound to a node the snapshot has not seen (or no longer has).
    init(placeholderNamed name: String) {
        storage = Storage(name: name, unschedulable: true)
    }

    /// Takes the node's labels, taints, unschedulable flag and allocatable; keeps the pods.
    mutating func update(_ node: Node) {
        let storage = uniqueStorage()
        storage.name = node.metadata.name
        storage.labels = node.metadata.labels
        storage.taints = node.spec.taints.map(NodeTaint.init)
        storage.unschedulable = node.spec.unschedulable
        storage.allocatable = ResourceAmounts(node.status.allocatable)
        storage.allowedPodNumber = Int(node.status.allocatable[ResourceName.pods]?.value ?? 0)
        storage.hasHostnameLabel = storage.labels[PodTopologySpreadScoring.hostnameKey] != nil
        refreshCapacity()
    }

    mutating func add(_ pod: PodInfo) {
        let storage = uniqueStorage()
        storage.pods.append(pod)
        storage.requested.add(pod.requests)
        storage.nonZeroRequested.add(pod.nonZeroRequests)
        storage.usedPorts.append(contentsOf: pod.hostPorts)
        if pod.hasAffinity { storage.podsWithAffinity += 1 }
        if pod.hasRequiredAntiAffinity { storage.podsWithRequiredAntiAffinity += 1 }
        refreshCapacity()
    }

    /// Removes the pod with `snapshotKey`; returns it when it was here.
    mutating func remove(snapshotKey: String) -> PodInfo? {
        guard let index = storage.pods.firstIndex(where: { $0.snapshotKey == snapshotKey }) else { return nil }
        let storage = uniqueStorage()
        let pod = storage.pods.remove(at: index)
        storage.requested.subtract(pod.requests)
        storage.nonZeroRequested.subtract(pod.nonZeroRequests)
        for port in pod.hostPorts {
            if let portIndex = storage.usedPorts.firstIndex(of: port) { storage.usedPorts.remove(at: portIndex) }
        }
        if pod.hasAffinity { storage.podsWithAffinity -= 1 }
        if pod.hasRequiredAntiAffinity { storage.podsWithRequiredAntiAffinity -= 1 }
        refreshCapacity()
        return pod
    }

    private mutating func refreshCapacity() {
        capacity = NodeCapacity(
            podCount: storage.pods.count, allowedPodNumber: storage.allowedPodNumber,
            allocatable: storage.allocatable, requested: storage.requested, nonZeroRequested: storage.nonZeroRequested)
    }

    /// Whether any of `ports` conflicts with a port already used here.
    func portsConflict(_ ports: [HostPort]) -> Bool {
        for wanted in ports {
            for used in storage.usedPorts where used.conflicts(with: wanted) { return true }
        }
        return false
    }

    /// The box, copied first when another NodeInfo shares it.
    private mutating func uniqueStorage() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    /// The fields of a NodeInfo. Mutated only through a uniquely referenced NodeInfo, so sharing it
    /// between copies is safe (`@unchecked Sendable`: never written while shared).
    private final class Storage: @unchecked Sendable {
        var name: String
        var labels: [String: String] = [:]
        var taints: [NodeTaint] = []
        var unschedulable: Bool
        var allocatable: ResourceAmounts = .zero
        var allowedPodNumber = 0
        var requested: ResourceAmounts = .zero
        var nonZeroRequested: ResourceAmounts = .zero
        var usedPorts: [HostPort] = []
        var pods: [PodInfo] = []
        var podsWithAffinity = 0
        var podsWithRequiredAntiAffinity = 0
        var id = 0
        var zoneID = -1
        var hasHostnameLabel = false

        init(name: String, unschedulable: Bool) {
            self.name = name
            self.unschedulable = unschedulable
        }

        func copy() -> Storage {
            let copy = Storage(name: name, unschedulable: unschedulable)
            copy.labels = labels
            copy.taints = taints
            copy.allocatable = allocatable
            copy.allowedPodNumber = allowedPodNumber
            copy.requested = requested
            copy.nonZeroRequested = nonZeroRequested
            copy.usedPorts = usedPorts
            copy.pods = pods
            copy.podsWithAffinity = podsWithAffinity
            copy.podsWithRequiredAntiAffinity = podsWithRequiredAntiAffinity
            copy.id = id
            copy.zoneID = zoneID
            copy.hasHostnameLabel = hasHostnameLabel
            return copy
        }
    }
}

/// A node's pod count and its cpu, memory and ephemeral-storage figures as plain numbers (extended
/// resources stay in ``NodeInfo/allocatable`` and ``NodeInfo/requested``). Value type; Sendable; trivially
/// copyable, so reading it for thousands of nodes per cycle costs no reference counting.
public struct NodeCapacity: Sendable, Equatable {
    public var podCount = 0
    public var allowedPodNumber = 0
    public var allocatableCPU: Int64 = 0
    public var allocatableMemory: Int64 = 0
    public var allocatableEphemeralStorage: Int64 = 0
    public var requestedCPU: Int64 = 0
    public var requestedMemory: Int64 = 0
    public var requestedEphemeralStorage: Int64 = 0
    public var nonZeroRequestedCPU: Int64 = 0
    public var nonZeroRequestedMemory: Int64 = 0

    init() {}

    init(podCount: Int, allowedPodNumber: Int, allocatable: ResourceAmounts, requested: ResourceAmounts,
         nonZeroRequested: ResourceAmounts) {
        self.podCount = podCount
        self.allowedPodNumber = allowedPodNumber
        allocatableCPU = allocatable.milliCPU
        allocatableMemory = allocatable.memory
        allocatableEphemeralStorage = allocatable.ephemeralStorage
        requestedCPU = requested.milliCPU
        requestedMemory = requested.memory
        requestedEphemeralStorage = requested.ephemeralStorage
        nonZeroRequestedCPU = nonZeroRequested.milliCPU
        nonZeroRequestedMemory = nonZeroRequested.memory
    }
}
