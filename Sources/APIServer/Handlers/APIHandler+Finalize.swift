import KubeCore

extension APIHandler {
    /// `PUT /api/v1/namespaces/{name}/finalize` (upstream `FinalizeREST`): replaces the namespace's
    /// `spec.finalizers` (and metadata, as any update may) while status stays the stored one. Once a
    /// terminating namespace has neither spec nor metadata finalizers, the update removes it.
    func finalizeNamespace(_ context: RequestContext) async throws -> APIResponse {
        try checkDryRun(context)
        try checkFieldManager(context, options: "UpdateOptions")
        let (body, duplicates) = try decodeBody(context)
        if !body.name.isEmpty, body.name != context.name {
            throw APIError.badRequest("the name of the object (\(body.name)) does not match the name on the URL (\(context.name!))")
        }
        // Defaulting would put `kubernetes` back into an emptied list: keep exactly what the client sent.
        let requested = body["spec"]?["finalizers"] ?? .array([])
        var (object, warnings) = try normalize(body, duplicates: duplicates, context: context)
        object.set(["spec", "finalizers"], requested)
        let result = try await guaranteedUpdate(context, precondition: body.resourceVersion) { _ in object }
        return .json(result.object, warnings: warnings)
    }
}
