import KubeCore

extension EndpointSlice {
    /// Upstream `SetDefaults_EndpointPort` (discovery/v1): port `name: ""` and `protocol: TCP` when unset.
    public mutating func applyDefaults() {
        for index in ports.indices {
            if ports[index].name == nil {
                ports[index].name = ""
            }
            if ports[index].protocol == nil {
                ports[index].protocol = "TCP"
            }
        }
    }
}
