import KubeCore

extension ReplicaSet {
    /// Upstream `SetObjectDefaults_ReplicaSet`: `replicas: 1` and the pod template's defaults.
    public mutating func applyDefaults() {
        if spec.replicas == nil {
            spec.replicas = 1
        }
        spec.template.applyDefaults()
    }
}
