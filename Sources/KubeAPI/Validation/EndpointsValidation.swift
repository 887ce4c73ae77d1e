public import KubeCore

extension Endpoints {
    /// Upstream `ValidateEndpoints` (create and update): every subset has addresses, addresses are valid
    /// non-special IPs, ports are named when there are several and use a supported protocol.
    public func validate(old: Endpoints?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        let subsetsPath = FieldPath("subsets")
        for (index, subset) in subsets.enumerated() {
            let subsetPath = subsetsPath.index(index)
            if subset.addresses.isEmpty && subset.notReadyAddresses.isEmpty {
                errors.append(.required(subsetPath, "must specify `addresses` or `notReadyAddresses`"))
            }
            for (addressIndex, address) in subset.addresses.enumerated() {
                errors.append(contentsOf: address.validate(at: subsetPath.child("addresses").index(addressIndex)))
            }
            for (addressIndex, address) in subset.notReadyAddresses.enumerated() {
                errors.append(contentsOf: address.validate(at: subsetPath.child("notReadyAddresses").index(addressIndex)))
            }
            for (portIndex, port) in subset.ports.enumerated() {
                errors.append(contentsOf: port.validate(requireName: subset.ports.count > 1, at: subsetPath.child("ports").index(portIndex)))
            }
        }
        return errors
    }
}

extension EndpointAddress {
    /// Upstream `validateEndpointAddress`.
    func validate(at path: FieldPath) -> FieldErrorList {
        var errors = ValidationRules.ipErrors(ip, at: path.child("ip"))
        if !hostname.isEmpty {
            errors.append(contentsOf: ValidationRules.dns1123Label(hostname, at: path.child("hostname")))
        }
        if let nodeName {
            errors.append(contentsOf: ValidationRules.dns1123Subdomain(nodeName, at: path.child("nodeName")))
        }
        errors.append(contentsOf: EndpointsValidation.nonSpecialIP(ip, at: path.child("ip")))
        return errors
    }
}

extension EndpointPort {
    /// Upstream `validateEndpointPort`.
    func validate(requireName: Bool, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if requireName && name.isEmpty {
            errors.append(.required(path.child("name")))
        } else if !name.isEmpty {
            errors.append(contentsOf: ValidationRules.dns1123Label(name, at: path.child("name")))
        }
        for message in ValidationRules.portNumberErrors(Int64(port)) {
            errors.append(.invalid(path.child("port"), .integer(Int64(port)), message))
        }
        if self.protocol.isEmpty {
            errors.append(.required(path.child("protocol")))
        } else if !ServiceSpec.protocols.contains(self.protocol) {
            errors.append(.notSupported(path.child("protocol"), .string(self.protocol), supported: ServiceSpec.protocols))
        }
        if let appProtocol {
            errors.append(contentsOf: ValidationRules.qualifiedName(appProtocol, at: path.child("appProtocol")))
        }
        return errors
    }
}

/// Stateless namespace for endpoint address checks.
enum EndpointsValidation {
    /// Upstream `ValidateNonSpecialIP`: no unspecified, loopback, link-local or link-local multicast addresses.
    static func nonSpecialIP(_ text: String, at path: FieldPath) -> FieldErrorList {
        guard let ip = IPAddress(text) else { return [.invalid(path, .string(text), "must be a valid IP address")] }
        var errors = FieldErrorList()
        let bytes = ip.bytes
        let mapped = !ip.isIPv4 && bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        let v4: [UInt8]? = ip.isIPv4 ? bytes : (mapped ? Array(bytes[12...]) : nil)
        let unspecified = bytes.allSatisfy { $0 == 0 } || v4 == [0, 0, 0, 0]
        let loopback = v4.map { $0[0] == 127 } ?? (bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1)
        let linkLocalUnicast = v4.map { $0[0] == 169 && $0[1] == 254 } ?? (bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80)
        let linkLocalMulticast = v4.map { $0[0] == 224 && $0[1] == 0 && $0[2] == 0 } ?? (bytes[0] == 0xff && bytes[1] & 0x0f == 0x02)
        if unspecified {
            errors.append(.invalid(path, .string(text), "may not be unspecified (\(text))"))
        }
        if loopback {
            errors.append(.invalid(path, .string(text), "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
        }
        if linkLocalUnicast {
            errors.append(.invalid(path, .string(text), "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
        }
        if linkLocalMulticast {
            errors.append(.invalid(path, .string(text), "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
        }
        return errors
    }
}
