public import KubeCore

/// Which built-in components run beside the API server, and their settings.
///
/// Value type; Sendable.
public struct ClusterConfiguration: Sendable {
    /// Runs the controller manager's loops (workloads, garbage collector, namespaces, node lifecycle).
    public var controllers = true
    /// Runs the scheduler.
    public var scheduler = true
    /// Hollow nodes to register; nil for none.
    public var simulatedNodes: SimulatedNodeSettings?
    /// The node agent running real containers on this machine; nil runs none.
    public var nodeAgent: NodeAgentSettings?
    /// How long a node's Lease may go unrenewed before it is Unknown (upstream `--node-monitor-grace-period`).
    public var nodeMonitorGracePeriod: Duration = .seconds(40)

    public init() {}
}

/// What `--simulated-nodes` and its companion flags ask for.
///
/// Value type; Sendable.
public struct SimulatedNodeSettings: Sendable {
    public var count: Int
    public var cpu: Quantity
    public var memory: Quantity
    public var pods: Int

    public init(count: Int, cpu: Quantity, memory: Quantity, pods: Int) {
        self.count = count
        self.cpu = cpu
        self.memory = memory
        self.pods = pods
    }
}
