import Foundation
import HostSystem
import Logging

/// Imports the images of an archive tar into an `ImageStore`:
///
/// - an OCI archive (`oci-layout` + `index.json` + `blobs/`), including Docker ≥ 25 `docker save` tars
///   that carry both formats: names come from the `io.containerd.image.name` annotation, else from
///   `org.opencontainers.image.ref.name` (a full reference, or a tag joined to the default repository,
///   else to the `RepoTags` of a `manifest.json` beside it);
/// - a `docker save` tar (`manifest.json`, config `<hex>.json`, layer tars named by diff_id): the layers
///   are stored as they are (plain tars keep media type `…layer.v1.tar`) and Swiftlet writes an OCI
///   manifest for them.
///
/// Every manifest, config and layer is hashed and checked against its digest (and plain layers against
/// their diff_id) before anything is stored. The archive is extracted with the system `tar` into a scratch
/// directory under the store root, which is deleted afterwards.
///
/// Stateless apart from its inputs; used by one task.
struct ImageArchiveImporter {
    let store: ImageStore
    let archivePath: String
    let defaultRepository: ImageReference?

    /// A manifest to record and the names to record it under.
    private struct Candidate {
        var manifestBytes: [UInt8]
        var names: [ImageReference]
    }

    func run() async throws(ImageError) -> [StoredImage] {
        guard StoreFiles.exists(archivePath) else {
            throw .fileSystem(operation: "open", path: archivePath, reason: "no such file")
        }
        let directory = store.makeTemporaryPath(prefix: "import")
        let result: Result<[StoredImage], ImageError>
        do {
            result = .success(try await importExtracted(into: directory))
        } catch {
            result = .failure(error)
        }
        try? await StoreFiles.removeTree(directory)
        return try result.get()
    }

    private func importExtracted(into directory: String) async throws(ImageError) -> [StoredImage] {
        try StoreFiles.makeDirectory(directory)
        do {
            try await HostCommand.runChecked("tar", ["-x", "-f", archivePath, "-C", directory, "--no-same-owner"])
        } catch {
            throw .archiveUnreadable(path: archivePath, reason: error.description)
        }
        let dockerEntries = try readDockerManifest(in: directory)
        let candidates: [Candidate]
        if StoreFiles.exists(directory + "/oci-layout") {
            candidates = try await ociCandidates(in: directory, dockerEntries: dockerEntries ?? [])
        } else if let dockerEntries {
            candidates = try await dockerCandidates(in: directory, entries: dockerEntries)
        } else {
            throw .unsupportedArchive(path: archivePath, reason: "it has neither oci-layout nor manifest.json")
        }
        guard !candidates.isEmpty else { throw .unsupportedArchive(path: archivePath, reason: "it lists no image") }

        var images: [StoredImage] = []
        for candidate in candidates {
            var image: StoredImage
            if candidate.names.isEmpty {
                image = try store.recordImage(name: nil as ImageReference?, manifestBytes: candidate.manifestBytes)
            } else {
                image = try store.recordImage(name: candidate.names[0], manifestBytes: candidate.manifestBytes)
                for name in candidate.names.dropFirst() {
                    image = try store.recordImage(name: name, manifestBytes: candidate.manifestBytes)
                }
            }
            images.removeAll { $0.manifestDigest == image.manifestDigest }
            images.append(image)
        }
        // Names recorded later may have moved off an image recorded earlier: return the final state.
        let current = store.images()
        return images.map { image in current.first { $0.manifestDigest == image.manifestDigest } ?? image }
    }

    // MARK: - OCI layout

