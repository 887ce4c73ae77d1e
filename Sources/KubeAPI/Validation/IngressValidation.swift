public import KubeCore

extension Ingress {
    /// Upstream `ValidateIngressCreate` / `ValidateIngressUpdate`: a default backend or rules, valid hosts
    /// (DNS names or `*.` wildcards, not IPs), absolute paths for Exact and Prefix, backends that name
    /// either a service port or a resource, valid TLS hosts and secret names.
    public func validate(old: Ingress?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        errors.append(contentsOf: spec.validate(at: FieldPath("spec")))
        return errors
    }
}

extension IngressSpec {
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if rules.isEmpty && defaultBackend == nil {
            errors.append(.invalid(path, .raw("[]networking.IngressRule(nil)"), "either `defaultBackend` or `rules` must be specified"))
        }
        if let defaultBackend {
            errors.append(contentsOf: defaultBackend.validate(at: path.child("defaultBackend")))
        }
        for (index, rule) in rules.enumerated() {
            let rulePath = path.child("rules").index(index)
            if !rule.host.isEmpty {
                if IPAddress(rule.host) != nil {
                    errors.append(.invalid(rulePath.child("host"), .string(rule.host), "must be a DNS name, not an IP address"))
                }
                let messages = rule.host.contains("*")
                    ? ValidationRules.wildcardDNS1123SubdomainErrors(rule.host) : NameValidation.dns1123SubdomainErrors(rule.host)
                for message in messages {
                    errors.append(.invalid(rulePath.child("host"), .string(rule.host), message))
                }
            }
            if let http = rule.http {
                let httpPath = rulePath.child("http")
                if http.paths.isEmpty {
                    errors.append(.required(httpPath.child("paths")))
                }
                for (pathIndex, ingressPath) in http.paths.enumerated() {
                    errors.append(contentsOf: ingressPath.validate(at: httpPath.child("paths").index(pathIndex)))
                }
            }
        }
        for (index, tls) in tls.enumerated() {
            let tlsPath = path.child("tls").index(index)
            for (hostIndex, host) in tls.hosts.enumerated() {
                let messages = host.contains("*")
                    ? ValidationRules.wildcardDNS1123SubdomainErrors(host) : NameValidation.dns1123SubdomainErrors(host)
                for message in messages {
                    errors.append(.invalid(tlsPath.child("hosts").index(hostIndex), .string(host), message))
                }
            }
            if !tls.secretName.isEmpty {
                for message in NameValidation.dns1123SubdomainErrors(tls.secretName) {
                    errors.append(.invalid(tlsPath.child("secretName"), .string(tls.secretName), message))
                }
            }
        }
        if let ingressClassName, !ingressClassName.isEmpty {
            for message in NameValidation.dns1123SubdomainErrors(ingressClassName) {
                errors.append(.invalid(path.child("ingressClassName"), .string(ingressClassName), message))
            }
        }
        return errors
    }
}

extension HTTPIngressPath {
    static let pathTypes = ["Exact", "ImplementationSpecific", "Prefix"]

    /// Upstream `validateHTTPIngressPath`.
    func validate(at path: FieldPath) -> FieldErrorList {
        guard let pathType else { return [.required(path.child("pathType"), "pathType must be specified")] }
        var errors = FieldErrorList()
        let valuePath = path.child("path")
        switch pathType {
        case "Exact", "Prefix":
            if !self.path.hasPrefix("/") {
                errors.append(.invalid(valuePath, .string(self.path), "must be an absolute path"))
            }
            if !self.path.isEmpty {
                for sequence in ["//", "/./", "/../", "%2f", "%2F"] where self.path.contains(sequence) {
                    errors.append(.invalid(valuePath, .string(self.path), "must not contain '\(sequence)'"))
                }
                for suffix in ["/..", "/."] where self.path.hasSuffix(suffix) {
                    errors.append(.invalid(valuePath, .string(self.path), "cannot end with '\(suffix)'"))
                }
            }
        case "ImplementationSpecific":
            if !self.path.isEmpty && !self.path.hasPrefix("/") {
                errors.append(.invalid(valuePath, .string(self.path), "must be an absolute path"))
            }
        default:
            errors.append(.notSupported(path.child("pathType"), .string(pathType), supported: Self.pathTypes))
        }
        errors.append(contentsOf: backend.validate(at: path.child("backend")))
        return errors
    }
}

