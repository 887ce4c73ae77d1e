public import KubeCore

// Upstream `ValidatePod`, `ValidatePodUpdate`, `ValidatePodTemplate` and `ValidateReplicationController`
// (k8s.io/kubernetes/pkg/apis/core/validation). The pod spec rules live in PodSpecValidation.swift.

extension Pod {
    /// Upstream `ValidatePodCreate` / `ValidatePodUpdate`: the spec, and on update only the mutable fields
    /// may change.
    public func validate(old: Pod?) -> FieldErrorList {
        var errors = PodSpecRules.metadata(metadata, old: old?.metadata)
        errors.append(contentsOf: spec.validatePodSpec(at: FieldPath("spec")))
        if let old {
            errors.append(contentsOf: PodSpecRules.update(spec, old: old.spec, at: FieldPath("spec")))
        }
        return errors
    }
}

extension PodTemplate {
    /// Upstream `ValidatePodTemplate` / `ValidatePodTemplateUpdate`.
    public func validate(old: PodTemplate?) -> FieldErrorList {
        var errors = PodSpecRules.metadata(metadata, old: old?.metadata)
        errors.append(contentsOf: ValidationRules.podTemplate(template, at: FieldPath("template")))
        return errors
    }
}

extension ReplicationController {
    /// Upstream `ValidateReplicationController` / `ValidateReplicationControllerUpdate`.
    public func validate(old: ReplicationController?) -> FieldErrorList {
        var errors = PodSpecRules.metadata(metadata, old: old?.metadata)
        let path = FieldPath("spec")
        errors.append(contentsOf: ValidationRules.nonNegative(Int64(spec.minReadySeconds), at: path.child("minReadySeconds")))
        if spec.selector.isEmpty {
            errors.append(.required(path.child("selector")))
        }
        errors.append(contentsOf: ValidationRules.nonNegative(Int64(spec.replicas ?? 0), at: path.child("replicas")))
        let templatePath = path.child("template")
        guard let template = spec.template else {
            errors.append(.required(templatePath))
            return errors
        }
        if !spec.selector.isEmpty {
            errors.append(
                contentsOf: ValidationRules.selectorMismatch(
                    LabelSelector(matchLabels: spec.selector), labels: template.metadata.labels,
                    at: templatePath.child("metadata", "labels")))
        }
        errors.append(contentsOf: ValidationRules.podTemplate(template, at: templatePath))
        errors.append(
            contentsOf: ValidationRules.alwaysRestartingTemplate(template, at: templatePath, kind: "ReplicationController"))
        return errors
    }
}

extension PodSpecRules {
    static let updatableFields =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

    /// The kind-dependent metadata checks on create (namespace, generateName) and identity on update. The
    /// name's DNS-1123 subdomain format is checked by the server for every kind, so it is not repeated.
    static func metadata(_ meta: ObjectMeta, old: ObjectMeta?) -> FieldErrorList {
        if let old { return ValidationRules.objectMetaUpdate(meta, old) }
        let errors = ValidationRules.objectMeta(meta, namespaced: true, name: .dns1123Subdomain)
        return FieldErrorList(errors.filter { $0.field != "metadata.name" })
    }

    /// The spec part of upstream `ValidatePodUpdate`.
    static func update(_ new: PodSpec, old: PodSpec, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        let deadlinePath = path.child("activeDeadlineSeconds")
        if let newDeadline = new.activeDeadlineSeconds {
            if let oldDeadline = old.activeDeadlineSeconds, oldDeadline < newDeadline {
                errors.append(.invalid(deadlinePath, .integer(newDeadline), "must be less than or equal to previous value"))
                return errors
            }
        } else if old.activeDeadlineSeconds != nil {
            errors.append(.invalid(deadlinePath, .null, "must not update from a positive integer to nil value"))
        }
        // Upstream `ValidateTolerationsInPodUpdate`: existing tolerations stay, only their seconds may change.
        for existing in old.tolerations {
            let kept = new.tolerations.contains {
                $0.key == existing.key && $0.operator == existing.operator && $0.value == existing.value
                    && $0.effect == existing.effect
            }
            if !kept {
                errors.append(
                    .forbidden(path.child("tolerations"), "existing toleration can not be modified except its tolerationSeconds"))
                break
            }
        }
        // Put the mutable fields back to their old values; anything else that differs is forbidden.
        var munged = new
        if munged.containers.count == old.containers.count {
            for index in munged.containers.indices { munged.containers[index].image = old.containers[index].image }
        }
        if munged.initContainers.count == old.initContainers.count {
            for index in munged.initContainers.indices { munged.initContainers[index].image = old.initContainers[index].image }
        }
        munged.activeDeadlineSeconds = old.activeDeadlineSeconds
        munged.tolerations = old.tolerations
        if let oldGrace = old.terminationGracePeriodSeconds, oldGrace < 0, new.terminationGracePeriodSeconds == 1 {
            munged.terminationGracePeriodSeconds = oldGrace
        }
        if munged != old {
            errors.append(.forbidden(path, updatableFields))
        }
        return errors
    }

