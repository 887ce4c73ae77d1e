/// An image in the node's store: its manifest, config and layers, under zero or more names.
///
/// A value type; Sendable. A snapshot: later imports, pulls and removals do not change it.
public struct StoredImage: Sendable, Equatable {
    /// The image id, `sha256:<config digest>`, as `crictl images` and the kubelet's `imageID` show it.
    public var id: String { configDigest.description }
    /// The first 12 hex digits of the id.
    public var shortID: String { configDigest.shortHex }
    public let configDigest: ImageDigest
    public let manifestDigest: ImageDigest
    /// Normalized references (`docker.io/library/busybox:latest`), sorted; empty for an image whose name
    /// moved to a newer image (a dangling image, shown as `<none>`).
    public let names: [String]
    /// Bytes stored for the image: config plus layer blobs (compressed where the layers are).
    public let size: Int
    /// The layers, bottom to top.
    public let layers: [StoredLayer]
    public let configuration: ImageConfiguration

    /// The diff_ids (digests of the uncompressed layer tars), bottom to top.
    public var layerDiffIDs: [ImageDigest] { layers.map(\.diffID) }

    /// `repository@manifest-digest` for each distinct repository of `names`, e.g.
    /// `docker.io/library/busybox@sha256:…` (the form a pod's status reports as `imageID`).
    public var repoDigests: [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for name in names {
            guard let reference = try? ImageReference(parsing: name) else { continue }
            let repoDigest = reference.repositoryName + "@" + manifestDigest.description
            if seen.insert(repoDigest).inserted { result.append(repoDigest) }
        }
        return result
    }

    public init(
        configDigest: ImageDigest, manifestDigest: ImageDigest, names: [String], size: Int, layers: [StoredLayer],
        configuration: ImageConfiguration
    ) {
        self.configDigest = configDigest
        self.manifestDigest = manifestDigest
        self.names = names
        self.size = size
        self.layers = layers
        self.configuration = configuration
    }
}

/// One layer of a stored image: the blob as stored (maybe compressed) and the digest of its uncompressed tar.
///
/// A value type; Sendable.
public struct StoredLayer: Sendable, Equatable {
    /// The digest of the blob as stored (`blobs/sha256/<hex>`).
    public let digest: ImageDigest
    /// The digest of the uncompressed tar (the config's `rootfs.diff_ids` entry); names the unpacked directory.
    public let diffID: ImageDigest
    public let mediaType: String
    public let size: Int

    public init(digest: ImageDigest, diffID: ImageDigest, mediaType: String, size: Int) {
        self.digest = digest
        self.diffID = diffID
        self.mediaType = mediaType
        self.size = size
    }
}
