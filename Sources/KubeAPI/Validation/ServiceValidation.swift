public import KubeCore

extension Service {
    /// Upstream `ValidateService` (names are DNS-1035 labels: they become DNS names and environment
    /// variable prefixes) and `ValidateServiceUpdate` (assigned cluster IPs cannot change, except when
    /// the type moves to or from ExternalName).
    public func validate(old: Service?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1035Label)
        errors.append(contentsOf: spec.validate(at: FieldPath("spec")))
        if let old {
            errors.append(contentsOf: spec.validateClusterIPsUpdate(from: old.spec))
        }
        return errors
    }
}

extension ServiceSpec {
    static let protocols = ["SCTP", "TCP", "UDP"]
    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]

    /// Upstream `isHeadlessService` (clusterIPs is `["None"]`; a lone `clusterIP: None` counts too).
    var isHeadless: Bool { clusterIPs == ["None"] || (clusterIPs.isEmpty && clusterIP == "None") }

    /// Upstream `ExternallyAccessible`: NodePort, LoadBalancer, or ClusterIP with external IPs.
    var isExternallyAccessible: Bool {
        type == "LoadBalancer" || type == "NodePort" || (type == "ClusterIP" && !externalIPs.isEmpty)
    }

    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        let portsPath = path.child("ports")
        if ports.isEmpty && !isHeadless && type != "ExternalName" {
            errors.append(.required(portsPath))
        }
        switch type {
        case "LoadBalancer", "NodePort":
            if isHeadless {
                errors.append(
                    .invalid(path.child("clusterIPs").index(0), .string(clusterIPs.first ?? clusterIP),
                        "may not be set to 'None' for \(type) services"))
            }
            if type == "LoadBalancer" {
                for (index, port) in ports.enumerated() where port.port == 10250 {
                    errors.append(
                        .invalid(portsPath.index(index), .integer(Int64(port.port)),
                            "may not expose port 10250 externally since it is used by kubelet"))
                }
            }
        case "ExternalName":
            if !clusterIPs.isEmpty {
                errors.append(.forbidden(path.child("clusterIPs"), "may not be set for ExternalName services"))
            }
            if !ipFamilies.isEmpty {
                errors.append(.forbidden(path.child("ipFamilies"), "may not be set for ExternalName services"))
            }
            if ipFamilyPolicy != nil {
                errors.append(.forbidden(path.child("ipFamilyPolicy"), "may not be set for ExternalName services"))
            }
            let name = externalName.hasSuffix(".") ? String(externalName.dropLast()) : externalName
            if name.isEmpty {
                errors.append(.required(path.child("externalName")))
            } else {
                errors.append(contentsOf: ValidationRules.dns1123Subdomain(name, at: path.child("externalName")))
            }
        default:
            break
        }
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            errors.append(contentsOf: port.validate(requireName: ports.count > 1, names: &names, at: portsPath.index(index)))
        }
        errors.append(contentsOf: ValidationRules.labels(selector, at: path.child("selector")))
        errors.append(contentsOf: validateSessionAffinity(at: path))
        errors.append(contentsOf: validateClusterIPs(at: path))
        for (index, ip) in externalIPs.enumerated() {
            errors.append(contentsOf: ValidationRules.ipErrors(ip, at: path.child("externalIPs").index(index)))
        }
        if type.isEmpty {
            errors.append(.required(path.child("type")))
        } else if !Self.types.contains(type) {
            errors.append(.notSupported(path.child("type"), .string(type), supported: Self.types))
        }
        if type == "ClusterIP" {
            for (index, port) in ports.enumerated() where port.nodePort != 0 {
                errors.append(.forbidden(portsPath.index(index).child("nodePort"), "may not be used when `type` is 'ClusterIP'"))
            }
        }
        var nodePorts = Set<String>()
        for (index, port) in ports.enumerated() where port.nodePort != 0 {
            if !nodePorts.insert(port.protocol + "/" + String(port.nodePort)).inserted {
                errors.append(.duplicate(portsPath.index(index).child("nodePort"), .integer(Int64(port.nodePort))))
            }
        }
        var servicePorts = Set<String>()
        for (index, port) in ports.enumerated() {
            if !servicePorts.insert(port.protocol + "/" + String(port.port)).inserted {
                let key =
                    "core.ServicePort{Name:\"\", Protocol:\(ValidationRules.goQuote(port.protocol)), AppProtocol:(*string)(nil), Port:\(port.port), TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"
                errors.append(.duplicate(portsPath.index(index), .raw(key)))
            }
        }
        errors.append(contentsOf: validateTrafficPolicies(at: path))
        if type == "LoadBalancer" {
            if let loadBalancerClass {
                errors.append(contentsOf: ValidationRules.qualifiedName(loadBalancerClass, at: path.child("loadBalancerClass")))
            }
        } else if loadBalancerClass != nil {
            errors.append(.forbidden(path.child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"))
        }
        return errors
    }

    private func validateSessionAffinity(at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        let affinities = ["ClientIP", "None"]
        if sessionAffinity.isEmpty {
            errors.append(.required(path.child("sessionAffinity")))
        } else if !affinities.contains(sessionAffinity) {
            errors.append(.notSupported(path.child("sessionAffinity"), .string(sessionAffinity), supported: affinities))
        }
        let configPath = path.child("sessionAffinityConfig")
        if sessionAffinity == "ClientIP" {
            let detail = "when session affinity type is ClientIP"
            if let config = sessionAffinityConfig {
                if let clientIP = config.clientIP {
                    if let timeout = clientIP.timeoutSeconds {
                        if timeout <= 0 || timeout > 86400 {
                            errors.append(
                                .invalid(configPath.child("clientIP", "timeoutSeconds"), .integer(Int64(timeout)),
                                    "must be greater than 0 and less than 86400"))
                        }
                    } else {
                        errors.append(.required(configPath.child("clientIP", "timeoutSeconds"), detail))
                    }
                } else {
                    errors.append(.required(configPath.child("clientIP"), detail))
                }
            } else {
                errors.append(.required(configPath, detail))
            }
        } else if sessionAffinity == "None" && sessionAffinityConfig != nil {
            errors.append(.forbidden(configPath, "must not be set when session affinity is None"))
        }
        return errors
    }

    /// Upstream `ValidateServiceClusterIPsRelatedFields`.
    private func validateClusterIPs(at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if type == "ExternalName" { return errors }
        let clusterIPsPath = path.child("clusterIPs")
        if !clusterIP.isEmpty {
            if clusterIPs.isEmpty {
                errors.append(.required(clusterIPsPath))
            } else if clusterIPs[0] != clusterIP {
                errors.append(.invalid(clusterIPsPath, .strings(clusterIPs), "first value must match `clusterIP`"))
            }
        } else if !clusterIPs.isEmpty {
            errors.append(.invalid(clusterIPsPath, .strings(clusterIPs), "must be empty when `clusterIP` is not specified"))
        }
        var seenFamilies = Set<String>()
        for (index, family) in ipFamilies.enumerated() {
            if family != "IPv4" && family != "IPv6" {
                errors.append(.notSupported(path.child("ipFamilies").index(index), .string(family), supported: ["IPv4", "IPv6"]))
            }
            if !seenFamilies.insert(family).inserted {
                errors.append(.duplicate(path.child("ipFamilies").index(index), .string(family)))
            }
        }
        let policies = ["PreferDualStack", "RequireDualStack", "SingleStack"]
        if let ipFamilyPolicy, !policies.contains(ipFamilyPolicy) {
            errors.append(.notSupported(path.child("ipFamilyPolicy"), .string(ipFamilyPolicy), supported: policies))
        }
        var hasInvalidIPs = false
        for (index, ip) in clusterIPs.enumerated() {
            if index == 0 && ip == "None" {
                if clusterIPs.count > 1 {
                    hasInvalidIPs = true
                    errors.append(.invalid(clusterIPsPath, .strings(clusterIPs), "'None' must be the first and only value"))
                }
                continue
            }
            let ipErrors = ValidationRules.ipErrors(ip, at: clusterIPsPath.index(index))
            hasInvalidIPs = hasInvalidIPs || !ipErrors.isEmpty
            errors.append(contentsOf: ipErrors)
        }
        if clusterIPs.count > 2 {
            errors.append(.invalid(clusterIPsPath, .strings(clusterIPs), "may only hold up to 2 values"))
        }
        if hasInvalidIPs { return errors }
        let parsed = clusterIPs.compactMap(IPAddress.init)
        if clusterIPs.count == 2, parsed.count == 2, parsed[0].isIPv4 == parsed[1].isIPv4 {
            errors.append(.invalid(clusterIPsPath, .strings(clusterIPs), "may specify no more than one IP for each IP family"))
        }
        if !isHeadless {
            for (index, ip) in parsed.enumerated() where index < ipFamilies.count {
                if ipFamilies[index] == "IPv4" && !ip.isIPv4 {
                    errors.append(
                        .invalid(clusterIPsPath.index(index), .string(clusterIPs[index]),
                            "expected an IPv4 value as indicated by `ipFamilies[\(index)]`"))
                }
                if ipFamilies[index] == "IPv6" && ip.isIPv4 {
                    errors.append(
                        .invalid(clusterIPsPath.index(index), .string(clusterIPs[index]),
                            "expected an IPv6 value as indicated by `ipFamilies[\(index)]`"))
                }
            }
        }
        return errors
    }

    /// Upstream `validateServiceExternalTrafficPolicy` and `validateServiceInternalTrafficFieldsValue`.
    private func validateTrafficPolicies(at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        let policies = ["Cluster", "Local"]
        let externalPath = path.child("externalTrafficPolicy")
        if !isExternallyAccessible {
            if !externalTrafficPolicy.isEmpty {
                errors.append(
                    .invalid(externalPath, .string(externalTrafficPolicy), "may only be set for externally-accessible services"))
            }
        } else if externalTrafficPolicy.isEmpty {
            errors.append(.required(externalPath))
        } else if !policies.contains(externalTrafficPolicy) {
            errors.append(.notSupported(externalPath, .string(externalTrafficPolicy), supported: policies))
        }
        let needsHealthCheck = type == "LoadBalancer" && externalTrafficPolicy == "Local"
        if !needsHealthCheck && healthCheckNodePort != 0 {
            errors.append(
                .invalid(path.child("healthCheckNodePort"), .integer(Int64(healthCheckNodePort)),
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
        } else if needsHealthCheck && healthCheckNodePort != 0 {
            for message in ValidationRules.portNumberErrors(Int64(healthCheckNodePort)) {
                errors.append(.invalid(path.child("healthCheckNodePort"), .integer(Int64(healthCheckNodePort)), message))
            }
        }
        let internalPath = path.child("internalTrafficPolicy")
        if let internalTrafficPolicy {
            if !policies.contains(internalTrafficPolicy) {
                errors.append(.notSupported(internalPath, .string(internalTrafficPolicy), supported: policies))
            }
        } else if type == "NodePort" || type == "LoadBalancer" || type == "ClusterIP" {
            errors.append(.required(internalPath))
        }
        return errors
    }

    /// Upstream `validateUpgradeDowngradeClusterIPs`. A request that leaves the cluster IPs out entirely
    /// is not checked here (the server carries the assigned values over).
    func validateClusterIPsUpdate(from old: ServiceSpec) -> FieldErrorList {
        var errors = FieldErrorList()
        if type == "ExternalName" || old.type == "ExternalName" { return errors }
        if isHeadless && old.isHeadless { return errors }
        if clusterIPs.isEmpty && clusterIP.isEmpty { return errors }
        let path = FieldPath("spec", "clusterIPs")
        if old.clusterIPs.count == clusterIPs.count {
            for (index, ip) in old.clusterIPs.enumerated() where ip != clusterIPs[index] {
                errors.append(.invalid(path.index(index), .strings(clusterIPs), "may not change once set"))
            }
        } else if old.clusterIPs.count > clusterIPs.count {
            if clusterIPs.isEmpty {
                errors.append(.invalid(path.index(0), .strings(clusterIPs), "primary clusterIP can not be unset"))
            }
            if let first = clusterIPs.first, let oldFirst = old.clusterIPs.first, first != oldFirst {
                errors.append(.invalid(path.index(0), .strings(clusterIPs), "may not change once set"))
            }
            if clusterIPs.count == 1 && ipFamilyPolicy != "SingleStack" {
                errors.append(
                    .invalid(FieldPath("spec", "ipFamilyPolicy"), ipFamilyPolicy.map { .string($0) } ?? .null,
                        "must be set to 'SingleStack' when releasing the secondary clusterIP"))
            }
        } else if let oldFirst = old.clusterIPs.first, clusterIPs[0] != oldFirst {
            errors.append(.invalid(path.index(0), .strings(clusterIPs), "may not change once set"))
        }
        return errors
    }
}

extension ServicePort {
    /// Upstream `validateServicePort`: a unique DNS-label name (required when there are several ports),
    /// a port number in 1-65535, a supported protocol and a valid target port.
    func validate(requireName: Bool, names: inout Set<String>, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if requireName && name.isEmpty {
            errors.append(.required(path.child("name")))
        } else if !name.isEmpty {
            errors.append(contentsOf: ValidationRules.dns1123Label(name, at: path.child("name")))
            if !names.insert(name).inserted {
                errors.append(.duplicate(path.child("name"), .string(name)))
            }
        }
        for message in ValidationRules.portNumberErrors(Int64(port)) {
            errors.append(.invalid(path.child("port"), .integer(Int64(port)), message))
        }
        if self.protocol.isEmpty {
            errors.append(.required(path.child("protocol")))
        } else if !ServiceSpec.protocols.contains(self.protocol) {
            errors.append(.notSupported(path.child("protocol"), .string(self.protocol), supported: ServiceSpec.protocols))
        }
        errors.append(contentsOf: ValidationRules.portNumberOrName(targetPort, at: path.child("targetPort")))
        if let appProtocol {
            errors.append(contentsOf: ValidationRules.qualifiedName(appProtocol, at: path.child("appProtocol")))
        }
        return errors
    }
}
