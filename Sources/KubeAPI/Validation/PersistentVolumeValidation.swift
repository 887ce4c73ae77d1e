public import KubeCore

extension PersistentVolume {
    /// Upstream `ValidatePersistentVolume` and `ValidatePersistentVolumeUpdate` for the volume sources
    /// Swiftlet models (hostPath, nfs, local, csi): access modes, a storage capacity, exactly one source,
    /// node affinity for local volumes, a supported reclaim policy; the source and volume mode cannot change.
    public func validate(old: PersistentVolume?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: false, name: .dns1123Subdomain)
        errors.append(contentsOf: spec.validate(at: FieldPath("spec")))
        if let old {
            if spec.hostPath != old.spec.hostPath || spec.nfs != old.spec.nfs || spec.local != old.spec.local
                || spec.csi != old.spec.csi
            {
                errors.append(
                    .forbidden(FieldPath("spec", "persistentvolumesource"), "spec.persistentvolumesource is immutable after creation"))
            }
            if spec.volumeMode != old.spec.volumeMode {
                errors.append(.invalid(FieldPath("volumeMode"), spec.volumeMode.map { .string($0) } ?? .null, ValidationRules.fieldImmutable))
            }
        }
        return errors
    }
}

extension PersistentVolumeSpec {
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = PersistentVolumeValidation.accessModes(accessModes, at: path.child("accessModes"), requiredDetail: "")
        if capacity.isEmpty {
            errors.append(.required(path.child("capacity")))
        }
        if capacity["storage"] == nil || capacity.count > 1 {
            let value: FieldErrorValue = capacity.isEmpty ? .raw("core.ResourceList(nil)") : .omitted
            errors.append(.notSupported(path.child("capacity"), value, supported: ["storage"]))
        }
        for name in capacity.keys.sorted() {
            if let quantity = capacity[name], quantity.sign <= 0 {
                errors.append(.invalid(path.child("capacity").key(name), .string(quantity.description), "must be greater than zero"))
            }
        }
        if !storageClassName.isEmpty {
            for message in NameValidation.dns1123SubdomainErrors(storageClassName) {
                errors.append(.invalid(path.child("storageClassName"), .string(storageClassName), message))
            }
        }
        if let volumeMode, volumeMode != "Block" && volumeMode != "Filesystem" {
            errors.append(.notSupported(path.child("volumeMode"), .string(volumeMode), supported: ["Block", "Filesystem"]))
        }
        if let nodeAffinity, nodeAffinity.required == nil {
            errors.append(.required(path.child("nodeAffinity", "required"), "must specify required node constraints"))
        }
        var sources = 0
        func another(_ name: String) -> Bool {
            if sources > 0 {
                errors.append(.forbidden(path.child(name), "may not specify more than 1 volume type"))
                return false
            }
            sources += 1
            return true
        }
        if let hostPath, another("hostPath") {
            errors.append(contentsOf: PersistentVolumeValidation.hostPath(hostPath, at: path.child("hostPath")))
        }
        if let nfs, another("nfs") {
            if nfs.server.isEmpty { errors.append(.required(path.child("nfs", "server"))) }
            if nfs.path.isEmpty {
                errors.append(.required(path.child("nfs", "path")))
            } else if !nfs.path.hasPrefix("/") {
                errors.append(.invalid(path.child("nfs", "path"), .string(nfs.path), "must be an absolute path"))
            }
        }
        if let local, another("local") {
            if local.path.isEmpty {
                errors.append(.required(path.child("local", "path")))
            } else {
                errors.append(contentsOf: PersistentVolumeValidation.noBacksteps(local.path, at: path.child("local", "path")))
            }
            if nodeAffinity == nil {
                errors.append(.required(path.child("nodeAffinity"), "Local volume requires node affinity"))
            }
        }
        if let csi, another("csi") {
            if csi.driver.isEmpty {
                errors.append(.required(path.child("csi", "driver")))
            } else {
                errors.append(contentsOf: ValidationRules.dns1123Subdomain(csi.driver.lowercased(), at: path.child("csi", "driver")))
            }
            if csi.volumeHandle.isEmpty {
                errors.append(.required(path.child("csi", "volumeHandle")))
            }
        }
        if sources == 0 {
            errors.append(.required(path, "must specify a volume type"))
        }
        if let hostPath, hostPath.path == "/", persistentVolumeReclaimPolicy == "Recycle" {
            errors.append(.forbidden(path.child("persistentVolumeReclaimPolicy"), "may not be 'recycle' for a hostPath mount of '/'"))
        }
        let policies = ["Delete", "Recycle", "Retain"]
        if persistentVolumeReclaimPolicy.isEmpty {
            errors.append(.required(path.child("persistentVolumeReclaimPolicy")))
        } else if !policies.contains(persistentVolumeReclaimPolicy) {
            errors.append(.notSupported(path.child("persistentVolumeReclaimPolicy"), .string(persistentVolumeReclaimPolicy), supported: policies))
        }
        return errors
    }
}

/// Stateless namespace for checks shared by PersistentVolumes and claims.
enum PersistentVolumeValidation {
    static let accessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
    static let hostPathTypes = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]

    /// Access modes: at least one, supported, and ReadWriteOncePod alone.
    static func accessModes(_ modes: [String], at path: FieldPath, requiredDetail: String) -> FieldErrorList {
        var errors = FieldErrorList()
        if modes.isEmpty {
            errors.append(.required(path, requiredDetail))
        }
        var readWriteOncePod = false
        var others = false
        for mode in modes {
            if mode == "ReadWriteOncePod" {
                readWriteOncePod = true
            } else if accessModes.contains(mode) {
                others = true
            } else {
                errors.append(.notSupported(path, .string(mode), supported: accessModes))
            }
        }
        if readWriteOncePod && others {
            errors.append(.forbidden(path, "may not use ReadWriteOncePod with other access modes"))
        }
        return errors
    }

    /// Upstream `validateHostPathVolumeSource`.
    static func hostPath(_ source: HostPathVolumeSource, at path: FieldPath) -> FieldErrorList {
        if source.path.isEmpty { return [.required(path.child("path"))] }
        var errors = noBacksteps(source.path, at: path.child("path"))
        if let type = source.type, !hostPathTypes.contains(type) {
            errors.append(.notSupported(path.child("type"), .string(type), supported: hostPathTypes))
        }
        return errors
    }

    /// Upstream `validatePathNoBacksteps`.
    static func noBacksteps(_ value: String, at path: FieldPath) -> FieldErrorList {
        value.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            ? [.invalid(path, .string(value), "must not contain '..'")] : []
    }
}
