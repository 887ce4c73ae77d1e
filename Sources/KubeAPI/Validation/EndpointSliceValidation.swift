public import KubeCore

extension EndpointSlice {
    static let addressTypes = ["FQDN", "IPv4", "IPv6"]

    /// Upstream `ValidateEndpointSlice` / `ValidateEndpointSliceUpdate`: a supported address type (which
    /// cannot change), endpoints with 1-100 addresses of that type, valid hostnames, node names and hints,
    /// ports with unique DNS-label names and supported protocols.
    public func validate(old: EndpointSlice?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        let typePath = FieldPath("addressType")
        if addressType.isEmpty {
            errors.append(.required(typePath))
        } else if !Self.addressTypes.contains(addressType) {
            errors.append(.notSupported(typePath, .string(addressType), supported: Self.addressTypes))
        }
        errors.append(contentsOf: validateEndpoints(at: FieldPath("endpoints")))
        errors.append(contentsOf: validatePorts(at: FieldPath("ports")))
        if let old, addressType != old.addressType {
            errors.append(.invalid(typePath, .string(addressType), ValidationRules.fieldImmutable))
        }
        return errors
    }

    private func validateEndpoints(at path: FieldPath) -> FieldErrorList {
        if endpoints.count > 1000 { return [.tooMany(path, actualQuantity: endpoints.count, maxQuantity: 1000)] }
        var errors = FieldErrorList()
        for (index, endpoint) in endpoints.enumerated() {
            let endpointPath = path.index(index)
            let addressesPath = endpointPath.child("addresses")
            if endpoint.addresses.isEmpty {
                errors.append(.required(addressesPath, "must contain at least 1 address"))
            } else if endpoint.addresses.count > 100 {
                errors.append(.tooMany(addressesPath, actualQuantity: endpoint.addresses.count, maxQuantity: 100))
            }
            for (addressIndex, address) in endpoint.addresses.enumerated() {
                errors.append(contentsOf: validateAddress(address, at: addressesPath.index(addressIndex)))
            }
            if let nodeName = endpoint.nodeName {
                errors.append(contentsOf: ValidationRules.dns1123Subdomain(nodeName, at: endpointPath.child("nodeName")))
            }
            let topologyPath = endpointPath.child("deprecatedTopology")
            if endpoint.deprecatedTopology.count > 16 {
                errors.append(.tooMany(topologyPath, actualQuantity: endpoint.deprecatedTopology.count, maxQuantity: 16))
            }
            errors.append(contentsOf: ValidationRules.labels(endpoint.deprecatedTopology, at: topologyPath))
            if let hostname = endpoint.hostname {
                errors.append(contentsOf: ValidationRules.dns1123Label(hostname, at: endpointPath.child("hostname")))
            }
            if let hints = endpoint.hints {
                let hintsPath = endpointPath.child("hints")
                if hints.forZones.count > 8 {
                    errors.append(.tooMany(hintsPath.child("forZones"), actualQuantity: hints.forZones.count, maxQuantity: 8))
                }
                var zones = Set<String>()
                for (zoneIndex, zone) in hints.forZones.enumerated() {
                    let zonePath = hintsPath.child("forZones").index(zoneIndex).child("name")
                    if !zones.insert(zone.name).inserted {
                        errors.append(.duplicate(zonePath, .string(zone.name)))
                    }
                    for message in NameValidation.labelValueErrors(zone.name) {
                        errors.append(.invalid(zonePath, .string(zone.name), message))
                    }
                }
                if hints.forNodes.count > 8 {
                    errors.append(.tooMany(hintsPath.child("forNodes"), actualQuantity: hints.forNodes.count, maxQuantity: 8))
                }
                var nodes = Set<String>()
                for (nodeIndex, node) in hints.forNodes.enumerated() {
                    let nodePath = hintsPath.child("forNodes").index(nodeIndex).child("name")
                    if !nodes.insert(node.name).inserted {
                        errors.append(.duplicate(nodePath, .string(node.name)))
                    }
                    errors.append(contentsOf: ValidationRules.dns1123Subdomain(node.name, at: nodePath))
                }
            }
        }
        return errors
    }

    private func validateAddress(_ address: String, at path: FieldPath) -> FieldErrorList {
        switch addressType {
        case "IPv4", "IPv6":
            guard let ip = IPAddress(address) else {
                return [.invalid(path, .string(address), "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
            }
            if addressType == "IPv4" && !ip.isIPv4 {
                return [.invalid(path, .string(address), "must be an IPv4 address")]
            }
            if addressType == "IPv6" && ip.isIPv4 {
                return [.invalid(path, .string(address), "must be an IPv6 address")]
            }
            return []
        case "FQDN":
            return EndpointSliceValidation.fullyQualifiedDomainName(address, at: path)
        default:
            return []
        }
    }

    private func validatePorts(at path: FieldPath) -> FieldErrorList {
        if ports.count > 20000 { return [.tooMany(path, actualQuantity: ports.count, maxQuantity: 20000)] }
        var errors = FieldErrorList()
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let portPath = path.index(index)
            let name = port.name ?? ""
            if !name.isEmpty {
                errors.append(contentsOf: ValidationRules.dns1123Label(name, at: portPath.child("name")))
            }
            if !names.insert(name).inserted {
                errors.append(.duplicate(portPath.child("name"), .string(name)))
            }
            if let protocolName = port.protocol {
                if !ServiceSpec.protocols.contains(protocolName) {
                    errors.append(.notSupported(portPath.child("protocol"), .string(protocolName), supported: ServiceSpec.protocols))
                }
            } else {
                errors.append(.required(portPath.child("protocol")))
            }
            if let appProtocol = port.appProtocol {
                errors.append(contentsOf: ValidationRules.qualifiedName(appProtocol, at: portPath.child("appProtocol")))
            }
        }
        return errors
    }
}

/// Stateless namespace for EndpointSlice helpers.
enum EndpointSliceValidation {
    /// Upstream `IsFullyQualifiedDomainName`.
    static func fullyQualifiedDomainName(_ name: String, at path: FieldPath) -> FieldErrorList {
        if name.isEmpty { return [.required(path)] }
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        let subdomainErrors = NameValidation.dns1123SubdomainErrors(trimmed)
        if !subdomainErrors.isEmpty {
            return [.invalid(path, .string(trimmed), subdomainErrors.joined(separator: ","))]
        }
        let labels = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count < 2 {
            return [.invalid(path, .string(trimmed), "should be a domain with at least two segments separated by dots")]
        }
        for label in labels {
            let labelErrors = NameValidation.dns1123LabelErrors(String(label))
            if !labelErrors.isEmpty {
                return [.invalid(path, .string(String(label)), labelErrors.joined(separator: ","))]
            }
        }
        return []
    }
}
