import KubeCore

extension Node {
    /// Upstream `SetDefaults_NodeStatus`: `allocatable` is `capacity` when unset.
    public mutating func applyDefaults() {
        if status.allocatable.isEmpty && !status.capacity.isEmpty {
            status.allocatable = status.capacity
        }
    }
}
