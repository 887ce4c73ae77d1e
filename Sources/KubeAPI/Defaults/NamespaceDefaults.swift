import KubeCore

extension Namespace {
    /// Upstream `SetObjectDefaults_Namespace` (the `kubernetes.io/metadata.name` label, `status.phase:
    /// Active`) and the Namespace strategy's `spec.finalizers: [kubernetes]`. The finalizer is only added
    /// while the namespace is live: once it is being deleted the namespace controller removes it through
    /// the finalize subresource, and putting it back would block deletion forever.
    public mutating func applyDefaults() {
        if !metadata.name.isEmpty {
            metadata.labels["kubernetes.io/metadata.name"] = metadata.name
        }
        if status.phase.isEmpty {
            status.phase = "Active"
        }
        if spec.finalizers.isEmpty && metadata.deletionTimestamp == nil && status.phase != "Terminating" {
            spec.finalizers = ["kubernetes"]
        }
    }
}
