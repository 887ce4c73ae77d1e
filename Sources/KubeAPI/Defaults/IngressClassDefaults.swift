import KubeCore

extension IngressClass {
    /// Upstream `SetDefaults_IngressClass`: a parameters reference is cluster-scoped unless it says otherwise.
    public mutating func applyDefaults() {
        if spec.parameters != nil, spec.parameters?.scope == nil {
            spec.parameters?.scope = "Cluster"
        }
    }
}
