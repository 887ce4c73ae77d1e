import Foundation
import KubeAPI
import KubeCore

extension APIHandler {
    func patch(_ context: RequestContext) async throws -> APIResponse {
        try checkDryRun(context)
        let (contentType, patchDocument) = try decodePatchBody(context)
        var warnings: [String] = []
        let result = try await guaranteedUpdate(context, precondition: "") { current in
            let patched = try Self.applyPatch(
                patchDocument, contentType: contentType, to: current,
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

    /// The patch media type (without parameters) and the parsed patch document.
    func decodePatchBody(_ context: RequestContext) throws -> (contentType: String, document: JSONValue) {
        let contentType = context.request.contentType.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces)
        } ?? ""
        guard Self.patchMediaTypes.contains(contentType) else {
            throw APIError.unsupportedMediaType(accepted: Self.patchMediaTypes)
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

    /// Applies a JSON, merge or strategic merge patch (by media type) to `current`.
    static func applyPatch(_ document: JSONValue, contentType: String, to current: JSONValue, schema: TypeSchema?)
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
            throw APIError.unsupportedMediaType(accepted: patchMediaTypes)
        }
    }
}
