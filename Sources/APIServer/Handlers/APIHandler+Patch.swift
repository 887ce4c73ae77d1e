import Foundation
import KubeAPI
import KubeCore

extension APIHandler {
    func patch(_ context: RequestContext) async throws -> APIResponse {
        try checkDryRun(context)
        if Self.mediaType(context) == ApplyPatch.mediaType { return try await applyPatch(context) }
        try checkFieldManager(context, options: "PatchOptions")
        if context.query["force"] != nil {
            throw APIError.invalid(GroupKind(group: "meta.k8s.io", kind: "PatchOptions"), name: "", errors: [
                .forbidden(FieldPath("force"), "may not be specified for non-apply patch"),
            ])
        }
        let (contentType, patchDocument) = try decodePatchBody(context)
        var warnings: [String] = []
        let result = try await guaranteedUpdate(context, precondition: "") { current in
            let patched = try Self.patched(
                current, by: patchDocument, contentType: contentType,
                schema: StrategicMergePatch.schema(for: context.resource))
            if !patched.resourceVersion.isEmpty, patched.resourceVersion != current.resourceVersion {
                throw APIError.conflict(context.resource.groupResource, name: context.name!,
                    message: "the object has been modified; please apply your changes to the latest version and try again")
            }
            try checkTypeMeta(patched, resource: context.resource)
            let normalized = try normalize(patched, duplicates: [], context: context)
            warnings = normalized.warnings
            return normalized.object
        }
        return .json(result.object, warnings: warnings)
    }

    /// The request's media type without parameters.
    static func mediaType(_ context: RequestContext) -> String {
        context.request.contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// The patch media type (JSON, merge or strategic merge) and the parsed patch document.
    func decodePatchBody(_ context: RequestContext) throws -> (contentType: String, document: JSONValue) {
        let contentType = Self.mediaType(context)
        guard Self.patchMediaTypes.contains(contentType) else {
            throw APIError.unsupportedMediaType(accepted: Self.patchMediaTypes + [ApplyPatch.mediaType])
        }
        do {
            return (contentType, try JSONValueParser.parse(context.request.body))
        } catch {
            throw APIError.badRequest("error decoding patch: \(error)")
        }
    }

    static let patchMediaTypes = [
        "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
    ]

    /// `current` after a JSON, merge or strategic merge patch (by media type).
    static func patched(_ current: JSONValue, by document: JSONValue, contentType: String, schema: TypeSchema?)
        throws -> JSONValue
    {
        switch contentType {
        case "application/merge-patch+json":
            return MergePatch.apply(document, to: current)
        case "application/json-patch+json":
            return try JSONPatch.apply(document, to: current)
        case "application/strategic-merge-patch+json":
            return try StrategicMergePatch.apply(document, to: current, schema: schema)
        default:
            throw APIError.unsupportedMediaType(accepted: patchMediaTypes + [ApplyPatch.mediaType])
        }
    }
}