    private func ociCandidates(
        in directory: String, dockerEntries: [DockerArchiveManifestEntry]
    ) async throws(ImageError) -> [Candidate] {
        let indexBytes = try StoreFiles.read(
            directory + "/index.json",
            missing: .unsupportedArchive(path: archivePath, reason: "oci-layout without index.json"))
        guard case .index(let index) = try ManifestParser.document(indexBytes, what: "index.json of \(archivePath)")
        else { throw .malformedDocument(what: "index.json of \(archivePath)", reason: "it is not an image index") }

        var verified: Set<ImageDigest> = []
        var candidates: [Candidate] = []
        var blobs: [(path: String, digest: ImageDigest)] = []
        for descriptor in index.manifests {
            guard let manifestDescriptor = try await platformManifest(
                descriptor, in: directory, verified: &verified) else { continue }
            let manifestBytes = try await verifiedBlob(manifestDescriptor, in: directory, verified: &verified)
            let manifest = try ManifestParser.imageManifest(
                manifestBytes, what: "image manifest \(manifestDescriptor.digest) in \(archivePath)")
            let configBytes = try await verifiedBlob(manifest.config, in: directory, verified: &verified)
            let (_, diffIDs) = try ImageConfiguration.parse(configBytes: configBytes)
            guard diffIDs.count == manifest.layers.count else {
                throw .malformedDocument(
                    what: "image \(manifestDescriptor.digest) in \(archivePath)",
                    reason: "\(manifest.layers.count) layers but \(diffIDs.count) diff_ids")
            }
            for (layer, diffID) in zip(manifest.layers, diffIDs) {
                _ = try await verifiedBlobPath(layer, in: directory, verified: &verified)
                if layer.mediaType == OCIMediaType.ociLayer && layer.digest != diffID {
                    throw .digestMismatch(
                        what: "uncompressed layer \(layer.digest) in \(archivePath)", expected: diffID, actual: layer.digest)
                }
            }
            let names = try ociNames(
                descriptor, configDigest: manifest.config.digest, dockerEntries: dockerEntries)
            candidates.append(Candidate(manifestBytes: manifestBytes, names: names))
            for blob in [manifest.config] + manifest.layers where !blobs.contains(where: { $0.digest == blob.digest }) {
                blobs.append((ociBlobPath(blob.digest, in: directory), blob.digest))
            }
        }
        // Only once every image of the archive checked out, so a bad archive leaves nothing behind.
        for blob in blobs { try await store.placeVerifiedBlob(at: blob.path, digest: blob.digest) }
        return candidates
    }

    /// The image manifest a top-level `index.json` entry stands for: itself, or for a nested index the entry
    /// for this node's platform whose blob the archive holds.
    private func platformManifest(
        _ descriptor: OCIDescriptor, in directory: String, verified: inout Set<ImageDigest>
    ) async throws(ImageError) -> OCIDescriptor? {
        if OCIMediaType.manifests.contains(descriptor.mediaType) { return descriptor }
        guard OCIMediaType.indexes.contains(descriptor.mediaType) else { return nil }
        let bytes = try await verifiedBlob(descriptor, in: directory, verified: &verified)
        guard case .index(let nested) = try ManifestParser.document(bytes, what: "image index \(descriptor.digest)")
        else { return nil }
        for child in nested.manifests where NodePlatform.matches(child.platform) {
            guard StoreFiles.exists(ociBlobPath(child.digest, in: directory)) else { continue }
            if let manifest = try await platformManifest(child, in: directory, verified: &verified) {
                return manifest
            }
        }
        return nil
    }

    private func ociNames(
        _ descriptor: OCIDescriptor, configDigest: ImageDigest, dockerEntries: [DockerArchiveManifestEntry]
    ) throws(ImageError) -> [ImageReference] {
        let annotations = descriptor.annotations ?? [:]
        if let name = annotations["io.containerd.image.name"] { return [try ImageReference(parsing: name)] }
        if let refName = annotations["org.opencontainers.image.ref.name"] {
            if refName.contains("/") || refName.contains(":") { return [try ImageReference(parsing: refName)] }
            if let defaultRepository { return [try defaultRepository.withTag(refName)] }
        }
        if let entry = dockerEntries.first(where: { $0.Config.hasSuffix(configDigest.hex) || $0.Config.hasSuffix(configDigest.hex + ".json") }) {
            return try (entry.RepoTags ?? []).map { (tag: String) throws(ImageError) in try ImageReference(parsing: tag) }
        }
        return []
    }

    private func ociBlobPath(_ digest: ImageDigest, in directory: String) -> String {
        directory + "/blobs/sha256/" + digest.hex
    }

    private func verifiedBlobPath(
        _ descriptor: OCIDescriptor, in directory: String, verified: inout Set<ImageDigest>
    ) async throws(ImageError) -> String {
        let path = ociBlobPath(descriptor.digest, in: directory)
        if verified.contains(descriptor.digest) { return path }
        guard StoreFiles.exists(path) else {
            throw .unsupportedArchive(path: archivePath, reason: "blob \(descriptor.digest) is missing")
        }
        try await Self.verify(path, digest: descriptor.digest, size: descriptor.size, what: "blob \(descriptor.digest) in \(archivePath)")
        verified.insert(descriptor.digest)
        return path
    }

    private func verifiedBlob(
        _ descriptor: OCIDescriptor, in directory: String, verified: inout Set<ImageDigest>
    ) async throws(ImageError) -> [UInt8] {
        try StoreFiles.read(try await verifiedBlobPath(descriptor, in: directory, verified: &verified))
    }

    private static func verify(_ path: String, digest: ImageDigest, size: Int?, what: String) async throws(ImageError) {
        let (actual, actualSize) = try await BlockingWork.run { () throws(ImageError) in
            try SHA256Hasher.digest(ofFileAt: path)
        }
        guard actual == digest else { throw .digestMismatch(what: what, expected: digest, actual: actual) }
        if let size, size != actualSize { throw .sizeMismatch(what: what, expected: size, actual: actualSize) }
    }

