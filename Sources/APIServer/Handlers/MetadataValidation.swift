import KubeCore

/// The metadata checks every kind gets (upstream `ValidateObjectMeta`): name format, label and annotation
/// syntax, immutable fields on update.
enum MetadataValidation {
    static func validate(_ object: JSONValue, resource: ServedResource, isCreate: Bool) -> FieldErrorList {
        var errors = FieldErrorList()
        let name = object.name
        let path = FieldPath("metadata")
        if name.isEmpty {
            errors.append(.required(path.child("name"), "name or generateName is required"))
        } else {
            for problem in nameProblems(name, resource: resource) {
                errors.append(.invalid(path.child("name"), .string(name), problem))
            }
        }
        for (key, value) in object.labels.sorted(by: { $0.key < $1.key }) {
            for problem in NameValidation.qualifiedNameErrors(key) {
                errors.append(.invalid(path.child("labels"), .string(key), problem))
            }
            for problem in NameValidation.labelValueErrors(value) {
                errors.append(.invalid(path.child("labels"), .string(value), problem))
            }
        }
        for key in object.metadataMap("annotations").keys.sorted() {
            for problem in NameValidation.qualifiedNameErrors(key.lowercased()) {
                errors.append(.invalid(path.child("annotations"), .string(key), problem))
            }
        }
        var annotationBytes = 0
        for (key, value) in object.metadataMap("annotations") { annotationBytes += key.utf8.count + value.utf8.count }
        if annotationBytes > 262_144 {
            errors.append(.tooLong(path.child("annotations"), .omitted, maxLength: 262_144))
        }
        return errors
    }

    /// The kind's name rule (upstream `ValidateNameFunc`): DNS labels for Namespaces and Services, path
    /// segments for the RBAC kinds, anything for CertificateSigningRequests, DNS subdomains otherwise.
    static func nameProblems(_ name: String, resource: ServedResource) -> [String] {
        switch (resource.group, resource.kind) {
        case (_, "Namespace"), (_, "Service"): NameValidation.dns1123LabelErrors(name)
        case ("rbac.authorization.k8s.io", _): NameValidation.pathSegmentNameErrors(name)
        case ("certificates.k8s.io", "CertificateSigningRequest"): []
        default: NameValidation.dns1123SubdomainErrors(name)
        }
    }
}
