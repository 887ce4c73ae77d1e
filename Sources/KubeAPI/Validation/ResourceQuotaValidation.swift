public import KubeCore

extension ResourceQuota {
    /// Upstream `ValidateResourceQuota` and `ValidateResourceQuotaUpdate`: resource names and non-negative
    /// amounts in spec and status, supported and non-conflicting scopes; scopes cannot change.
    public func validate(old: ResourceQuota?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        errors.append(contentsOf: ResourceQuotaValidation.amounts(spec.hard, at: FieldPath("spec", "hard")))
        errors.append(contentsOf: ResourceQuotaValidation.scopes(spec, at: FieldPath("spec")))
        if let old {
            if Set(spec.scopes) != Set(old.spec.scopes) {
                errors.append(.invalid(FieldPath("spec", "scopes"), .strings(spec.scopes), ValidationRules.fieldImmutable))
            }
        } else {
            errors.append(contentsOf: ResourceQuotaValidation.amounts(status.hard, at: FieldPath("status", "hard")))
            errors.append(contentsOf: ResourceQuotaValidation.amounts(status.used, at: FieldPath("status", "used")))
        }
        return errors
    }
}

/// Stateless namespace for quota checks.
enum ResourceQuotaValidation {
    static let standardScopes: Set<String> = [
        "Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity",
        "VolumeAttributesClass",
    ]
    static let standardQuotaResources: Set<String> = LimitRangeValidation.standardResources.union([
        "count/pods", "requests.nvidia.com/gpu",
    ])

    /// Upstream `ValidateResourceQuotaResourceName` and `ValidateResourceQuantityValue`.
    static func amounts(_ amounts: [String: Quantity], at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        for name in amounts.keys.sorted() {
            let resourcePath = path.key(name)
            let nameErrors = ValidationRules.qualifiedName(name, at: resourcePath)
            errors.append(contentsOf: nameErrors)
            if nameErrors.isEmpty && !name.contains("/") && !standardQuotaResources.contains(name) && !name.hasPrefix("hugepages-")
                && !name.hasPrefix("requests.hugepages-")
            {
                errors.append(.invalid(resourcePath, .string(name), "must be a standard resource for quota"))
            }
            if let quantity = amounts[name], quantity.sign < 0 {
                errors.append(.invalid(resourcePath, .string(quantity.description), ValidationRules.isNegative))
            }
        }
        return errors
    }

    /// Upstream `validateResourceQuotaScopes` and `validateScopeSelector` (scope/resource compatibility not checked).
    static func scopes(_ spec: ResourceQuotaSpec, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        let scopesPath = path.child("scopes")
        for scope in spec.scopes where !standardScopes.contains(scope) {
            errors.append(.invalid(scopesPath, .strings(spec.scopes), "unsupported scope"))
        }
        let set = Set(spec.scopes)
        for pair in [["BestEffort", "NotBestEffort"], ["Terminating", "NotTerminating"]] where set.isSuperset(of: pair) {
            errors.append(.invalid(scopesPath, .strings(spec.scopes), "conflicting scopes"))
        }
        guard let selector = spec.scopeSelector else { return errors }
        let expressionsPath = path.child("scopeSelector", "matchExpressions")
        var selected = Set<String>()
        for requirement in selector.matchExpressions {
            if !standardScopes.contains(requirement.scopeName) {
                errors.append(.invalid(expressionsPath.child("scopeName"), .string(requirement.scopeName), "unsupported scope"))
            }
            if ["BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "CrossNamespacePodAffinity"].contains(requirement.scopeName)
                && requirement.operator != "Exists"
            {
                errors.append(
                    .invalid(expressionsPath.child("operator"), .string(requirement.operator),
                        "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"))
            }
            switch requirement.operator {
            case "In", "NotIn":
                if requirement.values.isEmpty {
                    errors.append(
                        .required(expressionsPath.child("values"), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"))
                }
            case "Exists", "DoesNotExist":
                if !requirement.values.isEmpty {
                    errors.append(
                        .invalid(expressionsPath.child("values"), .strings(requirement.values),
                            "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"))
                }
            default:
                errors.append(.invalid(expressionsPath.child("operator"), .string(requirement.operator), "not a valid selector operator"))
            }
            selected.insert(requirement.scopeName)
        }
        for pair in [["BestEffort", "NotBestEffort"], ["Terminating", "NotTerminating"]] where selected.isSuperset(of: pair) {
            errors.append(.invalid(expressionsPath, .strings(spec.scopes), "conflicting scopes"))
        }
        return errors
    }
}
