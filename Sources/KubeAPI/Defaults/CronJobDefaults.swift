import KubeCore

extension CronJob {
    /// Upstream `SetObjectDefaults_CronJob`: `concurrencyPolicy: Allow`, `suspend: false`,
    /// `successfulJobsHistoryLimit: 3`, `failedJobsHistoryLimit: 1`, and the pod template's defaults
    /// inside the job template (the job template's own Job fields are defaulted when each Job is created).
    public mutating func applyDefaults() {
        if spec.concurrencyPolicy.isEmpty {
            spec.concurrencyPolicy = "Allow"
        }
        if spec.suspend == nil {
            spec.suspend = false
        }
        if spec.successfulJobsHistoryLimit == nil {
            spec.successfulJobsHistoryLimit = 3
        }
        if spec.failedJobsHistoryLimit == nil {
            spec.failedJobsHistoryLimit = 1
        }
        spec.jobTemplate.spec.template.applyDefaults()
    }
}