    // MARK: - docker save

    private func readDockerManifest(in directory: String) throws(ImageError) -> [DockerArchiveManifestEntry]? {
        let path = directory + "/manifest.json"
        guard StoreFiles.exists(path) else { return nil }
        let bytes = try StoreFiles.read(path)
        do {
            return try JSONDecoder().decode([DockerArchiveManifestEntry].self, from: Data(bytes))
        } catch {
            throw .malformedDocument(what: "manifest.json of \(archivePath)", reason: "\(error)")
        }
    }

    private func dockerCandidates(
        in directory: String, entries: [DockerArchiveManifestEntry]
    ) async throws(ImageError) -> [Candidate] {
        var placed: [String: OCIDescriptor] = [:]      // layer file -> stored descriptor
        var blobs: [(path: String, digest: ImageDigest)] = []
        var configs: [[UInt8]] = []
        var candidates: [Candidate] = []
        for entry in entries {
            let configPath = try member(entry.Config, in: directory)
            let configBytes = try StoreFiles.read(configPath)
            let configDigest = ImageDigest(of: configBytes)
            let (_, diffIDs) = try ImageConfiguration.parse(configBytes: configBytes)
            guard diffIDs.count == entry.Layers.count else {
                throw .malformedDocument(
                    what: "manifest.json of \(archivePath)",
                    reason: "\(entry.Config) lists \(diffIDs.count) diff_ids but the entry has \(entry.Layers.count) layers")
            }
            var layers: [OCIDescriptor] = []
            for (file, diffID) in zip(entry.Layers, diffIDs) {
                if let descriptor = placed[file] {
                    layers.append(descriptor)
                    continue
                }
                let path = try member(file, in: directory)
                let what = "layer \(file) in \(archivePath)"
                let (digest, size) = try await BlockingWork.run { () throws(ImageError) in
                    try SHA256Hasher.digest(ofFileAt: path)
                }
                let compression = try LayerCompression.sniff(path: path, layer: digest)
                let uncompressed = compression == .none
                    ? digest : try await compression.uncompressedDigest(ofBlobAt: path, diffID: diffID)
                guard uncompressed == diffID else {
                    throw .digestMismatch(what: what, expected: diffID, actual: uncompressed)
                }
                blobs.append((path, digest))
                let descriptor = OCIDescriptor(mediaType: compression.ociMediaType, digest: digest, size: size)
                placed[file] = descriptor
                layers.append(descriptor)
            }
            configs.append(configBytes)
            let manifest = OCIManifest(
                schemaVersion: 2, mediaType: OCIMediaType.ociManifest,
                config: OCIDescriptor(mediaType: OCIMediaType.ociConfig, digest: configDigest, size: configBytes.count),
                layers: layers)
            let names = try (entry.RepoTags ?? []).map { (tag: String) throws(ImageError) in
                try ImageReference(parsing: tag)
            }
            candidates.append(Candidate(manifestBytes: try ManifestParser.encode(manifest), names: names))
        }
        // Only once every image of the archive checked out, so a bad archive leaves nothing behind.
        for blob in blobs { try await store.placeVerifiedBlob(at: blob.path, digest: blob.digest) }
        for config in configs { try store.ingestBlob(bytes: config) }
        return candidates
    }

    /// The path of an archive member named in manifest.json, refusing names that leave the archive.
    private func member(_ name: String, in directory: String) throws(ImageError) -> String {
        guard !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
            throw .malformedDocument(what: "manifest.json of \(archivePath)", reason: "member \(name) leaves the archive")
        }
        let path = directory + "/" + name
        guard StoreFiles.exists(path) else {
            throw .unsupportedArchive(path: archivePath, reason: "\(name) named in manifest.json is missing")
        }
        return path
    }
}

extension ImageStore {
    /// Imports every image of a `docker save` tar or an OCI archive tar (see `ImageArchiveImporter`) and
    /// returns them. OCI entries named only by a tag (`org.opencontainers.image.ref.name` = `v2`) are named
    /// `<defaultRepository>:<tag>` when `defaultRepository` is given (e.g. `local/bbx`), else they keep the
    /// names of a `manifest.json` beside them, else none (listed as `<none>`, usable by id).
    @discardableResult
    public func importArchive(at path: String, defaultRepository: String? = nil) async throws(ImageError) -> [StoredImage] {
        let repository = try defaultRepository.map { (text: String) throws(ImageError) in try ImageReference(parsing: text) }
        let images = try await ImageArchiveImporter(store: self, archivePath: path, defaultRepository: repository).run()
        logger.info(
            "Imported image archive",
            metadata: ["path": "\(path)", "images": "\(images.map { $0.names.first ?? $0.id })"])
        return images
    }
}
