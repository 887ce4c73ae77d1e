/// The JSON documents of the OCI image spec and Docker's image formats that the store reads and writes:
/// descriptors, manifests, indexes, image configs and the `manifest.json` of `docker save`.
///
/// Value types; Sendable. Decoding is lenient about fields Swiftlet does not use.
enum OCIMediaType {
    static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    static let ociIndex = "application/vnd.oci.image.index.v1+json"
    static let ociConfig = "application/vnd.oci.image.config.v1+json"
    static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    static let ociNondistributableLayer = "application/vnd.oci.image.layer.nondistributable.v1.tar"
    static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    static let dockerForeignLayer = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    static let dockerSchema1Signed = "application/vnd.docker.distribution.manifest.v1+prettyjws"
    static let dockerSchema1 = "application/vnd.docker.distribution.manifest.v1+json"

    static let manifests: Set<String> = [ociManifest, dockerManifest]
    static let indexes: Set<String> = [ociIndex, dockerManifestList]
    static let configs: Set<String> = [ociConfig, dockerConfig]
    static let layers: Set<String> = [ociLayer, ociLayerGzip, ociLayerZstd, dockerLayerGzip]
}

/// `{mediaType, digest, size, annotations, platform}`.
struct OCIDescriptor: Codable, Sendable, Equatable {
    var mediaType: String
    var digest: ImageDigest
    var size: Int
    var annotations: [String: String]?
    var platform: OCIPlatform?

    init(mediaType: String, digest: ImageDigest, size: Int, annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
    }
}

/// `{architecture, os, variant}` of an index entry.
struct OCIPlatform: Codable, Sendable, Equatable {
    var architecture: String
    var os: String
    var variant: String?
}

/// An image manifest (OCI or Docker schema 2): one config and the layers bottom to top.
struct OCIManifest: Codable, Sendable {
    var schemaVersion: Int
    var mediaType: String?
    var config: OCIDescriptor
    var layers: [OCIDescriptor]
}

/// An image index (OCI) or manifest list (Docker), and the `index.json` of an OCI layout.
struct OCIIndex: Codable, Sendable {
    var schemaVersion: Int
    var mediaType: String?
    var manifests: [OCIDescriptor]
}

/// The fields of an image config blob Swiftlet reads.
struct OCIImageConfigDocument: Decodable, Sendable {
    struct Config: Decodable, Sendable {
        var Env: [String]?
        var Entrypoint: [String]?
        var Cmd: [String]?
        var WorkingDir: String?
        var User: String?
        var Labels: [String: String]?
        var StopSignal: String?
        var ExposedPorts: [String: EmptyObject]?
    }

    struct RootFS: Decodable, Sendable {
        var type: String
        var diff_ids: [ImageDigest]
    }

    struct EmptyObject: Decodable, Sendable {}

    var architecture: String?
    var os: String?
    var config: Config?
    var rootfs: RootFS
}

/// One entry of the `manifest.json` that `docker save` writes.
struct DockerArchiveManifestEntry: Decodable, Sendable {
    var Config: String
    var RepoTags: [String]?
    var Layers: [String]
}

/// The `mediaType` field alone, to tell manifests from indexes before decoding them.
struct OCIMediaTypeProbe: Decodable, Sendable {
    var mediaType: String?
    var schemaVersion: Int?
    var manifests: [OCIDescriptor]?
    var config: OCIDescriptor?
}

/// The platform this node runs, in OCI terms (`linux/amd64`, `linux/arm64`).
enum NodePlatform {
    static var architecture: String {
        #if arch(x86_64)
        "amd64"
        #elseif arch(arm64)
        "arm64"
        #elseif arch(arm)
        "arm"
        #elseif arch(s390x)
        "s390x"
        #elseif arch(powerpc64le)
        "ppc64le"
        #else
        "unknown"
        #endif
    }

    static let os = "linux"

    static func matches(_ platform: OCIPlatform?) -> Bool {
        guard let platform else { return true }
        return platform.os == os && platform.architecture == architecture
    }
}
