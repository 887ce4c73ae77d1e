public import KubeCore

extension PersistentVolumeClaim {
    /// Upstream `ValidatePersistentVolumeClaim` and `ValidatePersistentVolumeClaimUpdate`: access modes,
    /// a positive storage request, valid class and volume mode; after creation only the storage request
    /// (not below the provisioned capacity), the attributes class, a first `volumeName` and a first
    /// `storageClassName` may change.
    public func validate(old: PersistentVolumeClaim?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        errors.append(contentsOf: spec.validate(at: FieldPath("spec")))
        if let old {
            var unchanged = spec
            unchanged.volumeAttributesClassName = old.spec.volumeAttributesClassName
            if old.spec.volumeName.isEmpty { unchanged.volumeName = old.spec.volumeName }
            if old.spec.storageClassName == nil { unchanged.storageClassName = nil }
            unchanged.resources.requests["storage"] = old.spec.resources.requests["storage"]
            if unchanged != old.spec {
                errors.append(
                    .forbidden(FieldPath("spec"),
                        "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"))
            }
            if let newSize = spec.resources.requests["storage"], let oldSize = old.spec.resources.requests["storage"],
                newSize < oldSize
            {
                if let capacity = old.status.capacity["storage"], newSize < capacity {
                    errors.append(
                        .forbidden(FieldPath("spec", "resources", "requests", "storage"), "field can not be less than status.capacity"))
                } else if old.status.capacity["storage"] == nil {
                    errors.append(
                        .forbidden(FieldPath("spec", "resources", "requests", "storage"), "field can not be less than previous value"))
                }
            }
            if spec.volumeMode != old.spec.volumeMode {
                errors.append(.invalid(FieldPath("volumeMode"), spec.volumeMode.map { .string($0) } ?? .null, ValidationRules.fieldImmutable))
            }
        }
        return errors
    }
}

extension PersistentVolumeClaimSpec {
    /// Upstream `ValidatePersistentVolumeClaimSpec` (data sources are not checked).
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = PersistentVolumeValidation.accessModes(
            accessModes, at: path.child("accessModes"), requiredDetail: "at least 1 access mode is required")
        if let selector {
            errors.append(contentsOf: selector.validate(at: path.child("selector")))
        }
        // Upstream reports the storage request as `spec.resources[storage]`.
        let storagePath = path.child("resources").key("storage")
        if let storage = resources.requests["storage"] {
            if storage.sign <= 0 {
                errors.append(.invalid(storagePath, .string(storage.description), "must be greater than zero"))
            }
        } else {
            errors.append(.required(storagePath))
        }
        if let storageClassName, !storageClassName.isEmpty {
            for message in NameValidation.dns1123SubdomainErrors(storageClassName) {
                errors.append(.invalid(path.child("storageClassName"), .string(storageClassName), message))
            }
        }
        if let volumeMode, volumeMode != "Block" && volumeMode != "Filesystem" {
            errors.append(.notSupported(path.child("volumeMode"), .string(volumeMode), supported: ["Block", "Filesystem"]))
        }
        return errors
    }
}
