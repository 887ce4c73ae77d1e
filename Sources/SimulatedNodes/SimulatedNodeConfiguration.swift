public import KubeCore

/// How many hollow nodes to run and what each offers (`swiftlet server --simulated-nodes N …`).
///
/// Value type; Sendable.
public struct SimulatedNodeConfiguration: Sendable {
    public var count: Int
    /// Node names are `<prefix><index>`, from 0.
    public var namePrefix: String
    public var cpu: Quantity
    public var memory: Quantity
    public var pods: Int
    public var ephemeralStorage: Quantity
    /// How often each node renews its Lease in `kube-node-lease` (upstream kubelet: 10 s).
    public var heartbeatInterval: Duration
    /// `spec.leaseDurationSeconds` of the node Leases (upstream kubelet: 40).
    public var leaseDurationSeconds: Int32

    public init(count: Int, namePrefix: String = "sim-node-", cpu: Quantity = Quantity(32),
                memory: Quantity = Quantity(scaledValue: 256, scale: 0).withFormat(.binarySI),
                pods: Int = 110, ephemeralStorage: Quantity = Quantity(100 * 1024 * 1024 * 1024, format: .binarySI),
                heartbeatInterval: Duration = .seconds(10), leaseDurationSeconds: Int32 = 40) {
        self.count = count
        self.namePrefix = namePrefix
        self.cpu = cpu
        self.memory = memory
        self.pods = pods
        self.ephemeralStorage = ephemeralStorage
        self.heartbeatInterval = heartbeatInterval
        self.leaseDurationSeconds = leaseDurationSeconds
    }

    public func nodeName(_ index: Int) -> String { "\(namePrefix)\(index)" }
}
