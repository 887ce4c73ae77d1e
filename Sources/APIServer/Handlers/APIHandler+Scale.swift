import Foundation
import KubeAPI
import KubeCore

/// The `scale` subresource (deployments, replicasets, statefulsets, replicationcontrollers): an
/// `autoscaling/v1` `Scale` view of the parent's `spec.replicas`, read and written through the parent.
extension APIHandler {
    static let scaleGroupKind = GroupKind(group: "autoscaling", kind: "Scale")

    func getScale(_ context: RequestContext) async throws -> APIResponse {
        let stored = try await objects.get(context.resource, namespace: context.namespace, name: context.name!)
        return .json(try Self.scale(of: stored.object))
    }

    /// PUT (a whole `Scale`) or PATCH (any patch type, applied to the current `Scale`).
    func updateScale(_ context: RequestContext) async throws -> APIResponse {
        try checkDryRun(context)
        let patch: (contentType: String, document: JSONValue)?
        var replacement: JSONValue?
        if context.request.method == "PATCH" {
            patch = try decodePatchBody(context)
        } else {
            patch = nil
            let (body, _) = try JSONValueParser.parseReportingDuplicates(context.request.body)
            guard case .object = body else { throw APIError.badRequest("the body of the request must be a JSON object") }
            if let kind = body["kind"]?.stringValue, !kind.isEmpty, kind != "Scale" {
                throw APIError.badRequest("the kind in the request body (\(kind)) does not match the kind of the resource (Scale)")
            }
            if let name = body["metadata"]?["name"]?.stringValue, !name.isEmpty, name != context.name {
                throw APIError.badRequest("the name of the object (\(name)) does not match the name on the URL (\(context.name!))")
            }
            replacement = body
        }
        let result = try await guaranteedUpdate(context, precondition: "") { current in
            let old = try Self.scale(of: current)
            let new: JSONValue
            if let patch {
                new = try Self.patched(old, by: patch.document, contentType: patch.contentType,
                                          schema: KindSchemas.schema(group: "autoscaling", version: "v1", kind: "Scale"))
            } else {
                new = replacement!
            }
            let replicas = try Self.validatedReplicas(new, name: context.name!)
            let rv = new["metadata"]?["resourceVersion"]?.stringValue ?? ""
            if !rv.isEmpty, rv != current.resourceVersion {
                throw APIError.conflict(context.resource.groupResource, name: context.name!,
                    message: "the object has been modified; please apply your changes to the latest version and try again")
            }
            var updated = current
            updated.set(["spec", "replicas"], .integer(replicas))
            return updated
        }
        return .json(try Self.scale(of: result.object))
    }

    /// `spec.replicas` of a `Scale`, checked like upstream `ValidateScale`.
    static func validatedReplicas(_ scale: JSONValue, name: String) throws -> Int64 {
        let value = scale["spec"]?["replicas"] ?? .integer(0)
        guard let replicas = value.integerValue else {
            throw APIError.badRequest("Scale in version \"v1\" cannot be handled as a Scale: spec.replicas: expected an integer")
        }
        if replicas < 0 {
            throw APIError.invalid(scaleGroupKind, name: name, errors: [
                .invalid(FieldPath("spec", "replicas"), .integer(replicas), "must be greater than or equal to 0"),
            ])
        }
        return replicas
    }

    /// The `autoscaling/v1` `Scale` of a scalable object.
    static func scale(of object: JSONValue) throws -> JSONValue {
        var metadata: [String: JSONValue] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = object["metadata"]?[field] { metadata[field] = value }
        }
        var status: [String: JSONValue] = ["replicas": .integer(object["status"]?["replicas"]?.integerValue ?? 0)]
        if let selector = try scaleSelector(object), !selector.isEmpty { status["selector"] = .string(selector) }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": .object(metadata),
            "spec": ["replicas": .integer(object["spec"]?["replicas"]?.integerValue ?? 0)],
            "status": .object(status),
        ]
    }

    /// The parent's selector in label-selector string form: a ReplicationController's map, or a `LabelSelector`.
    private static func scaleSelector(_ object: JSONValue) throws -> String? {
        guard let selector = object["spec"]?["selector"] else { return nil }
        if object["kind"]?.stringValue == "ReplicationController" {
            guard case .object(let members) = selector else { return nil }
            return members.keys.sorted().map { "\($0)=\(members[$0]?.stringValue ?? "")" }.joined(separator: ",")
        }
        let decoded = try KubeJSON.decode(LabelSelector.self, from: Data(selector.jsonBytes))
        return try LabelSelectorExpression(decoded).description
    }
}
