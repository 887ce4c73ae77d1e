import Foundation
public import KubeCore

extension LimitRange {
    /// Upstream `ValidateLimitRange` (create and update): one item per type, standard or qualified type
    /// and resource names, no defaults for Pod limits, a storage bound for claim limits, and consistent
    /// min ≤ default request ≤ default ≤ max and ratios ≥ 1.
    public func validate(old: LimitRange?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        let limitsPath = FieldPath("spec", "limits")
        var types = Set<String>()
        for (index, item) in spec.limits.enumerated() {
            let itemPath = limitsPath.index(index)
            errors.append(contentsOf: LimitRangeValidation.typeName(item.type, at: itemPath.child("type")))
            if !types.insert(item.type).inserted {
                errors.append(.duplicate(itemPath.child("type"), .string(item.type)))
            }
            var sections: [(String, [String: Quantity])] = [("max", item.max), ("min", item.min)]
            if item.type == "Pod" {
                if !item.default.isEmpty {
                    errors.append(.forbidden(itemPath.child("default"), "may not be specified when `type` is 'Pod'"))
                }
                if !item.defaultRequest.isEmpty {
                    errors.append(.forbidden(itemPath.child("defaultRequest"), "may not be specified when `type` is 'Pod'"))
                }
            } else {
                sections += [("default", item.default), ("defaultRequest", item.defaultRequest)]
            }
            sections.append(("maxLimitRequestRatio", item.maxLimitRequestRatio))
            for (section, values) in sections {
                for name in values.keys.sorted() {
                    errors.append(contentsOf: LimitRangeValidation.resourceName(name, type: item.type, at: itemPath.child(section).key(name)))
                }
            }
            if item.type == "PersistentVolumeClaim" && item.min["storage"] == nil && item.max["storage"] == nil {
                errors.append(
                    .required(itemPath.child("limits"), "either minimum or maximum storage value is required, but neither was provided"))
            }
            let keys = Set(item.max.keys).union(item.min.keys).union(item.maxLimitRequestRatio.keys)
                .union(item.type == "Pod" ? [] : Set(item.default.keys).union(item.defaultRequest.keys))
            for key in keys.sorted() {
                errors.append(contentsOf: LimitRangeValidation.consistency(item, key: key, at: itemPath))
            }
        }
        return errors
    }
}

/// Stateless namespace for LimitRange checks.
enum LimitRangeValidation {
    static let standardTypes: Set<String> = ["Pod", "Container", "PersistentVolumeClaim"]
    static let standardContainerResources: Set<String> = ["cpu", "memory", "ephemeral-storage"]
    static let standardResources: Set<String> = [
        "cpu", "memory", "ephemeral-storage", "storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
        "requests.storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers",
        "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
    ]

    static func typeName(_ value: String, at path: FieldPath) -> FieldErrorList {
        let errors = ValidationRules.qualifiedName(value, at: path)
        if !errors.isEmpty { return errors }
        if !value.contains("/") && !standardTypes.contains(value) {
            return [.invalid(path, .string(value), "must be a standard limit type or fully qualified")]
        }
        return []
    }

    /// Upstream `validateLimitRangeResourceName`: container resource rules for Pod and Container items.
    static func resourceName(_ value: String, type: String, at path: FieldPath) -> FieldErrorList {
        var errors = ValidationRules.qualifiedName(value, at: path)
        if !errors.isEmpty { return errors }
        let isHugePages = value.hasPrefix("hugepages-")
        if type == "Pod" || type == "Container" {
            if !value.contains("/") && !standardContainerResources.contains(value) && !isHugePages {
                errors.append(.invalid(path, .string(value), "must be a standard resource for containers"))
            }
        } else if !value.contains("/") && !standardResources.contains(value) && !isHugePages {
            errors.append(.invalid(path, .string(value), "must be a standard resource type or fully qualified"))
        }
        return errors
    }

    static func consistency(_ item: LimitRangeItem, key: String, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        let min = item.min[key]
        let max = item.max[key]
        let defaultLimit = item.type == "Pod" ? nil : item.default[key]
        let defaultRequest = item.type == "Pod" ? nil : item.defaultRequest[key]
        func value(_ quantity: Quantity) -> FieldErrorValue { .raw(quantity.description) }
        if let min, let max, min > max {
            errors.append(.invalid(path.child("min").key(key), value(min), "min value \(min) is greater than max value \(max)"))
        }
        if let defaultRequest, let min, min > defaultRequest {
            errors.append(
                .invalid(path.child("defaultRequest").key(key), value(defaultRequest), "min value \(min) is greater than default request value \(defaultRequest)"))
        }
        if let defaultRequest, let max, defaultRequest > max {
            errors.append(
                .invalid(path.child("defaultRequest").key(key), value(defaultRequest), "default request value \(defaultRequest) is greater than max value \(max)"))
        }
        if let defaultRequest, let defaultLimit, defaultRequest > defaultLimit {
            errors.append(
                .invalid(path.child("defaultRequest").key(key), value(defaultRequest),
                    "default request value \(defaultRequest) is greater than default limit value \(defaultLimit)"))
        }
        if let defaultLimit, let min, min > defaultLimit {
            errors.append(.invalid(path.child("default").key(key), value(min), "min value \(min) is greater than default value \(defaultLimit)"))
        }
        if let defaultLimit, let max, defaultLimit > max {
            errors.append(.invalid(path.child("default").key(key), value(max), "default value \(defaultLimit) is greater than max value \(max)"))
        }
        if let ratio = item.maxLimitRequestRatio[key] {
            if ratio < Quantity(1) {
                errors.append(.invalid(path.child("maxLimitRequestRatio").key(key), value(ratio), "ratio \(ratio) is less than 1"))
            }
            if let min, let max, min.sign > 0 {
                let limit = Double(max.milliValue) / Double(min.milliValue)
                if Double(ratio.milliValue) / 1000 > limit {
                    errors.append(
                        .invalid(path.child("maxLimitRequestRatio").key(key), value(ratio),
                            "ratio \(ratio) is greater than max/min = \(String(format: "%f", limit))"))
                }
            }
        }
        return errors
    }
}
