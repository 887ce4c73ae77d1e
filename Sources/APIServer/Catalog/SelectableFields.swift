import KubeCore

/// The field-selector fields each kind supports beyond `metadata.name` and `metadata.namespace` (upstream
/// `<Kind>ToSelectableFields` / `AddFieldLabelConversionsFor<Kind>`), read from stored (defaulted) objects.
///
/// Every closure returns all of its keys, even for an empty object: the server derives the supported set
/// from `fields(of: .object([:]))`. Stateless namespace; the closures are pure and Sendable.
enum SelectableFields {
    typealias Fields = @Sendable (JSONValue) -> [String: String]

    /// The closure for `group`/`plural`, or nil when the kind only supports the metadata fields.
    static func fields(group: String, plural: String) -> Fields? {
        switch (group, plural) {
        case ("", "pods"): return pod
        case ("", "events"): return coreEvent
        case ("events.k8s.io", "events"): return eventsV1Event
        case ("", "secrets"): return { ["type": string($0, "type")] }
        case ("", "namespaces"): return { ["status.phase": string($0, "status", "phase")] }
        case ("", "nodes"): return { ["spec.unschedulable": bool($0, "spec", "unschedulable")] }
        case ("", "replicationcontrollers"): return { ["status.replicas": integer($0, "status", "replicas")] }
        case ("batch", "jobs"): return { ["status.successful": integer($0, "status", "succeeded")] }
        case ("certificates.k8s.io", "certificatesigningrequests"):
            return { ["spec.signerName": string($0, "spec", "signerName")] }
        default: return nil
        }
    }

    static let pod: Fields = { object in
        [
            "spec.nodeName": string(object, "spec", "nodeName"),
            "spec.restartPolicy": string(object, "spec", "restartPolicy"),
            "spec.schedulerName": string(object, "spec", "schedulerName"),
            "spec.serviceAccountName": string(object, "spec", "serviceAccountName"),
            "spec.hostNetwork": bool(object, "spec", "hostNetwork"),
            "status.phase": string(object, "status", "phase"),
            "status.podIP": string(object, "status", "podIP"),
            "status.nominatedNodeName": string(object, "status", "nominatedNodeName"),
        ]
    }

    /// The `ObjectReference` members both event kinds select on.
    private static let referenceFields = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"]

    static let coreEvent: Fields = { object in
        var fields: [String: String] = [
            "reason": string(object, "reason"),
            "reportingComponent": string(object, "reportingComponent"),
            "source": string(object, "source", "component"),
            "type": string(object, "type"),
        ]
        for member in referenceFields {
            fields["involvedObject." + member] = string(object, "involvedObject", member)
        }
        return fields
    }

    /// events.k8s.io/v1 names the core fields after its own members (upstream's field label conversion).
    static let eventsV1Event: Fields = { object in
        var fields: [String: String] = [
            "reason": string(object, "reason"),
            "reportingController": string(object, "reportingController"),
            "type": string(object, "type"),
        ]
        for member in referenceFields {
            fields["regarding." + member] = string(object, "regarding", member)
        }
        return fields
    }

    private static func string(_ object: JSONValue, _ path: String...) -> String {
        object.value(at: path)?.stringValue ?? ""
    }

    /// Go's `strconv.FormatBool`; a missing member is `false`.
    private static func bool(_ object: JSONValue, _ path: String...) -> String {
        if case .bool(true)? = object.value(at: path) { return "true" }
        return "false"
    }

    /// Go's `strconv.Itoa`; a missing member is `0`.
    private static func integer(_ object: JSONValue, _ path: String...) -> String {
        String(object.value(at: path)?.integerValue ?? 0)
    }
}
