public import KubeCore

extension ServiceAccount {
    /// Upstream `ValidateServiceAccount` / `ValidateServiceAccountUpdate`: metadata only.
    public func validate(old: ServiceAccount?) -> FieldErrorList {
        ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
    }
}
