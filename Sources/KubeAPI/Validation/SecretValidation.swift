import Foundation
public import KubeCore

extension Secret {
    /// Upstream `ValidateSecret` and `ValidateSecretUpdate`: data keys are config keys, the values total
    /// at most 1 MiB, typed secrets carry their required keys; the type cannot change and an immutable
    /// secret's data cannot change.
    public func validate(old: Secret?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        if let old {
            if type != old.type {
                errors.append(.invalid(FieldPath("type"), .string(type), ValidationRules.fieldImmutable))
            }
            if old.immutable == true {
                if immutable != true {
                    errors.append(.forbidden(FieldPath("immutable"), "field is immutable when `immutable` is set"))
                }
                if data != old.data {
                    errors.append(.forbidden(FieldPath("data"), "field is immutable when `immutable` is set"))
                }
            }
        }
        let dataPath = FieldPath("data")
        var totalSize = 0
        for key in data.keys.sorted() {
            for message in ValidationRules.configMapKeyErrors(key) {
                errors.append(.invalid(dataPath.key(key), .string(key), message))
            }
            totalSize += data[key]?.count ?? 0
        }
        if totalSize > Secret.maxSize {
            errors.append(FieldError(type: .tooLong, field: dataPath.description, badValue: "", detail: "must have at most \(Secret.maxSize) bytes"))
        }
        errors.append(contentsOf: validateTypedData(at: dataPath))
        return errors
    }

    /// Upstream `MaxSecretSize`: 1 MiB, also the limit for ConfigMaps.
    static let maxSize = 1024 * 1024

    private func validateTypedData(at dataPath: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        switch type {
        case "kubernetes.io/service-account-token":
            if (metadata.annotations["kubernetes.io/service-account.name"] ?? "").isEmpty {
                errors.append(.required(FieldPath("metadata", "annotations").key("kubernetes.io/service-account.name")))
            }
        case "kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson":
            let key = type == "kubernetes.io/dockercfg" ? ".dockercfg" : ".dockerconfigjson"
            guard let bytes = data[key] else {
                errors.append(.required(dataPath.key(key)))
                break
            }
            let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            if !(object is [String: Any]) {
                errors.append(.invalid(dataPath.key(key), "<secret contents redacted>", "must be a JSON object"))
            }
        case "kubernetes.io/basic-auth":
            if data["username"] == nil && data["password"] == nil {
                errors.append(.required(dataPath.key("username")))
                errors.append(.required(dataPath.key("password")))
            }
        case "kubernetes.io/ssh-auth":
            if (data["ssh-privatekey"] ?? []).isEmpty {
                errors.append(.required(dataPath.key("ssh-privatekey")))
            }
        case "kubernetes.io/tls":
            if data["tls.crt"] == nil {
                errors.append(.required(dataPath.key("tls.crt")))
            }
            if data["tls.key"] == nil {
                errors.append(.required(dataPath.key("tls.key")))
            }
        default:
            break
        }
        return errors
    }
}
