public import KubeCore

extension Event {
    /// Upstream `ValidateEventCreate` / `ValidateEventUpdate` for requests to core/v1: only the legacy
    /// checks (the event's namespace agrees with the involved object's, and events with an `eventTime`
    /// name their reporter, action and reason). Names are checked as DNS subdomains.
    public func validate(old: Event?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        errors.append(
            contentsOf: EventValidation.legacy(
                namespace: metadata.namespace, involvedNamespace: involvedObject.namespace, eventTime: eventTime,
                reportingController: reportingComponent, reportingControllerField: "reportingComponent",
                reportingInstance: reportingInstance, action: action, reason: reason, message: message))
        return errors
    }
}

extension EventsV1Event {
    /// Upstream `ValidateEventCreate` for events.k8s.io/v1: the legacy checks plus the strict ones (an
    /// `eventTime`, type Normal or Warning, a series of at least 2, no deprecated fields). Field paths
    /// are upstream's, which name the core/v1 fields (`involvedObject`, `message`, `source`, ...).
    public func validate(old: EventsV1Event?) -> FieldErrorList {
        var errors = ValidationRules.metadata(metadata, old: old?.metadata, namespaced: true, name: .dns1123Subdomain)
        errors.append(
            contentsOf: EventValidation.legacy(
                namespace: metadata.namespace, involvedNamespace: regarding.namespace, eventTime: eventTime,
                reportingController: reportingController, reportingControllerField: "reportingController",
                reportingInstance: reportingInstance, action: action, reason: reason, message: note))
        if old != nil { return errors }
        if let series {
            if series.count < 2 {
                errors.append(.invalid(FieldPath("series.count"), "", "should be at least 2"))
            }
            if series.lastObservedTime == nil {
                errors.append(.required(FieldPath("series.lastObservedTime")))
            }
        }
        if eventTime == nil {
            errors.append(.required(FieldPath("eventTime")))
        }
        if type != "Normal" && type != "Warning" {
            errors.append(.invalid(FieldPath("type"), "", "has invalid value: \(type)"))
        }
        if deprecatedFirstTimestamp != nil {
            errors.append(.invalid(FieldPath("firstTimestamp"), "", "needs to be unset"))
        }
        if deprecatedLastTimestamp != nil {
            errors.append(.invalid(FieldPath("lastTimestamp"), "", "needs to be unset"))
        }
        if deprecatedCount != 0 {
            errors.append(.invalid(FieldPath("count"), "", "needs to be unset"))
        }
        if !deprecatedSource.component.isEmpty || !deprecatedSource.host.isEmpty {
            errors.append(.invalid(FieldPath("source"), "", "needs to be unset"))
        }
        return errors
    }
}

/// Stateless namespace for the event checks both Event kinds share.
enum EventValidation {
    static let reportingInstanceLimit = 128
    static let actionLimit = 128
    static let reasonLimit = 128
    static let noteLimit = 1024

    /// Upstream `legacyValidateEvent`.
    static func legacy(
        namespace: String, involvedNamespace: String, eventTime: MicroTime?, reportingController: String,
        reportingControllerField: String, reportingInstance: String, action: String, reason: String, message: String
    ) -> FieldErrorList {
        var errors = FieldErrorList()
        let involvedPath = FieldPath("involvedObject", "namespace")
        if eventTime == nil {
            if involvedNamespace.isEmpty {
                if !namespace.isEmpty && namespace != "default" {
                    errors.append(.invalid(involvedPath, .string(involvedNamespace), "does not match event.namespace"))
                }
            } else if namespace != involvedNamespace {
                errors.append(.invalid(involvedPath, .string(involvedNamespace), "does not match event.namespace"))
            }
        } else {
            if involvedNamespace.isEmpty && namespace != "default" && namespace != "kube-system" {
                errors.append(.invalid(involvedPath, .string(involvedNamespace), "does not match event.namespace"))
            }
            let controllerPath = FieldPath(reportingControllerField)
            if reportingController.isEmpty {
                errors.append(.required(controllerPath))
            }
            errors.append(contentsOf: ValidationRules.qualifiedName(reportingController, at: controllerPath))
            if reportingInstance.isEmpty {
                errors.append(.required(FieldPath("reportingInstance")))
            }
            if reportingInstance.utf8.count > reportingInstanceLimit {
                errors.append(.invalid(FieldPath("reportingInstance"), "", "can have at most \(reportingInstanceLimit) characters"))
            }
            if action.isEmpty {
                errors.append(.required(FieldPath("action")))
            }
            if action.utf8.count > actionLimit {
                errors.append(.invalid(FieldPath("action"), "", "can have at most \(actionLimit) characters"))
            }
            if reason.isEmpty {
                errors.append(.required(FieldPath("reason")))
            }
            if reason.utf8.count > reasonLimit {
                errors.append(.invalid(FieldPath("reason"), "", "can have at most \(reasonLimit) characters"))
            }
            if message.utf8.count > noteLimit {
                errors.append(.invalid(FieldPath("message"), "", "can have at most \(noteLimit) characters"))
            }
        }
        return errors
    }
}
