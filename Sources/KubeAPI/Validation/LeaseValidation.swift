public import KubeCore

extension Lease {
    /// Upstream `ValidateLease` / `ValidateLeaseUpdate`: a positive duration, non-negative transitions, a
    /// known or qualified strategy, and a preferred holder only together with a strategy.
    public func validate(old: Lease?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        let path = FieldPath("spec")
        if let duration = spec.leaseDurationSeconds, duration <= 0 {
            errors.append(.invalid(path.child("leaseDurationSeconds"), .integer(Int64(duration)), "must be greater than 0"))
        }
        if let transitions = spec.leaseTransitions, transitions < 0 {
            errors.append(.invalid(path.child("leaseTransitions"), .integer(Int64(transitions)), ValidationRules.isNegative))
        }
        if let strategy = spec.strategy {
            if strategy.contains("/") {
                errors.append(contentsOf: ValidationRules.qualifiedName(strategy, at: path.child("strategy")))
            } else if strategy != "OldestEmulationVersion" {
                errors.append(.notSupported(path.child("strategy"), .string(strategy), supported: ["OldestEmulationVersion"]))
            }
        }
        if let preferred = spec.preferredHolder, !preferred.isEmpty, (spec.strategy ?? "").isEmpty {
            errors.append(.forbidden(path.child("preferredHolder"), "may only be specified if `strategy` is defined"))
        }
        return errors
    }
}
