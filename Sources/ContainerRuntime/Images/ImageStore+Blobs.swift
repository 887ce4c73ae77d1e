#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Logging
import Synchronization

/// The blob API the registry puller uses: check for a blob, download into a scratch file, ingest it with
/// digest verification, then record the image from its manifest.
extension ImageStore {
    /// Where the blob with `digest` lives (it may not exist yet).
    public func blobPath(_ digest: ImageDigest) -> String {
        blobsDirectory + "/" + digest.hex
    }

    /// Whether the blob is present. A present blob is pinned (kept by garbage collection) until an image
    /// that uses it is recorded, so a puller can skip its download safely.
    public func hasBlob(_ digest: ImageDigest) -> Bool {
        let path = blobPath(digest)
        return state.withLock { state in
            guard StoreFiles.exists(path) else { return false }
            state.pinnedBlobs.insert(digest)
            return true
        }
    }

    /// A fresh path in the store's scratch directory (same file system as the blobs) for a download that
    /// `ingestBlob(from:expectedDigest:)` then moves into place. Nothing is created.
    public func makeTemporaryPath(prefix: String = "download") -> String {
        temporaryDirectory + "/" + prefix + "-" + StoreFiles.randomSuffix()
    }

    /// Moves the file at `path` into the store as the blob `expectedDigest` after checking its sha256 (and
    /// size, when given). The file is consumed either way: moved into the store, or deleted when it does
    /// not match (`ImageError.digestMismatch` / `.sizeMismatch`).
    public func ingestBlob(
        from path: String, expectedDigest: ImageDigest, expectedSize: Int? = nil
    ) async throws(ImageError) {
        let (digest, size) = try await BlockingWork.run { () throws(ImageError) in
            try SHA256Hasher.digest(ofFileAt: path)
        }
        guard digest == expectedDigest else {
            unlink(path)
            throw .digestMismatch(what: "blob \(expectedDigest)", expected: expectedDigest, actual: digest)
        }
        if let expectedSize, expectedSize != size {
            unlink(path)
            throw .sizeMismatch(what: "blob \(expectedDigest)", expected: expectedSize, actual: size)
        }
        try await placeVerifiedBlob(at: path, digest: digest)
    }

    /// Stores `bytes` as a blob (manifests and configs) and returns its digest; with `expectedDigest` the
    /// bytes must hash to it.
    @discardableResult
    public func ingestBlob(bytes: [UInt8], expectedDigest: ImageDigest? = nil) throws(ImageError) -> ImageDigest {
        let digest = ImageDigest(of: bytes)
        if let expectedDigest, expectedDigest != digest {
            throw .digestMismatch(what: "blob \(expectedDigest)", expected: expectedDigest, actual: digest)
        }
        let destination = blobPath(digest)
        try state.withLock { state throws(ImageError) in
            if !StoreFiles.exists(destination) { try AtomicFile.write(bytes, to: destination) }
            state.pinnedBlobs.insert(digest)
        }
        return digest
    }

    /// The bytes of a stored blob (for manifests and configs; not meant for layers).
    public func readBlob(_ digest: ImageDigest) throws(ImageError) -> [UInt8] {
        try StoreFiles.read(blobPath(digest), missing: .blobNotFound(digest))
    }

    /// Records an image from its manifest bytes (OCI or Docker schema 2 image manifest, not an index) and
    /// points `name` at it (moving the name off any other image). The manifest is stored as a blob; its
    /// config and layer blobs must already be in the store. `name` nil records the image without a name.
    @discardableResult
    public func recordImage(name: ImageReference?, manifestBytes: [UInt8]) throws(ImageError) -> StoredImage {
        let manifestDigest = ImageDigest(of: manifestBytes)
        let manifest = try ManifestParser.imageManifest(manifestBytes, what: "image manifest \(manifestDigest)")
        for blob in [manifest.config] + manifest.layers where !StoreFiles.exists(blobPath(blob.digest)) {
            throw .blobNotFound(blob.digest)
        }
        let configBytes = try readBlob(manifest.config.digest)
        let parsed = try Self.makeImage(
            manifest: manifest, manifestDigest: manifestDigest, configBytes: configBytes, names: [])
        let manifestPath = blobPath(manifestDigest)
        let indexPath = indexPath
        let image = try state.withLock { state throws(ImageError) -> StoredImage in
            // Re-check under the lock: garbage collection may have run since the first check.
            for blob in [manifest.config] + manifest.layers where !StoreFiles.exists(blobPath(blob.digest)) {
                throw .blobNotFound(blob.digest)
            }
            if !StoreFiles.exists(manifestPath) { try AtomicFile.write(manifestBytes, to: manifestPath) }
            var index = state.index
            if let name = name?.normalizedName {
                for position in index.images.indices { index.images[position].names.removeAll { $0 == name } }
                if let position = index.images.firstIndex(where: { $0.manifest == manifestDigest }) {
                    index.images[position].names.append(name)
                    index.images[position].names.sort()
                } else {
                    index.images.append(.init(manifest: manifestDigest, names: [name]))
                }
            } else if !index.images.contains(where: { $0.manifest == manifestDigest }) {
                index.images.append(.init(manifest: manifestDigest, names: []))
            }
            if state.images[manifestDigest] == nil { state.images[manifestDigest] = parsed }
            try Self.apply(index, to: &state, indexPath: indexPath)
            state.pinnedBlobs.subtract([manifestDigest, manifest.config.digest] + manifest.layers.map(\.digest))
            return state.images[manifestDigest] ?? parsed
        }
        logger.info(
            "Recorded image",
            metadata: ["name": "\(name?.normalizedName ?? "<none>")", "id": "\(image.id)",
                       "manifest": "\(manifestDigest)"])
        return image
    }

    /// `recordImage(name:manifestBytes:)` with the name as text (normalized; `ImageError.invalidReference`
    /// when it is not a reference).
    @discardableResult
    public func recordImage(name: String, manifestBytes: [UInt8]) throws(ImageError) -> StoredImage {
        try recordImage(name: try ImageReference(parsing: name), manifestBytes: manifestBytes)
    }

    /// Renames a verified file into `blobs/sha256/<hex>` (copying first if it is on another file system)
    /// and pins it.
    func placeVerifiedBlob(at path: String, digest: ImageDigest) async throws(ImageError) {
        let destination = blobPath(digest)
        var source = path
        if !Self.isSameFileSystem(path, temporaryDirectory) {
            let copy = makeTemporaryPath(prefix: "copy")
            do { try FileManager.default.copyItem(atPath: path, toPath: copy) } catch {
                throw .fileSystem(operation: "copy", path: path, reason: "\(error.localizedDescription)")
            }
            unlink(path)
            source = copy
        }
        let movedSource = source
        try state.withLock { state throws(ImageError) in
            if StoreFiles.exists(destination) {
                unlink(movedSource)
            } else {
                try StoreFiles.rename(movedSource, to: destination)
            }
            state.pinnedBlobs.insert(digest)
        }
    }

    private static func isSameFileSystem(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        return stat(first, &a) == 0 && stat(second, &b) == 0 && a.st_dev == b.st_dev
    }
}
