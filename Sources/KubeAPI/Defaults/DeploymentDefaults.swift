import KubeCore

extension Deployment {
    /// Upstream `SetObjectDefaults_Deployment`: `replicas: 1`, a RollingUpdate strategy with 25%/25%
    /// budgets, `revisionHistoryLimit: 10`, `progressDeadlineSeconds: 600`, and the pod template's defaults.
    public mutating func applyDefaults() {
        if spec.replicas == nil {
            spec.replicas = 1
        }
        if spec.strategy.type.isEmpty {
            spec.strategy.type = "RollingUpdate"
        }
        if spec.strategy.type == "RollingUpdate" {
            var rollingUpdate = spec.strategy.rollingUpdate ?? RollingUpdateDeployment()
            if rollingUpdate.maxUnavailable == nil {
                rollingUpdate.maxUnavailable = .string("25%")
            }
            if rollingUpdate.maxSurge == nil {
                rollingUpdate.maxSurge = .string("25%")
            }
            spec.strategy.rollingUpdate = rollingUpdate
        }
        if spec.revisionHistoryLimit == nil {
            spec.revisionHistoryLimit = 10
        }
        if spec.progressDeadlineSeconds == nil {
            spec.progressDeadlineSeconds = 600
        }
        spec.template.applyDefaults()
    }
}
