import Foundation

/// What a manifest response holds, from its `Content-Type` or, when that is generic or missing, from the
/// body's `mediaType`, `schemaVersion` and fields.
///
/// Value type; pure.
enum ManifestKind: Equatable {
    case manifest
    case index
    case schema1
    case other(String)

    static func classify(mediaType: String?, bytes: [UInt8]) -> ManifestKind {
        if let kind = mediaType.flatMap(known) { return kind }
        let probe = try? JSONDecoder().decode(OCIMediaTypeProbe.self, from: Data(bytes))
        if let kind = probe?.mediaType.flatMap(known) { return kind }
        if probe?.schemaVersion == 1 { return .schema1 }
        if probe?.manifests != nil { return .index }
        if probe?.config != nil { return .manifest }
        return .other(probe?.mediaType ?? mediaType ?? "unknown")
    }

    private static func known(_ mediaType: String) -> ManifestKind? {
        if OCIMediaType.indexes.contains(mediaType) { return .index }
        if OCIMediaType.manifests.contains(mediaType) { return .manifest }
        if mediaType == OCIMediaType.dockerSchema1 || mediaType == OCIMediaType.dockerSchema1Signed { return .schema1 }
        return nil
    }
}
