import KubeCore

extension DaemonSet {
    /// Upstream `SetObjectDefaults_DaemonSet`: a RollingUpdate strategy with `maxUnavailable: 1` and
    /// `maxSurge: 0`, `revisionHistoryLimit: 10`, and the pod template's defaults.
    public mutating func applyDefaults() {
        if spec.updateStrategy.type.isEmpty {
            spec.updateStrategy.type = "RollingUpdate"
        }
        if spec.updateStrategy.type == "RollingUpdate" {
            var rollingUpdate = spec.updateStrategy.rollingUpdate ?? RollingUpdateDaemonSet()
            if rollingUpdate.maxUnavailable == nil {
                rollingUpdate.maxUnavailable = .int(1)
            }
            if rollingUpdate.maxSurge == nil {
                rollingUpdate.maxSurge = .int(0)
            }
            spec.updateStrategy.rollingUpdate = rollingUpdate
        }
        if spec.revisionHistoryLimit == nil {
            spec.revisionHistoryLimit = 10
        }
        spec.template.applyDefaults()
    }
}
