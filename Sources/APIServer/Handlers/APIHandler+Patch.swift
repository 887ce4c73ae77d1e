import KubeCore

extension APIHandler {
    func patch(_ context: RequestContext) async throws -> APIResponse {
        try checkDryRun(context)
        let contentType = context.request.contentType.split(separator: ";").first.map(String.init) ?? ""
        if contentType == ApplyPatch.mediaType { return try await applyPatch(context) }
        try checkFieldManager(context, options: "PatchOptions")
        if context.query["force"] != nil {
            throw APIError.invalid(GroupKind(group: "meta.k8s.io", kind: "PatchOptions"), name: "", errors: [
                .forbidden(FieldPath("force"), "may not be specified for non-apply patch"),
            ])
        }
        let patchDocument: JSONValue
        do {
            patchDocument = try JSONValueParser.parse(context.request.body)
        } catch {
            throw APIError.badRequest("error decoding patch: \(error)")
        }
        var warnings: [String] = []
        let result = try await guaranteedUpdate(context, precondition: "") { current in
            let patched: JSONValue
            switch contentType {
            case "application/merge-patch+json":
                patched = MergePatch.apply(patchDocument, to: current)
            case "application/json-patch+json":
                patched = try JSONPatch.apply(patchDocument, to: current)
            case "application/strategic-merge-patch+json":
                patched = try StrategicMergePatch.apply(patchDocument, to: current, schema: StrategicMergePatch.schema(for: context.resource))
            default:
                throw APIError.unsupportedMediaType(accepted: [
                    "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
                    ApplyPatch.mediaType,
                ])
            }
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
}
