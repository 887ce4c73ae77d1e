import KubeCore

extension PersistentVolumeClaim {
    /// Upstream `SetObjectDefaults_PersistentVolumeClaim`: `status.phase: Pending`, `volumeMode: Filesystem`.
    /// StatefulSets apply the same defaults to their volume claim templates.
    public mutating func applyDefaults() {
        if status.phase.isEmpty {
            status.phase = "Pending"
        }
        if spec.volumeMode == nil {
            spec.volumeMode = "Filesystem"
        }
    }
}
