public import KubeCore

// Upstream `ValidateRoleBinding`, `ValidateClusterRoleBinding`, their `...Update` forms and
// `ValidateRoleBindingSubject` (pkg/apis/rbac/validation). Messages are upstream's, word for word.

extension RoleBinding {
    /// A roleRef to a Role or ClusterRole of rbac.authorization.k8s.io (fixed after creation) and valid
    /// subjects.
    public func validate(old: RoleBinding?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .pathSegment)
        errors.append(contentsOf: roleRef.validate(kinds: ["Role", "ClusterRole"], old: old?.roleRef))
        for (index, subject) in subjects.enumerated() {
            errors.append(contentsOf: subject.validate(namespaced: true, at: FieldPath("subjects").index(index)))
        }
        return errors
    }
}

extension ClusterRoleBinding {
    /// A roleRef to a ClusterRole of rbac.authorization.k8s.io (fixed after creation) and valid subjects;
    /// service account subjects need a namespace.
    public func validate(old: ClusterRoleBinding?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: false, name: .pathSegment)
        errors.append(contentsOf: roleRef.validate(kinds: ["ClusterRole"], old: old?.roleRef))
        for (index, subject) in subjects.enumerated() {
            errors.append(contentsOf: subject.validate(namespaced: false, at: FieldPath("subjects").index(index)))
        }
        return errors
    }
}

extension RoleRef {
    /// The API group, kind and name checks, then `cannot change roleRef` on update.
    func validate(kinds: [String], old: RoleRef?) -> FieldErrorList {
        var errors = FieldErrorList()
        let path = FieldPath("roleRef")
        if apiGroup != Self.rbacGroup {
            errors.append(.notSupported(path.child("apiGroup"), .string(apiGroup), supported: [Self.rbacGroup]))
        }
        if !kinds.contains(kind) {
            errors.append(.notSupported(path.child("kind"), .string(kind), supported: kinds))
        }
        if name.isEmpty {
            errors.append(.required(path.child("name")))
        } else {
            for message in NameValidation.pathSegmentNameErrors(name) {
                errors.append(.invalid(path.child("name"), .string(name), message))
            }
        }
        if let old, old != self {
            errors.append(.invalid(path, goSyntax, "cannot change roleRef"))
        }
        return errors
    }

    /// Go `%#v` of the internal `rbac.RoleRef`, as upstream prints it after `Invalid value: `.
    var goSyntax: FieldErrorValue {
        let quote = ValidationRules.goQuote
        return .raw("rbac.RoleRef{APIGroup:\(quote(apiGroup)), Kind:\(quote(kind)), Name:\(quote(name))}")
    }
}

extension Subject {
    /// Upstream `ValidateRoleBindingSubject`: a name; ServiceAccount subjects with a DNS-subdomain name,
    /// the core API group and (in cluster role bindings) a namespace; User and Group subjects in
    /// rbac.authorization.k8s.io; no other kinds.
    func validate(namespaced: Bool, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if name.isEmpty {
            errors.append(.required(path.child("name")))
        }
        switch kind {
        case "ServiceAccount":
            if !name.isEmpty {
                for message in NameValidation.dns1123SubdomainErrors(name) {
                    errors.append(.invalid(path.child("name"), .string(name), message))
                }
            }
            if !apiGroup.isEmpty {
                errors.append(.notSupported(path.child("apiGroup"), .string(apiGroup), supported: [""]))
            }
            if !namespaced && namespace.isEmpty {
                errors.append(.required(path.child("namespace")))
            }
        case "User", "Group":
            if apiGroup != RoleRef.rbacGroup {
                errors.append(.notSupported(path.child("apiGroup"), .string(apiGroup), supported: [RoleRef.rbacGroup]))
            }
        default:
            errors.append(.notSupported(path.child("kind"), .string(kind), supported: ["ServiceAccount", "User", "Group"]))
        }
        return errors
    }
}
