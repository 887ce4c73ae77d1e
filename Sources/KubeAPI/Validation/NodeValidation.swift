public import KubeCore

extension Node {
    /// Upstream `ValidateNode` and `ValidateNodeUpdate`: taints unique by key and effect with valid keys,
    /// values and effects (reported under `metadata.taints`, as upstream does), pod CIDRs valid and at
    /// most one per family; pod CIDRs and provider ID cannot change once set.
    public func validate(old: Node?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: false, name: .dns1123Subdomain)
        errors.append(contentsOf: NodeValidation.taints(spec.taints, at: FieldPath("metadata", "taints")))
        let cidrsPath = FieldPath("spec", "podCIDRs")
        for (index, cidr) in spec.podCIDRs.enumerated() {
            errors.append(contentsOf: ValidationRules.cidrErrors(cidr, at: cidrsPath.index(index)))
        }
        if spec.podCIDRs.count > 1 {
            let families = spec.podCIDRs.compactMap { IPAddress.cidr($0)?.address.isIPv4 }
            if spec.podCIDRs.count > 2 || (families.count == 2 && families[0] == families[1]) {
                errors.append(.invalid(cidrsPath, .strings(spec.podCIDRs), "may specify no more than one CIDR for each IP family"))
            }
        }
        if let old {
            let message = "node updates may not change podCIDR except from \"\" to valid"
            if !old.spec.podCIDRs.isEmpty {
                if old.spec.podCIDRs.count != spec.podCIDRs.count {
                    errors.append(.forbidden(cidrsPath, message))
                } else {
                    for (index, cidr) in old.spec.podCIDRs.enumerated() where cidr != spec.podCIDRs[index] {
                        errors.append(.forbidden(cidrsPath, message))
                    }
                }
            }
            if !old.spec.providerID.isEmpty && old.spec.providerID != spec.providerID {
                errors.append(
                    .forbidden(FieldPath("spec", "providerID"), "node updates may not change providerID except from \"\" to valid"))
            }
            if spec.externalID != old.spec.externalID {
                errors.append(.forbidden(FieldPath("spec", "externalID"), "may not be updated"))
            }
        }
        return errors
    }
}

/// Stateless namespace for node checks.
enum NodeValidation {
    static let effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    /// Upstream `validateNodeTaints`.
    static func taints(_ taints: [Taint], at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        var seen = Set<String>()
        for (index, taint) in taints.enumerated() {
            let taintPath = path.index(index)
            errors.append(contentsOf: ValidationRules.qualifiedName(taint.key, at: taintPath.child("key")))
            let valueErrors = NameValidation.labelValueErrors(taint.value)
            if !valueErrors.isEmpty {
                errors.append(.invalid(taintPath.child("value"), .string(taint.value), valueErrors.joined(separator: ";")))
            }
            if taint.effect.isEmpty {
                errors.append(.required(taintPath.child("effect")))
            } else if !effects.contains(taint.effect) {
                errors.append(.notSupported(taintPath.child("effect"), .string(taint.effect), supported: effects))
            }
            if !seen.insert(taint.effect + "\u{0}" + taint.key).inserted {
                let value: FieldErrorValue = taint.timeAdded == nil
                    ? .raw(
                        "core.Taint{Key:\(ValidationRules.goQuote(taint.key)), Value:\(ValidationRules.goQuote(taint.value)), Effect:\(ValidationRules.goQuote(taint.effect)), TimeAdded:(*v1.Time)(nil)}"
                    ) : .omitted
                errors.append(
                    FieldError(
                        type: .duplicate, field: taintPath.description, badValue: value,
                        detail: "taints must be unique by key and effect pair"))
            }
        }
        return errors
    }
}
