public import KubeCore

extension PodDisruptionBudget {
    /// Upstream `ValidatePodDisruptionBudget` (create and update): at most one of minAvailable and
    /// maxUnavailable, each a non-negative number or a percentage up to 100%, a valid selector and a
    /// supported unhealthy-pod eviction policy.
    public func validate(old: PodDisruptionBudget?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        let path = FieldPath("spec")
        if spec.minAvailable != nil && spec.maxUnavailable != nil {
            errors.append(.invalid(path, .omitted, "minAvailable and maxUnavailable cannot be both set"))
        }
        for (name, value) in [("minAvailable", spec.minAvailable), ("maxUnavailable", spec.maxUnavailable)] {
            guard let value else { continue }
            errors.append(contentsOf: ValidationRules.positiveIntOrPercent(value, at: path.child(name)))
            errors.append(contentsOf: ValidationRules.notMoreThan100Percent(value, at: path.child(name)))
        }
        if let selector = spec.selector {
            errors.append(contentsOf: selector.validate(at: path.child("selector")))
        }
        let policies = ["AlwaysAllow", "IfHealthyBudget"]
        if let policy = spec.unhealthyPodEvictionPolicy, !policies.contains(policy) {
            errors.append(.notSupported(path.child("unhealthyPodEvictionPolicy"), .string(policy), supported: policies))
        }
        return errors
    }
}
