import KubeCore

extension PersistentVolume {
    /// Upstream `SetObjectDefaults_PersistentVolume`: `status.phase: Pending`,
    /// `persistentVolumeReclaimPolicy: Retain`, `volumeMode: Filesystem`, `hostPath.type: ""`.
    public mutating func applyDefaults() {
        if status.phase.isEmpty {
            status.phase = "Pending"
        }
        if spec.persistentVolumeReclaimPolicy.isEmpty {
            spec.persistentVolumeReclaimPolicy = "Retain"
        }
        if spec.volumeMode == nil {
            spec.volumeMode = "Filesystem"
        }
        if spec.hostPath != nil, spec.hostPath?.type == nil {
            spec.hostPath?.type = ""
        }
    }
}
