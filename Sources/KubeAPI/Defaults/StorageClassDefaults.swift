import KubeCore

extension StorageClass {
    /// Upstream `SetDefaults_StorageClass`: `reclaimPolicy: Delete`, `volumeBindingMode: Immediate`.
    public mutating func applyDefaults() {
        if reclaimPolicy == nil {
            reclaimPolicy = "Delete"
        }
        if volumeBindingMode == nil {
            volumeBindingMode = "Immediate"
        }
    }
}
