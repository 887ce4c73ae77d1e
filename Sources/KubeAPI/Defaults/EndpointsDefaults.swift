import KubeCore

extension Endpoints {
    /// Upstream `SetDefaults_Endpoints`: port `protocol: TCP`.
    public mutating func applyDefaults() {
        for subset in subsets.indices {
            for port in subsets[subset].ports.indices where subsets[subset].ports[port].protocol.isEmpty {
                subsets[subset].ports[port].protocol = "TCP"
            }
        }
    }
}
