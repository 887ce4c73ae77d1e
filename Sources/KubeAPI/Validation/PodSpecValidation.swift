import KubeCore

// Upstream `ValidatePodSpec` and its container, volume, probe and resource helpers
// (k8s.io/kubernetes/pkg/apis/core/validation), in upstream's order and with its messages.

extension PodSpec {
    /// Upstream `ValidatePodSpec` (the parts Swiftlet models).
    func validatePodSpec(at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        let volumeNames = PodSpecRules.volumes(volumes, at: path.child("volumes"), errors: &errors)
        errors.append(contentsOf: PodSpecRules.containers(containers, volumes: volumeNames, at: path.child("containers")))
        errors.append(
            contentsOf: PodSpecRules.initContainers(
                initContainers, containers: containers, volumes: volumeNames, at: path.child("initContainers")))
        errors.append(contentsOf: PodSpecRules.restartPolicy(restartPolicy, at: path.child("restartPolicy")))
        errors.append(contentsOf: PodSpecRules.dnsPolicy(dnsPolicy, at: path.child("dnsPolicy")))
        errors.append(contentsOf: ValidationRules.labels(nodeSelector, at: path.child("nodeSelector")))
        if dnsPolicy == "None" {
            if let dnsConfig {
                if dnsConfig.nameservers.isEmpty {
                    errors.append(
                        .required(path.child("dnsConfig", "nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None"))
                }
            } else {
                errors.append(.required(path.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"))
            }
        }
        if !serviceAccountName.isEmpty {
            errors.append(contentsOf: ValidationRules.dns1123Subdomain(serviceAccountName, at: path.child("serviceAccountName")))
        }
        if !nodeName.isEmpty {
            errors.append(contentsOf: ValidationRules.dns1123Subdomain(nodeName, at: path.child("nodeName")))
        }
        if let activeDeadlineSeconds, activeDeadlineSeconds < 1 || activeDeadlineSeconds > Int64(Int32.max) {
            errors.append(
                .invalid(path.child("activeDeadlineSeconds"), .integer(activeDeadlineSeconds),
                    "must be between 1 and 2147483647, inclusive"))
        }
        if !hostname.isEmpty {
            errors.append(contentsOf: ValidationRules.dns1123Label(hostname, at: path.child("hostname")))
        }
        if !subdomain.isEmpty {
            errors.append(contentsOf: ValidationRules.dns1123Label(subdomain, at: path.child("subdomain")))
        }
        if let terminationGracePeriodSeconds {
            errors.append(
                contentsOf: ValidationRules.nonNegative(terminationGracePeriodSeconds, at: path.child("terminationGracePeriodSeconds")))
        }
        return errors
    }
}

/// The pieces of pod spec validation. Stateless namespace.
enum PodSpecRules {
    static let protocols = ["SCTP", "TCP", "UDP"]
    static let restartPolicies = ["Always", "OnFailure", "Never"]
    static let dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]

    /// Upstream `ValidateVolumes`: returns the names of the valid volumes (what mounts may refer to).
    static func volumes(_ volumes: [Volume], at path: FieldPath, errors: inout FieldErrorList) -> Set<String> {
        var names = Set<String>()
        for (index, volume) in volumes.enumerated() {
            let itemPath = path.index(index)
            let namePath = itemPath.child("name")
            var local = FieldErrorList()
            // Upstream `validateVolumeSource` order (emptyDir before hostPath, unlike the declaration order).
            let sources = ["emptyDir", "hostPath"].filter(volume.sourceNames.contains)
                + volume.sourceNames.filter { $0 != "emptyDir" && $0 != "hostPath" }
            if sources.isEmpty {
                local.append(.required(itemPath, "must specify a volume type"))
            }
            for source in sources.dropFirst() {
                local.append(.forbidden(itemPath.child(source), "may not specify more than 1 volume type"))
            }
            if volume.name.isEmpty {
                local.append(.required(namePath))
            } else {
                local.append(contentsOf: ValidationRules.dns1123Label(volume.name, at: namePath))
            }
            if names.contains(volume.name) {
                local.append(.duplicate(namePath, .string(volume.name)))
            }
            if local.isEmpty {
                names.insert(volume.name)
            } else {
                errors.append(contentsOf: local)
            }
        }
        return names
    }

    /// Upstream `validateContainers`.
    static func containers(_ containers: [Container], volumes: Set<String>, at path: FieldPath) -> FieldErrorList {
        if containers.isEmpty { return [.required(path)] }
        var errors = FieldErrorList()
        var names = Set<String>()
        for (index, container) in containers.enumerated() {
            let itemPath = path.index(index)
            errors.append(contentsOf: common(container, volumes: volumes, at: itemPath))
            if names.contains(container.name) {
                errors.append(.duplicate(itemPath.child("name"), .string(container.name)))
            } else {
                names.insert(container.name)
            }
            errors.append(contentsOf: lifecycle(container.lifecycle, at: itemPath.child("lifecycle")))
            errors.append(contentsOf: probe(container.livenessProbe, at: itemPath.child("livenessProbe"), successMustBeOne: true))
            errors.append(contentsOf: probe(container.readinessProbe, at: itemPath.child("readinessProbe"), successMustBeOne: false))
            errors.append(contentsOf: probe(container.startupProbe, at: itemPath.child("startupProbe"), successMustBeOne: true))
            if container.restartPolicy != nil {
                errors.append(.forbidden(itemPath.child("restartPolicy"), "may not be set for non-init containers"))
            }
        }
        return errors
    }

    /// Upstream `validateInitContainers`: names unique across init and regular containers; only sidecars
    /// (`restartPolicy: Always`) may have lifecycle hooks and probes.
    static func initContainers(_ initContainers: [Container], containers: [Container], volumes: Set<String>, at path: FieldPath)
        -> FieldErrorList
    {
        var errors = FieldErrorList()
        var names = Set(containers.map(\.name))
        for (index, container) in initContainers.enumerated() {
            let itemPath = path.index(index)
            errors.append(contentsOf: common(container, volumes: volumes, at: itemPath))
            if names.contains(container.name) {
                errors.append(.duplicate(itemPath.child("name"), .string(container.name)))
            } else {
                names.insert(container.name)
            }
            switch container.restartPolicy {
            case nil:
                let message = "may not be set for init containers without restartPolicy=Always"
                if container.lifecycle != nil { errors.append(.forbidden(itemPath.child("lifecycle"), message)) }
                if container.livenessProbe != nil { errors.append(.forbidden(itemPath.child("livenessProbe"), message)) }
                if container.readinessProbe != nil { errors.append(.forbidden(itemPath.child("readinessProbe"), message)) }
                if container.startupProbe != nil { errors.append(.forbidden(itemPath.child("startupProbe"), message)) }
            case "Always":
                errors.append(contentsOf: lifecycle(container.lifecycle, at: itemPath.child("lifecycle")))
                errors.append(contentsOf: probe(container.livenessProbe, at: itemPath.child("livenessProbe"), successMustBeOne: true))
                errors.append(contentsOf: probe(container.readinessProbe, at: itemPath.child("readinessProbe"), successMustBeOne: false))
                errors.append(contentsOf: probe(container.startupProbe, at: itemPath.child("startupProbe"), successMustBeOne: true))
            case let other?:
                errors.append(.notSupported(itemPath.child("restartPolicy"), .string(other), supported: ["Always"]))
            }
        }
        return errors
    }

    /// Upstream `validateContainerCommon`.
    static func common(_ container: Container, volumes: Set<String>, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if container.name.isEmpty {
            errors.append(.required(path.child("name")))
        } else {
            errors.append(contentsOf: ValidationRules.dns1123Label(container.name, at: path.child("name")))
        }
        if container.image.isEmpty {
            errors.append(.required(path.child("image")))
        }
        switch container.terminationMessagePolicy {
        case "File", "FallbackToLogsOnError": break
        case "": errors.append(.required(path.child("terminationMessagePolicy")))
        default:
            errors.append(
                .notSupported(path.child("terminationMessagePolicy"), .string(container.terminationMessagePolicy),
                    supported: ["File", "FallbackToLogsOnError"]))
        }
        errors.append(contentsOf: ports(container.ports, at: path.child("ports")))
        errors.append(contentsOf: env(container.env, at: path.child("env")))
        errors.append(contentsOf: volumeMounts(container.volumeMounts, volumes: volumes, at: path.child("volumeMounts")))
        switch container.imagePullPolicy {
        case "Always", "IfNotPresent", "Never": break
        case "": errors.append(.required(path.child("imagePullPolicy")))
        default:
            errors.append(
                .notSupported(path.child("imagePullPolicy"), .string(container.imagePullPolicy),
                    supported: ["Always", "IfNotPresent", "Never"]))
        }
        errors.append(contentsOf: resources(container.resources, at: path.child("resources")))
        return errors
    }

    /// Upstream `validateContainerPorts`.
    static func ports(_ ports: [ContainerPort], at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let itemPath = path.index(index)
            if !port.name.isEmpty {
                let messages = ValidationRules.portNameErrors(port.name)
                if !messages.isEmpty {
                    errors.append(contentsOf: messages.map { .invalid(itemPath.child("name"), .string(port.name), $0) })
                } else if names.contains(port.name) {
                    errors.append(.duplicate(itemPath.child("name"), .string(port.name)))
                } else {
                    names.insert(port.name)
                }
            }
            if port.containerPort == 0 {
                errors.append(.required(itemPath.child("containerPort")))
            } else {
                for message in ValidationRules.portNumberErrors(Int64(port.containerPort)) {
                    errors.append(.invalid(itemPath.child("containerPort"), .integer(Int64(port.containerPort)), message))
                }
            }
            if port.hostPort != 0 {
                for message in ValidationRules.portNumberErrors(Int64(port.hostPort)) {
                    errors.append(.invalid(itemPath.child("hostPort"), .integer(Int64(port.hostPort)), message))
                }
            }
            if port.protocol.isEmpty {
                errors.append(.required(itemPath.child("protocol")))
            } else if !protocols.contains(port.protocol) {
                errors.append(.notSupported(itemPath.child("protocol"), .string(port.protocol), supported: protocols))
            }
        }
        return errors
    }

    static let envVarNameMessage =
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit"

    /// Upstream `IsEnvVarName`.
    static func envVarNameErrors(_ name: String) -> [String] {
        var errors: [String] = []
        func allowed(_ byte: UInt8) -> Bool {
            ValidationRules.isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_")
        }
        let bytes = Array(name.utf8)
        if bytes.isEmpty || ValidationRules.isDigit(bytes[0]) || !bytes.allSatisfy(allowed) {
            errors.append(
                ValidationRules.regexError(
                    envVarNameMessage, "[-._a-zA-Z][-._a-zA-Z0-9]*", examples: ["my.env-name", "MY_ENV.NAME", "MyEnvName1"]))
        }
        if name == "." {
            errors.append("must not be '.'")
        } else if name == ".." {
            errors.append("must not be '..'")
        } else if name.hasPrefix("..") {
            errors.append("must not start with '..'")
        }
        return errors
    }

    /// Upstream `ValidateEnv` (names only).
    static func env(_ vars: [EnvVar], at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        for (index, variable) in vars.enumerated() {
            let namePath = path.index(index).child("name")
            if variable.name.isEmpty {
                errors.append(.required(namePath))
            } else {
                errors.append(contentsOf: envVarNameErrors(variable.name).map { .invalid(namePath, .string(variable.name), $0) })
            }
        }
        return errors
    }

    /// Upstream `ValidateVolumeMounts`.
    static func volumeMounts(_ mounts: [VolumeMount], volumes: Set<String>, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        var mountPoints = Set<String>()
        for (index, mount) in mounts.enumerated() {
            let itemPath = path.index(index)
            if mount.name.isEmpty {
                errors.append(.required(itemPath.child("name")))
            }
            if !volumes.contains(mount.name) {
                errors.append(.notFound(itemPath.child("name"), .string(mount.name)))
            }
            if mount.mountPath.isEmpty {
                errors.append(.required(itemPath.child("mountPath")))
            }
            if mountPoints.contains(mount.mountPath) {
                errors.append(.invalid(itemPath.child("mountPath"), .string(mount.mountPath), "must be unique"))
            }
            mountPoints.insert(mount.mountPath)
        }
        return errors
    }

    /// Upstream `ValidateContainerResourceRequirements`: quantities non-negative, requests ≤ limits.
    static func resources(_ requirements: ResourceRequirements, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        let limitsPath = path.child("limits")
        let requestsPath = path.child("requests")
        for name in requirements.limits.keys.sorted() {
            let quantity = requirements.limits[name]!
            if quantity.sign < 0 {
                errors.append(.invalid(limitsPath.key(name), .string(quantity.description), ValidationRules.isNegative))
            }
        }
        for name in requirements.requests.keys.sorted() {
            let quantity = requirements.requests[name]!
            if quantity.sign < 0 {
                errors.append(.invalid(requestsPath.key(name), .string(quantity.description), ValidationRules.isNegative))
            }
            if let limit = requirements.limits[name], quantity > limit {
                errors.append(
                    .invalid(requestsPath, .string(quantity.description),
                        "must be less than or equal to \(name) limit of \(limit.description)"))
            }
        }
        return errors
    }

    /// Upstream `validateRestartPolicy`.
    static func restartPolicy(_ policy: String, at path: FieldPath) -> FieldErrorList {
        if restartPolicies.contains(policy) { return [] }
        if policy.isEmpty { return [.required(path)] }
        return [.notSupported(path, .string(policy), supported: restartPolicies)]
    }

    /// Upstream `validateDNSPolicy`.
    static func dnsPolicy(_ policy: String, at path: FieldPath) -> FieldErrorList {
        if dnsPolicies.contains(policy) { return [] }
        if policy.isEmpty { return [.required(path)] }
        return [.notSupported(path, .string(policy), supported: dnsPolicies)]
    }
}
