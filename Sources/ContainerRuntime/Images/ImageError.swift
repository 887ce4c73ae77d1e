/// What went wrong with an image reference, the image store, an archive import, a layer or a rootfs mount.
///
/// A value type; Sendable. `description` says what happened and what to do; the kubelet shows it in pod
/// events and container status messages.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a valid image reference (`reason` names the rule it breaks).
    case invalidReference(String, reason: String)
    /// The text is not `sha256:` followed by 64 lowercase hex digits.
    case invalidDigest(String)
    /// No image in the store has this name, id or id prefix.
    case imageNotFound(String)
    /// An id prefix matches more than one image.
    case ambiguousImageID(String)
    /// A blob an image needs is not in the store.
    case blobNotFound(ImageDigest)
    /// Content does not hash to the digest that names it (corrupt or truncated download, archive or layer).
    case digestMismatch(what: String, expected: ImageDigest, actual: ImageDigest)
    /// Content has a different size than its descriptor says.
    case sizeMismatch(what: String, expected: Int, actual: Int)
    /// A JSON document (manifest, index, config, manifest.json) is not what the OCI or Docker formats define.
    case malformedDocument(what: String, reason: String)
    /// A media type Swiftlet cannot use (a schema1 manifest, a foreign layer, an unknown config type).
    case unsupportedMediaType(String, what: String)
    /// The file is neither a `docker save` tar nor an OCI archive, or the archive lists no image.
    case unsupportedArchive(path: String, reason: String)
    /// The archive could not be read (tar failed).
    case archiveUnreadable(path: String, reason: String)
    /// A layer is compressed in a format the node cannot decompress.
    case unsupportedCompression(layer: ImageDigest, format: String)
    /// A layer could not be unpacked (tar failed, bad whiteout); nothing of it was kept.
    case layerExtractionFailed(diffID: ImageDigest, reason: String)
    /// A file-system operation in the store failed.
    case fileSystem(operation: String, path: String, reason: String)
    /// An overlay mount or unmount failed.
    case mountFailed(target: String, reason: String)
    /// Another process (or another `ImageStore` in this process) has the store open.
    case storeInUse(root: String, holder: String)

    public var description: String {
        switch self {
        case .invalidReference(let text, let reason):
            "invalid image reference \"\(text)\": \(reason)"
        case .invalidDigest(let text):
            "invalid digest \"\(text)\": expected sha256: followed by 64 lowercase hex digits"
        case .imageNotFound(let name):
            "image \"\(name)\" not found in the node's image store; pull or import it first"
        case .ambiguousImageID(let prefix):
            "image id prefix \"\(prefix)\" matches more than one image; give more digits or a name"
        case .blobNotFound(let digest):
            "blob \(digest) is not in the image store; pull or import the image again"
        case .digestMismatch(let what, let expected, let actual):
            "\(what) has digest \(actual) but \(expected) was expected; the content is corrupt or truncated, "
                + "fetch it again"
        case .sizeMismatch(let what, let expected, let actual):
            "\(what) has \(actual) bytes but its descriptor says \(expected); the content is corrupt or truncated"
        case .malformedDocument(let what, let reason):
            "malformed \(what): \(reason)"
        case .unsupportedMediaType(let mediaType, let what):
            "unsupported media type \(mediaType) for \(what)"
        case .unsupportedArchive(let path, let reason):
            "\(path) is not an image archive Swiftlet can import (docker save or OCI archive tar): \(reason)"
        case .archiveUnreadable(let path, let reason):
            "cannot read image archive \(path): \(reason)"
        case .unsupportedCompression(let layer, let format):
            "layer \(layer) is compressed with \(format), which this node cannot decompress; "
                + "use gzip or uncompressed layers"
        case .layerExtractionFailed(let diffID, let reason):
            "cannot unpack layer \(diffID): \(reason); the layer was discarded, pull or import the image again"
        case .fileSystem(let operation, let path, let reason):
            "\(operation) \(path) failed: \(reason)"
        case .mountFailed(let target, let reason):
            "cannot mount the container root file system on \(target): \(reason)"
        case .storeInUse(let root, let holder):
            "the image store \(root) is in use by \(holder); stop it first (one swiftlet process owns a store)"
        }
    }
}
