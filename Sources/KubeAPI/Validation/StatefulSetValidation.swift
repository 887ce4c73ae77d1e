public import KubeCore

extension StatefulSet {
    /// Upstream `ValidateStatefulSet` (name is a DNS label: it becomes part of pod hostnames) and
    /// `ValidateStatefulSetUpdate` (only replicas, ordinals, template, updateStrategy,
    /// persistentVolumeClaimRetentionPolicy and minReadySeconds may change).
    public func validate(old: StatefulSet?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Label)
        errors.append(contentsOf: spec.validate(at: FieldPath("spec")))
        if let old {
            var unchanged = spec
            unchanged.replicas = old.spec.replicas
            unchanged.template = old.spec.template
            unchanged.updateStrategy = old.spec.updateStrategy
            unchanged.minReadySeconds = old.spec.minReadySeconds
            unchanged.ordinals = old.spec.ordinals
            unchanged.persistentVolumeClaimRetentionPolicy = old.spec.persistentVolumeClaimRetentionPolicy
            if unchanged != old.spec {
                errors.append(
                    .forbidden(
                        FieldPath("spec"),
                        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
                    ))
            }
        }
        return errors
    }
}

extension StatefulSetSpec {
    /// Upstream `ValidateStatefulSetSpec`.
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        switch podManagementPolicy {
        case "":
            errors.append(.required(path.child("podManagementPolicy")))
        case "OrderedReady", "Parallel":
            break
        default:
            errors.append(
                .invalid(path.child("podManagementPolicy"), .string(podManagementPolicy), "must be 'OrderedReady' or 'Parallel'"))
        }
        let strategyPath = path.child("updateStrategy")
        switch updateStrategy.type {
        case "":
            errors.append(.required(strategyPath))
        case "OnDelete":
            if updateStrategy.rollingUpdate != nil {
                errors.append(
                    .invalid(strategyPath.child("rollingUpdate"), .omitted, "only allowed for updateStrategy 'RollingUpdate'"))
            }
        case "RollingUpdate":
            if let rollingUpdate = updateStrategy.rollingUpdate {
                errors.append(contentsOf: rollingUpdate.validate(at: strategyPath.child("rollingUpdate")))
            }
        default:
            errors.append(.invalid(strategyPath, .omitted, "must be 'RollingUpdate' or 'OnDelete'"))
        }
        if let policy = persistentVolumeClaimRetentionPolicy {
            let policyPath = path.child("persistentVolumeClaimRetentionPolicy")
            for (name, value) in [("whenDeleted", policy.whenDeleted), ("whenScaled", policy.whenScaled)]
            where value != "Retain" && value != "Delete" {
                errors.append(.notSupported(policyPath.child(name), .string(value), supported: ["Retain", "Delete"]))
            }
        }
        errors.append(contentsOf: ValidationRules.nonNegative(Int64(replicas ?? 0), at: path.child("replicas")))
        errors.append(contentsOf: ValidationRules.nonNegative(Int64(minReadySeconds), at: path.child("minReadySeconds")))
        if let ordinals {
            errors.append(contentsOf: ValidationRules.nonNegative(Int64(ordinals.start), at: path.child("ordinals.start")))
        }
        errors.append(contentsOf: WorkloadSelector.validate(selector, kindWord: "statefulset", at: path))
        if (try? LabelSelectorExpression(selector)) == nil {
            errors.append(.invalid(path.child("selector"), selector.map(ValidationRules.goSyntax) ?? .null, ""))
        } else {
            let templatePath = path.child("template")
            errors.append(
                contentsOf: ValidationRules.selectorMismatch(
                    selector, labels: template.metadata.labels, at: templatePath.child("metadata", "labels")))
            // Upstream checks only the template's metadata for StatefulSets (volumes may refer to claims
            // from volumeClaimTemplates, which pod validation would reject).
            errors.append(contentsOf: ValidationRules.labels(template.metadata.labels, at: templatePath.child("labels")))
            errors.append(
                contentsOf: ValidationRules.annotations(template.metadata.annotations, at: templatePath.child("annotations")))
        }
        errors.append(contentsOf: ValidationRules.alwaysRestartingTemplate(template, at: path.child("template"), kind: "StatefulSet"))
        return errors
    }
}

extension RollingUpdateStatefulSetStrategy {
    /// Upstream `validateRollingUpdateStatefulSet`.
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = ValidationRules.nonNegative(Int64(partition ?? 0), at: path.child("partition"))
        if let maxUnavailable {
            let unavailablePath = path.child("maxUnavailable")
            errors.append(contentsOf: ValidationRules.positiveIntOrPercent(maxUnavailable, at: unavailablePath))
            if ValidationRules.intOrPercentValue(maxUnavailable) == 0 {
                errors.append(.invalid(unavailablePath, ValidationRules.goSyntax(maxUnavailable), "cannot be 0"))
            }
            errors.append(contentsOf: ValidationRules.notMoreThan100Percent(maxUnavailable, at: unavailablePath))
        }
        return errors
    }
}

extension ControllerRevision {
    /// Upstream `ValidateControllerRevision` / `ValidateControllerRevisionUpdate`: data is required and
    /// cannot change; the revision number is not negative.
    public func validate(old: ControllerRevision?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        if data == .null {
            errors.append(.required(FieldPath("data"), "data is mandatory"))
        }
        errors.append(contentsOf: ValidationRules.nonNegative(revision, at: FieldPath("revision")))
        if let old, data != old.data {
            errors.append(.invalid(FieldPath("data"), .omitted, ValidationRules.fieldImmutable))
        }
        return errors
    }
}
