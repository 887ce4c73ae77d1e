public import KubeCore

extension ConfigMap {
    /// Upstream `ValidateConfigMap` and `ValidateConfigMapUpdate`: keys are config keys (and not in both
    /// `data` and `binaryData`), values total at most 1 MiB, and an immutable ConfigMap's data cannot change.
    public func validate(old: ConfigMap?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        if let old, old.immutable == true {
            if immutable != true {
                errors.append(.forbidden(FieldPath("immutable"), "field is immutable when `immutable` is set"))
            }
            if data != old.data {
                errors.append(.forbidden(FieldPath("data"), "field is immutable when `immutable` is set"))
            }
            if binaryData != old.binaryData {
                errors.append(.forbidden(FieldPath("binaryData"), "field is immutable when `immutable` is set"))
            }
        }
        var totalSize = 0
        for key in data.keys.sorted() {
            let path = FieldPath("data").key(key)
            for message in ValidationRules.configMapKeyErrors(key) {
                errors.append(.invalid(path, .string(key), message))
            }
            if binaryData[key] != nil {
                errors.append(.invalid(path, .string(key), "duplicate of key present in binaryData"))
            }
            totalSize += data[key]?.utf8.count ?? 0
        }
        for key in binaryData.keys.sorted() {
            for message in ValidationRules.configMapKeyErrors(key) {
                errors.append(.invalid(FieldPath("binaryData").key(key), .string(key), message))
            }
            totalSize += binaryData[key]?.count ?? 0
        }
        if totalSize > Secret.maxSize {
            // The empty path means "the whole object" (rendered `[]`, as upstream does).
            errors.append(FieldError(type: .tooLong, field: FieldPath("").description, badValue: .omitted, detail: "must have at most \(Secret.maxSize) bytes"))
        }
        return errors
    }
}