extension IngressBackend {
    /// Upstream `validateIngressBackend`.
    func validate(at path: FieldPath) -> FieldErrorList {
        switch (service, resource) {
        case (.some, .some):
            return [.invalid(path, "", "cannot set both resource and service backends")]
        case (nil, .some(let resource)):
            return IngressValidation.typedLocalObjectReference(resource, at: path.child("resource"))
        case (.some(let service), nil):
            var errors = FieldErrorList()
            let namePath = path.child("service", "name")
            if service.name.isEmpty {
                errors.append(.required(namePath))
            } else {
                for message in ValidationRules.dns1035LabelErrors(service.name) {
                    errors.append(.invalid(namePath, .string(service.name), message))
                }
            }
            let hasName = !service.port.name.isEmpty
            let hasNumber = service.port.number != 0
            if hasName && hasNumber {
                errors.append(.invalid(path, "", "cannot set both port name & port number"))
            } else if hasName {
                for message in ValidationRules.portNameErrors(service.port.name) {
                    errors.append(.invalid(path.child("service", "port", "name"), .string(service.port.name), message))
                }
            } else if hasNumber {
                for message in ValidationRules.portNumberErrors(Int64(service.port.number)) {
                    errors.append(.invalid(path.child("service", "port", "number"), .integer(Int64(service.port.number)), message))
                }
            } else {
                errors.append(.required(path, "port name or number is required"))
            }
            return errors
        case (nil, nil):
            return [.invalid(path, "", "resource or service backend is required")]
        }
    }
}

extension IngressClass {
    /// Upstream `ValidateIngressClass` / `ValidateIngressClassUpdate`: a domain-prefixed controller of at
    /// most 250 characters that cannot change, and a valid parameters reference.
    public func validate(old: IngressClass?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: false, name: .dns1123Subdomain)
        let controllerPath = FieldPath("spec", "controller")
        if spec.controller.utf8.count > 250 {
            errors.append(.tooLong(controllerPath, .string(spec.controller), maxLength: 250))
        }
        errors.append(contentsOf: ValidationRules.domainPrefixedPath(spec.controller, at: controllerPath))
        if let parameters = spec.parameters {
            errors.append(contentsOf: parameters.validate(at: FieldPath("spec", "parameters")))
        }
        if let old, spec.controller != old.spec.controller {
            errors.append(.invalid(controllerPath, .string(spec.controller), ValidationRules.fieldImmutable))
        }
        return errors
    }
}

extension IngressClassParametersReference {
    /// Upstream `validateIngressClassParametersReference`.
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = IngressValidation.typedLocalObjectReference(
            TypedLocalObjectReference(apiGroup: apiGroup, kind: kind, name: name), at: path)
        let scopes = ["Cluster", "Namespace"]
        guard let scope else {
            errors.append(.required(path.child("scope")))
            return errors
        }
        if !scopes.contains(scope) {
            errors.append(.notSupported(path.child("scope"), .string(scope), supported: scopes))
        }
        if scope == "Namespace" {
            if let namespace {
                errors.append(contentsOf: ValidationRules.dns1123Label(namespace, at: path.child("namespace")))
            } else {
                errors.append(.required(path.child("namespace"), "`parameters.scope` is set to 'Namespace'"))
            }
        }
        if scope == "Cluster" && namespace != nil {
            errors.append(.forbidden(path.child("namespace"), "`parameters.scope` is set to 'Cluster'"))
        }
        return errors
    }
}

/// Stateless namespace for Ingress helpers.
enum IngressValidation {
    /// Upstream `validateIngressTypedLocalObjectReference`.
    static func typedLocalObjectReference(_ reference: TypedLocalObjectReference, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if let apiGroup = reference.apiGroup {
            errors.append(contentsOf: ValidationRules.dns1123Subdomain(apiGroup, at: path.child("apiGroup")))
        }
        for (field, value) in [("kind", reference.kind), ("name", reference.name)] {
            if value.isEmpty {
                errors.append(.required(path.child(field), "\(field) is required"))
            } else {
                for message in pathSegmentNameErrors(value) {
                    errors.append(.invalid(path.child(field), .string(value), message))
                }
            }
        }
        return errors
    }

    /// Upstream `IsValidPathSegmentName`.
    static func pathSegmentNameErrors(_ name: String) -> [String] {
        if name == "." || name == ".." { return ["may not be '\(name)'"] }
        var errors: [String] = []
        for forbidden in ["/", "%"] where name.contains(forbidden) {
            errors.append("may not contain '\(forbidden)'")
        }
        return errors
    }
}
