public import KubeCore

extension Namespace {
    /// Upstream `ValidateNamespace` (the name is a DNS label; spec finalizers are standard names or fully
    /// qualified) and `ValidateNamespaceUpdate`.
    public func validate(old: Namespace?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: false, name: .dns1123Label)
        for (index, finalizer) in spec.finalizers.enumerated() {
            errors.append(contentsOf: NamespaceValidation.finalizerName(finalizer, at: FieldPath("spec", "finalizers").index(index)))
        }
        return errors
    }
}

/// Stateless namespace for the finalizer rules.
enum NamespaceValidation {
    /// Finalizer names Kubernetes defines without a prefix.
    static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]

    /// Upstream `validateFinalizerName`: a qualified name that is standard or has a prefix.
    static func finalizerName(_ name: String, at path: FieldPath) -> FieldErrorList {
        var errors = ValidationRules.qualifiedName(name, at: path)
        if !name.contains("/") && !standardFinalizers.contains(name) {
            errors.append(.invalid(path, .string(name), "name is neither a standard finalizer name nor is it fully qualified"))
        }
        return errors
    }
}
