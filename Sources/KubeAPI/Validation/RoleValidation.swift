public import KubeCore

// Upstream `ValidateRole`, `ValidateClusterRole` and `ValidatePolicyRule` (pkg/apis/rbac/validation).
// Role names are path segments (`system:controller:x` is fine). Messages are upstream's, word for word.

extension Role {
    /// Every rule needs verbs, and resources with API groups; non-resource URLs are cluster-only.
    public func validate(old: Role?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .pathSegment)
        for (index, rule) in rules.enumerated() {
            errors.append(contentsOf: rule.validate(namespaced: true, at: FieldPath("rules").index(index)))
        }
        return errors
    }
}

extension ClusterRole {
    /// The rules as for a Role (non-resource URLs allowed) and, with an aggregation rule, at least one
    /// valid cluster role selector.
    public func validate(old: ClusterRole?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: false, name: .pathSegment)
        for (index, rule) in rules.enumerated() {
            errors.append(contentsOf: rule.validate(namespaced: false, at: FieldPath("rules").index(index)))
        }
        if let aggregationRule {
            let path = FieldPath("aggregationRule", "clusterRoleSelectors")
            if aggregationRule.clusterRoleSelectors.isEmpty {
                errors.append(.required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil"))
            }
            for (index, selector) in aggregationRule.clusterRoleSelectors.enumerated() {
                errors.append(contentsOf: selector.validate(at: path.index(index)))
            }
        }
        return errors
    }
}

extension PolicyRule {
    /// Upstream `ValidatePolicyRule`: verbs are required; a rule names either non-resource URLs (cluster
    /// roles only, nothing else) or API groups and resources.
    func validate(namespaced: Bool, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if verbs.isEmpty {
            errors.append(.required(path.child("verbs"), "verbs must contain at least one value"))
        }
        if !nonResourceURLs.isEmpty {
            if namespaced {
                errors.append(.invalid(path.child("nonResourceURLs"), .strings(nonResourceURLs),
                                       "namespaced rules cannot apply to non-resource URLs"))
            }
            if !apiGroups.isEmpty || !resources.isEmpty || !resourceNames.isEmpty {
                errors.append(.invalid(path.child("nonResourceURLs"), .strings(nonResourceURLs),
                                       "rules cannot apply to both regular resources and non-resource URLs"))
            }
            return errors
        }
        if apiGroups.isEmpty {
            errors.append(.required(path.child("apiGroups"), "resource rules must supply at least one api group"))
        }
        if resources.isEmpty {
            errors.append(.required(path.child("resources"), "resource rules must supply at least one resource"))
        }
        return errors
    }
}
