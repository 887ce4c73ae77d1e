/// The blobs an image manifest needs, decided before anything is downloaded: the config, then the layers bottom
/// to top, each once. Layers Swiftlet cannot unpack (zstd, encrypted, unknown types) fail the plan;
/// foreign / non-distributable layers (Windows base layers) are skipped, as containerd does on Linux.
///
/// Immutable value; pure.
struct PullPlan: Sendable {
    struct Blob: Sendable {
        var descriptor: OCIDescriptor
        var kind: ImagePullProgress.BlobKind
    }

    let blobs: [Blob]

    static let skippedLayerTypes: Set<String> = [
        OCIMediaType.dockerForeignLayer,
        OCIMediaType.ociNondistributableLayer,
        OCIMediaType.ociNondistributableLayer + "+gzip",
        OCIMediaType.ociNondistributableLayer + "+zstd",
    ]

    static let pulledLayerTypes: Set<String> = [
        OCIMediaType.ociLayer, OCIMediaType.ociLayerGzip, OCIMediaType.dockerLayerGzip,
    ]

    init(manifest: OCIManifest) throws(RegistryError) {
        let configType = manifest.config.mediaType
        guard OCIMediaType.configs.contains(configType) else {
            throw RegistryError(.unsupportedManifest, stage: .unpack, detail:
                "the manifest's config has media type \"\(configType)\": this artifact is not a container image")
        }
        var blobs = [Blob(descriptor: manifest.config, kind: .config)]
        var seen: Set<ImageDigest> = [manifest.config.digest]
        for layer in manifest.layers {
            let type = layer.mediaType
            if Self.skippedLayerTypes.contains(type) { continue }
            guard Self.pulledLayerTypes.contains(type) else {
                if type.hasSuffix("+zstd") {
                    throw RegistryError(.unsupportedLayer, stage: .unpack, detail:
                        "layer \(layer.digest) is zstd-compressed (\(type)), which is not supported; push the image "
                        + "with gzip-compressed layers (e.g. skopeo copy --dest-compress-format gzip)")
                }
                throw RegistryError(.unsupportedLayer, stage: .unpack, detail:
                    "layer \(layer.digest) has unsupported media type \"\(type)\"; supported are gzip-compressed and "
                    + "uncompressed tar layers")
            }
            guard layer.size >= 0 else {
                throw RegistryError(.unsupportedManifest, stage: .unpack, detail:
                    "layer \(layer.digest) has a negative size")
            }
            if seen.insert(layer.digest).inserted { blobs.append(Blob(descriptor: layer, kind: .layer)) }
        }
        self.blobs = blobs
    }
}
