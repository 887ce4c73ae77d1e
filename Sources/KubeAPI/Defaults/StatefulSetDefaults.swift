import KubeCore

extension StatefulSet {
    /// Upstream `SetObjectDefaults_StatefulSet`: `podManagementPolicy: OrderedReady`, a RollingUpdate
    /// strategy with `partition: 0`, claim retention Retain/Retain, `replicas: 1`,
    /// `revisionHistoryLimit: 10`, the pod template's defaults, and the claim defaults on each
    /// volume claim template (including upstream's `status.phase: Pending`).
    public mutating func applyDefaults() {
        if spec.podManagementPolicy.isEmpty {
            spec.podManagementPolicy = "OrderedReady"
        }
        if spec.updateStrategy.type.isEmpty {
            spec.updateStrategy.type = "RollingUpdate"
            if spec.updateStrategy.rollingUpdate == nil {
                spec.updateStrategy.rollingUpdate = RollingUpdateStatefulSetStrategy()
            }
        }
        if spec.updateStrategy.type == "RollingUpdate", spec.updateStrategy.rollingUpdate != nil,
            spec.updateStrategy.rollingUpdate?.partition == nil
        {
            spec.updateStrategy.rollingUpdate?.partition = 0
        }
        var retention = spec.persistentVolumeClaimRetentionPolicy ?? StatefulSetPersistentVolumeClaimRetentionPolicy()
        if retention.whenDeleted.isEmpty {
            retention.whenDeleted = "Retain"
        }
        if retention.whenScaled.isEmpty {
            retention.whenScaled = "Retain"
        }
        spec.persistentVolumeClaimRetentionPolicy = retention
        if spec.replicas == nil {
            spec.replicas = 1
        }
        if spec.revisionHistoryLimit == nil {
            spec.revisionHistoryLimit = 10
        }
        spec.template.applyDefaults()
        for index in spec.volumeClaimTemplates.indices {
            spec.volumeClaimTemplates[index].applyDefaults()
        }
    }
}
