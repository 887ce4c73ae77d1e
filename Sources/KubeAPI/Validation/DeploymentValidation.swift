public import KubeCore

extension Deployment {
    /// Upstream `ValidateDeployment` (create) and `ValidateDeploymentUpdate` plus the apps/v1 strategy's
    /// rule that `spec.selector` cannot change.
    public func validate(old: Deployment?) -> FieldErrorList {
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

extension DeploymentSpec {
    /// Upstream `ValidateDeploymentSpec`.
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = ValidationRules.nonNegative(Int64(replicas ?? 0), at: path.child("replicas"))
        errors.append(contentsOf: WorkloadSelector.validate(selector, kindWord: "deployment", at: path))
        errors.append(contentsOf: WorkloadSelector.replicaSetTemplate(template, selector: selector, specPath: path))
        errors.append(contentsOf: strategy.validate(at: path.child("strategy")))
        errors.append(contentsOf: ValidationRules.nonNegative(Int64(minReadySeconds), at: path.child("minReadySeconds")))
        if let revisionHistoryLimit {
            errors.append(
                contentsOf: ValidationRules.nonNegative(Int64(revisionHistoryLimit), at: path.child("revisionHistoryLimit")))
        }
        if let progressDeadlineSeconds {
            let deadlinePath = path.child("progressDeadlineSeconds")
            errors.append(contentsOf: ValidationRules.nonNegative(Int64(progressDeadlineSeconds), at: deadlinePath))
            if progressDeadlineSeconds <= minReadySeconds {
                errors.append(
                    .invalid(deadlinePath, .integer(Int64(progressDeadlineSeconds)), "must be greater than minReadySeconds"))
            }
        }
        return errors
    }
}

extension DeploymentStrategy {
    /// Upstream `ValidateDeploymentStrategy`.
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        switch type {
        case "Recreate":
            if rollingUpdate != nil {
                errors.append(.forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"))
            }
        case "RollingUpdate":
            if let rollingUpdate {
                errors.append(contentsOf: rollingUpdate.validate(at: path.child("rollingUpdate")))
            } else {
                errors.append(.required(path.child("rollingUpdate"), "this should be defaulted and never be nil"))
            }
        default:
            let value: FieldErrorValue = rollingUpdate == nil
                ? .raw("apps.DeploymentStrategy{Type:\(ValidationRules.goQuote(type)), RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}")
                : .omitted
            errors.append(.notSupported(path, value, supported: ["Recreate", "RollingUpdate"]))
        }
        return errors
    }
}

extension RollingUpdateDeployment {
    /// Upstream `ValidateRollingUpdateDeployment` (a nil budget counts as 0, as after conversion).
    func validate(at path: FieldPath) -> FieldErrorList {
        let unavailable = maxUnavailable ?? .int(0)
        let surge = maxSurge ?? .int(0)
        var errors = ValidationRules.positiveIntOrPercent(unavailable, at: path.child("maxUnavailable"))
        errors.append(contentsOf: ValidationRules.positiveIntOrPercent(surge, at: path.child("maxSurge")))
        if ValidationRules.intOrPercentValue(unavailable) == 0 && ValidationRules.intOrPercentValue(surge) == 0 {
            errors.append(
                .invalid(path.child("maxUnavailable"), ValidationRules.goSyntax(unavailable), "may not be 0 when `maxSurge` is 0"))
        }
        errors.append(contentsOf: ValidationRules.notMoreThan100Percent(unavailable, at: path.child("maxUnavailable")))
        return errors
    }
}

/// Selector and template checks shared by Deployment, ReplicaSet and StatefulSet. Stateless namespace.
enum WorkloadSelector {
    /// `spec.selector`: required, valid, and not empty (`empty selector is invalid for <kindWord>`).
    static func validate(_ selector: LabelSelector?, kindWord: String, at specPath: FieldPath) -> FieldErrorList {
        let path = specPath.child("selector")
        guard let selector else { return [.required(path)] }
        var errors = selector.validate(at: path)
        if selector.matchLabels.isEmpty && selector.matchExpressions.isEmpty {
            errors.append(.invalid(path, ValidationRules.goSyntax(selector), "empty selector is invalid for \(kindWord)"))
        }
        return errors
    }

    /// Upstream `ValidatePodTemplateSpecForReplicaSet`: labels match the selector, template metadata is
    /// valid, pods restart `Always` and have no active deadline.
    static func replicaSetTemplate(_ template: PodTemplateSpec, selector: LabelSelector?, specPath: FieldPath) -> FieldErrorList {
        guard (try? LabelSelectorExpression(selector)) != nil else {
            return [
                .invalid(specPath.child("selector"), selector.map(ValidationRules.goSyntax) ?? .null, "invalid label selector")
            ]
        }
        let path = specPath.child("template")
        var errors = ValidationRules.selectorMismatch(selector, labels: template.metadata.labels, at: path.child("metadata", "labels"))
        errors.append(contentsOf: ValidationRules.podTemplate(template, at: path))
        errors.append(contentsOf: ValidationRules.alwaysRestartingTemplate(template, at: path, kind: "ReplicaSet"))
        return errors
    }
}
