public import KubeCore

extension ReplicaSet {
    /// Upstream `ValidateReplicaSet` / `ValidateReplicaSetUpdate` plus the apps/v1 strategy's rule that
    /// `spec.selector` cannot change.
    public func validate(old: ReplicaSet?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        let path = FieldPath("spec")
        errors.append(contentsOf: ValidationRules.nonNegative(Int64(spec.replicas ?? 0), at: path.child("replicas")))
        errors.append(contentsOf: ValidationRules.nonNegative(Int64(spec.minReadySeconds), at: path.child("minReadySeconds")))
        // Upstream reuses the Deployment wording here.
        errors.append(contentsOf: WorkloadSelector.validate(spec.selector, kindWord: "deployment", at: path))
        errors.append(contentsOf: WorkloadSelector.replicaSetTemplate(spec.template, selector: spec.selector, specPath: path))
        if let old, spec.selector != old.spec.selector {
            errors.append(
                .invalid(path.child("selector"), spec.selector.map(ValidationRules.goSyntax) ?? .null,
                    ValidationRules.fieldImmutable))
        }
        return errors
    }
}
