public import KubeCore

extension StorageClass {
    /// Upstream `ValidateStorageClass` / `ValidateStorageClassUpdate`: a qualified provisioner name, at
    /// most 512 parameters of 256 KiB in total, supported reclaim policy and binding mode, unique
    /// topology terms; parameters, provisioner, reclaim policy and binding mode cannot change.
    public func validate(old: StorageClass?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: false, name: .dns1123Subdomain)
        let provisionerPath = FieldPath("provisioner")
        if provisioner.isEmpty {
            errors.append(.required(provisionerPath))
        } else {
            errors.append(contentsOf: ValidationRules.qualifiedName(provisioner.lowercased(), at: provisionerPath))
        }
        let parametersPath = FieldPath("parameters")
        if parameters.count > 512 {
            errors.append(.tooLong(parametersPath, .omitted, maxLength: 512))
        } else {
            var size = 0
            for (key, value) in parameters {
                if key.isEmpty { errors.append(.invalid(parametersPath, .string(key), "field can not be empty.")) }
                size += key.utf8.count + value.utf8.count
            }
            if size > 256 * 1024 {
                errors.append(.tooLong(parametersPath, .omitted, maxLength: 256 * 1024))
            }
        }
        if let reclaimPolicy, !reclaimPolicy.isEmpty, reclaimPolicy != "Delete" && reclaimPolicy != "Retain" {
            errors.append(.notSupported(FieldPath("reclaimPolicy"), .string(reclaimPolicy), supported: ["Delete", "Retain"]))
        }
        let bindingModes = ["Immediate", "WaitForFirstConsumer"]
        if let volumeBindingMode {
            if !bindingModes.contains(volumeBindingMode) {
                errors.append(.notSupported(FieldPath("volumeBindingMode"), .string(volumeBindingMode), supported: bindingModes))
            }
        } else {
            errors.append(.required(FieldPath("volumeBindingMode")))
        }
        errors.append(contentsOf: StorageClassValidation.allowedTopologies(allowedTopologies, at: FieldPath("allowedTopologies")))
        if let old {
            if parameters != old.parameters {
                errors.append(.forbidden(parametersPath, "updates to parameters are forbidden."))
            }
            if provisioner != old.provisioner {
                errors.append(.forbidden(provisionerPath, "updates to provisioner are forbidden."))
            }
            if reclaimPolicy != old.reclaimPolicy {
                errors.append(.forbidden(FieldPath("reclaimPolicy"), "updates to reclaimPolicy are forbidden."))
            }
            if volumeBindingMode != old.volumeBindingMode {
                errors.append(
                    .invalid(FieldPath("volumeBindingMode"), volumeBindingMode.map { .string($0) } ?? .null, ValidationRules.fieldImmutable))
            }
        }
        return errors
    }
}

/// Stateless namespace for StorageClass helpers.
enum StorageClassValidation {
    /// Upstream `validateAllowedTopologies` with `ValidateTopologySelectorTerm`.
    static func allowedTopologies(_ terms: [TopologySelectorTerm], at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        var seenTerms: [[String: Set<String>]] = []
        for (index, term) in terms.enumerated() {
            let termPath = path.index(index)
            var expressions: [String: Set<String>] = [:]
            for (requirementIndex, requirement) in term.matchLabelExpressions.enumerated() {
                let requirementPath = termPath.child("matchLabelExpressions").index(requirementIndex)
                if requirement.values.isEmpty {
                    errors.append(.required(requirementPath.child("values"), "must specify as least one value"))
                }
                var values = Set<String>()
                for (valueIndex, value) in requirement.values.enumerated() where !values.insert(value).inserted {
                    errors.append(.duplicate(requirementPath.child("values").index(valueIndex), .string(value)))
                }
                errors.append(contentsOf: ValidationRules.qualifiedName(requirement.key, at: requirementPath.child("key")))
                if expressions[requirement.key] != nil {
                    errors.append(.duplicate(requirementPath.child("key"), .string(requirement.key)))
                }
                expressions[requirement.key] = values
            }
            if seenTerms.contains(expressions) {
                errors.append(.duplicate(termPath.child("matchLabelExpressions"), ""))
            }
            seenTerms.append(expressions)
        }
        return errors
    }
}
