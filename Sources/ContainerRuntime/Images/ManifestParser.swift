import Foundation

/// Decodes manifest and index bytes and rejects what the node cannot run (schema1 manifests, indexes where
/// a manifest is needed, foreign or non-distributable layers, non-image configs).
///
/// Stateless pure functions; Sendable.
enum ManifestParser {
    enum Document: Sendable {
        case manifest(OCIManifest)
        case index(OCIIndex)
    }

    /// A manifest or an index, told apart by `mediaType` (or by which of `config` / `manifests` is present).
    static func document(_ bytes: [UInt8], what: String) throws(ImageError) -> Document {
        let probe: OCIMediaTypeProbe
        do { probe = try JSONDecoder().decode(OCIMediaTypeProbe.self, from: Data(bytes)) } catch {
            throw .malformedDocument(what: what, reason: "\(error)")
        }
        if let mediaType = probe.mediaType,
           mediaType == OCIMediaType.dockerSchema1 || mediaType == OCIMediaType.dockerSchema1Signed {
            throw .unsupportedMediaType(mediaType, what: what + " (Docker schema 1 is obsolete; push the image again)")
        }
        if probe.schemaVersion == 1 {
            throw .unsupportedMediaType("schemaVersion 1", what: what + " (Docker schema 1 is obsolete)")
        }
        let isIndex = probe.mediaType.map { OCIMediaType.indexes.contains($0) }
            ?? (probe.manifests != nil && probe.config == nil)
        do {
            if isIndex { return .index(try JSONDecoder().decode(OCIIndex.self, from: Data(bytes))) }
            if let mediaType = probe.mediaType, !OCIMediaType.manifests.contains(mediaType) {
                throw ImageError.unsupportedMediaType(mediaType, what: what)
            }
            return .manifest(try JSONDecoder().decode(OCIManifest.self, from: Data(bytes)))
        } catch let error as ImageError {
            throw error
        } catch {
            throw .malformedDocument(what: what, reason: "\(error)")
        }
    }

    /// An image manifest whose config and layers Swiftlet can use.
    static func imageManifest(_ bytes: [UInt8], what: String = "image manifest") throws(ImageError) -> OCIManifest {
        guard case .manifest(let manifest) = try document(bytes, what: what) else {
            throw .unsupportedMediaType(
                OCIMediaType.ociIndex, what: what + " (an index; choose the platform manifest first)")
        }
        guard OCIMediaType.configs.contains(manifest.config.mediaType) else {
            throw .unsupportedMediaType(manifest.config.mediaType, what: "image config of " + what)
        }
        for layer in manifest.layers where !OCIMediaType.layers.contains(layer.mediaType) {
            throw .unsupportedMediaType(layer.mediaType, what: "layer \(layer.digest) of " + what)
        }
        return manifest
    }

    /// Canonical bytes for a manifest Swiftlet writes itself (sorted keys, so the same image always gets
    /// the same manifest digest).
    static func encode(_ manifest: OCIManifest) throws(ImageError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return Array(try encoder.encode(manifest)) } catch {
            throw .malformedDocument(what: "image manifest", reason: "\(error)")
        }
    }
}
