import KubeCore

/// The `pods/binding` subresource: assigns a pending pod to a node (what the scheduler posts), like
/// upstream `BindingREST`: sets `spec.nodeName`, copies the binding's annotations and marks `PodScheduled`.
extension APIHandler {
    func bindPod(_ context: RequestContext) async throws -> APIResponse {
        try checkDryRun(context)
        let binding = try decodeSubresourceBody(context, kind: "Binding")
        let podName = context.name!
        let bindingName = binding["metadata"]?["name"]?.stringValue ?? ""
        if !bindingName.isEmpty, bindingName != podName {
            throw APIError.badRequest("name in URL does not match name in Binding object")
        }
        let target = binding["target"] ?? .object([:])
        var errors = FieldErrorList()
        let targetKind = target["kind"]?.stringValue ?? ""
        if !targetKind.isEmpty, targetKind != "Node" {
            errors.append(.notSupported(FieldPath("target", "kind"), .string(targetKind), supported: ["Node", "<empty>"]))
        }
        let nodeName = target["name"]?.stringValue ?? ""
        if nodeName.isEmpty { errors.append(.required(FieldPath("target", "name"), "")) }
        if !errors.isEmpty {
            throw APIError.invalid(GroupKind(group: "", kind: "Binding"), name: bindingName, errors: errors)
        }
        let uidPrecondition = binding["metadata"]?["uid"]?.stringValue ?? ""
        let annotations = binding["metadata"]?["annotations"]
        let now = RFC3339Time(clock()).description
        _ = try await guaranteedUpdate(context, precondition: "", trustedTransform: true) { current in
            let resource = context.resource.groupResource
            if current.isBeingDeleted {
                throw APIError.conflict(resource, name: podName,
                                        message: "pod \(podName) is being deleted, cannot be assigned to a host")
            }
            if !uidPrecondition.isEmpty, uidPrecondition != current.uid {
                throw APIError.conflict(resource, name: podName,
                    message: "Precondition failed: UID in precondition: \(uidPrecondition), UID in object meta: \(current.uid)")
            }
            let assigned = current["spec"]?["nodeName"]?.stringValue ?? ""
            if !assigned.isEmpty {
                throw APIError.conflict(resource, name: podName,
                                        message: "pod \(podName) is already assigned to node \"\(assigned)\"")
            }
            if case .array(let gates)? = current["spec"]?["schedulingGates"], !gates.isEmpty {
                throw APIError.conflict(resource, name: podName,
                                        message: "pod \(podName) has non-empty .spec.schedulingGates")
            }
            var bound = current
            bound.set(["spec", "nodeName"], .string(nodeName))
            if case .object(let extra)? = annotations {
                for (key, value) in extra { bound.set(["metadata", "annotations", key], value) }
            }
            bound.set(["status", "conditions"], .array(Self.settingCondition(
                current["status"]?["conditions"], type: "PodScheduled", status: "True", now: now)))
            return bound
        }
        return .json(Self.successStatus(code: 201), status: 201)
    }

    /// `conditions` with the condition of `type` set to `status` (transition time changed only when it flips).
    static func settingCondition(_ conditions: JSONValue?, type: String, status: String, now: String) -> [JSONValue] {
        var list: [JSONValue] = []
        if case .array(let existing)? = conditions { list = existing }
        let condition: JSONValue = [
            "type": .string(type), "status": .string(status), "lastProbeTime": .null,
            "lastTransitionTime": .string(now),
        ]
        if let index = list.firstIndex(where: { $0["type"]?.stringValue == type }) {
            if list[index]["status"]?.stringValue != status { list[index] = condition }
        } else {
            list.append(condition)
        }
        return list
    }

    /// A `Status` with `status: Success`, as subresources that create nothing return.
    static func successStatus(code: Int64) -> JSONValue {
        ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success", "code": .integer(code)]
    }

    /// A JSON body of a subresource POST (`Binding`, `Eviction`), with its kind checked when present.
    func decodeSubresourceBody(_ context: RequestContext, kind: String) throws -> JSONValue {
        let contentType = context.request.contentType
        if !contentType.hasPrefix("application/json") && !contentType.hasPrefix("*/*") && !contentType.isEmpty {
            throw APIError.unsupportedMediaType(accepted: ["application/json"])
        }
        let body: JSONValue
        do {
            body = try JSONValueParser.parse(context.request.body)
        } catch {
            throw APIError.badRequest("error decoding \(kind): \(error)")
        }
        guard case .object = body else { throw APIError.badRequest("the body of the request must be a JSON object") }
        if let bodyKind = body["kind"]?.stringValue, !bodyKind.isEmpty, bodyKind != kind {
            throw APIError.badRequest("the kind in the request body (\(bodyKind)) does not match the kind of the resource (\(kind))")
        }
        return body
    }
}