    /// Upstream `validateLifecycle`.
    static func lifecycle(_ lifecycle: Lifecycle?, at path: FieldPath) -> FieldErrorList {
        guard let lifecycle else { return [] }
        var errors = FieldErrorList()
        if let postStart = lifecycle.postStart {
            errors.append(
                contentsOf: handler(
                    [("exec", postStart.exec.map { ($0.command.isEmpty) }), ("httpGet", postStart.httpGet.map { _ in false }),
                     ("tcpSocket", postStart.tcpSocket.map { _ in false }), ("sleep", postStart.sleep.map { _ in false })],
                    at: path.child("postStart")))
            errors.append(contentsOf: actions(httpGet: postStart.httpGet, tcpSocket: postStart.tcpSocket, at: path.child("postStart")))
        }
        if let preStop = lifecycle.preStop {
            errors.append(
                contentsOf: handler(
                    [("exec", preStop.exec.map { ($0.command.isEmpty) }), ("httpGet", preStop.httpGet.map { _ in false }),
                     ("tcpSocket", preStop.tcpSocket.map { _ in false }), ("sleep", preStop.sleep.map { _ in false })],
                    at: path.child("preStop")))
            errors.append(contentsOf: actions(httpGet: preStop.httpGet, tcpSocket: preStop.tcpSocket, at: path.child("preStop")))
        }
        return errors
    }

    /// Upstream `validateProbe` (plus the `successThreshold` rule of liveness and startup probes).
    static func probe(_ probe: Probe?, at path: FieldPath, successMustBeOne: Bool) -> FieldErrorList {
        guard let probe else { return [] }
        var errors = handler(
            [("exec", probe.exec.map { $0.command.isEmpty }), ("httpGet", probe.httpGet.map { _ in false }),
             ("tcpSocket", probe.tcpSocket.map { _ in false }), ("grpc", probe.grpc.map { _ in false })],
            at: path)
        errors.append(contentsOf: actions(httpGet: probe.httpGet, tcpSocket: probe.tcpSocket, at: path))
        if let grpc = probe.grpc {
            for message in ValidationRules.portNumberErrors(Int64(grpc.port)) {
                errors.append(.invalid(path.child("grpc", "port"), .integer(Int64(grpc.port)), message))
            }
        }
        let fields: [(String, Int32)] = [
            ("initialDelaySeconds", probe.initialDelaySeconds), ("timeoutSeconds", probe.timeoutSeconds),
            ("periodSeconds", probe.periodSeconds), ("successThreshold", probe.successThreshold),
            ("failureThreshold", probe.failureThreshold),
        ]
        for (name, value) in fields {
            errors.append(contentsOf: ValidationRules.nonNegative(Int64(value), at: path.child(name)))
        }
        if let grace = probe.terminationGracePeriodSeconds, grace <= 0 {
            errors.append(.invalid(path.child("terminationGracePeriodSeconds"), .integer(grace), "must be greater than 0"))
        }
        if successMustBeOne && probe.successThreshold != 1 {
            errors.append(.invalid(path.child("successThreshold"), .integer(Int64(probe.successThreshold)), "must be 1"))
        }
        return errors
    }

    /// Upstream `validateHandler`: exactly one handler; each entry is (field, nil when unset, else whether
    /// an exec handler lacks its command).
    static func handler(_ handlers: [(String, Bool?)], at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        var count = 0
        for (name, state) in handlers {
            guard let missingCommand = state else { continue }
            if count > 0 {
                errors.append(.forbidden(path.child(name), "may not specify more than 1 handler type"))
                continue
            }
            count += 1
            if name == "exec" && missingCommand {
                errors.append(.required(path.child("exec", "command")))
            }
        }
        if count == 0 {
            errors.append(.required(path, "must specify a handler type"))
        }
        return errors
    }

    /// Upstream `validateHTTPGetAction` and `validateTCPSocketAction`.
    static func actions(httpGet: HTTPGetAction?, tcpSocket: TCPSocketAction?, at path: FieldPath) -> FieldErrorList {
        var errors = FieldErrorList()
        if let httpGet {
            let httpPath = path.child("httpGet")
            if httpGet.path.isEmpty {
                errors.append(.required(httpPath.child("path")))
            }
            errors.append(contentsOf: ValidationRules.portNumberOrName(httpGet.port, at: httpPath.child("port")))
            if !["HTTP", "HTTPS"].contains(httpGet.scheme) {
                errors.append(.notSupported(httpPath.child("scheme"), .string(httpGet.scheme), supported: ["HTTP", "HTTPS"]))
            }
        }
        if let tcpSocket {
            errors.append(contentsOf: ValidationRules.portNumberOrName(tcpSocket.port, at: path.child("tcpSocket", "port")))
        }
        return errors
    }

}
