public import KubeCore

extension DaemonSet {
    /// Upstream `ValidateDaemonSet` / `ValidateDaemonSetUpdate` plus the apps/v1 strategy's rule that
    /// `spec.selector` cannot change.
    public func validate(old: DaemonSet?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        errors.append(contentsOf: spec.validate(at: FieldPath("spec")))
        if let old, spec.selector != old.spec.selector {
            errors.append(
                .invalid(FieldPath("spec", "selector"), spec.selector.map(ValidationRules.goSyntax) ?? .null,
                    ValidationRules.fieldImmutable))
        }
        return errors
    }
}

extension DaemonSetSpec {
    /// Upstream `ValidateDaemonSetSpec`.
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if let selector {
            errors.append(contentsOf: selector.validate(at: path.child("selector")))
        }
        errors.append(
            contentsOf: ValidationRules.selectorMismatch(
                selector, labels: template.metadata.labels, at: path.child("template", "metadata", "labels")))
        if let selector, selector.matchLabels.isEmpty && selector.matchExpressions.isEmpty {
            errors.append(
                .invalid(path.child("selector"), ValidationRules.goSyntax(selector), "empty selector is invalid for daemonset"))
        }
        errors.append(contentsOf: ValidationRules.podTemplate(template, at: path.child("template")))
        errors.append(contentsOf: ValidationRules.alwaysRestartingTemplate(template, at: path.child("template"), kind: "DaemonSet"))
        errors.append(contentsOf: ValidationRules.nonNegative(Int64(minReadySeconds), at: path.child("minReadySeconds")))
        errors.append(contentsOf: updateStrategy.validate(at: path.child("updateStrategy")))
        if let revisionHistoryLimit {
            errors.append(
                contentsOf: ValidationRules.nonNegative(Int64(revisionHistoryLimit), at: path.child("revisionHistoryLimit")))
        }
        return errors
    }
}

extension DaemonSetUpdateStrategy {
    /// Upstream `ValidateDaemonSetUpdateStrategy`.
    func validate(at path: FieldPath) -> FieldErrorList {
        switch type {
        case "OnDelete":
            return []
        case "RollingUpdate":
            guard let rollingUpdate else { return [.required(path.child("rollingUpdate"))] }
            return rollingUpdate.validate(at: path.child("rollingUpdate"))
        default:
            let value: FieldErrorValue = rollingUpdate == nil
                ? .raw("apps.DaemonSetUpdateStrategy{Type:\(ValidationRules.goQuote(type)), RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}")
                : .omitted
            return [.notSupported(path, value, supported: ["RollingUpdate", "OnDelete"])]
        }
    }
}

extension RollingUpdateDaemonSet {
    /// Upstream `ValidateRollingUpdateDaemonSet`: budgets valid, at most 100%, exactly one of them non-zero.
    func validate(at path: FieldPath) -> FieldErrorList {
        let unavailable = maxUnavailable ?? .int(0)
        let surge = maxSurge ?? .int(0)
        var errors = ValidationRules.positiveIntOrPercent(unavailable, at: path.child("maxUnavailable"))
        errors.append(contentsOf: ValidationRules.positiveIntOrPercent(surge, at: path.child("maxSurge")))
        errors.append(contentsOf: ValidationRules.notMoreThan100Percent(unavailable, at: path.child("maxUnavailable")))
        errors.append(contentsOf: ValidationRules.notMoreThan100Percent(surge, at: path.child("maxSurge")))
        let hasUnavailable = ValidationRules.intOrPercentValue(unavailable) != 0
        let hasSurge = ValidationRules.intOrPercentValue(surge) != 0
        if hasUnavailable && hasSurge {
            errors.append(
                .invalid(path.child("maxSurge"), ValidationRules.goSyntax(surge), "may not be set when maxUnavailable is non-zero"))
        } else if !hasUnavailable && !hasSurge {
            errors.append(.required(path.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"))
        }
        return errors
    }
}
