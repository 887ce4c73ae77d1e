/// How to pull one image: credentials, which registries may use plain HTTP, the platform, and a progress
/// callback.
///
/// Immutable value; Sendable. `progress` is called from the pulling tasks (several blobs download at once),
/// so it must be thread-safe and quick.
public struct ImagePullOptions: Sendable {
    /// Credentials to try in order (the kubelet's keyring matches for the image, e.g. from
    /// ``DockerConfigJSON/credentials(forImage:)``); each is tried until one is not refused. Empty: anonymous.
    public var credentials: [RegistryCredentials]
    /// Registries (`host`, `host:port` or an IPv4 CIDR) that may be reached over plain HTTP besides loopback.
    public var insecureRegistries: [String]
    /// The platform to pick from a multi-platform index.
    public var platform: ImagePlatform
    /// Blobs downloaded at the same time.
    public var maximumConcurrentDownloads: Int
    /// Called for every progress step of every blob.
    public var progress: (@Sendable (ImagePullProgress) -> Void)?

    public init(
        credentials: [RegistryCredentials] = [], insecureRegistries: [String] = [],
        platform: ImagePlatform = .current, maximumConcurrentDownloads: Int = 3,
        progress: (@Sendable (ImagePullProgress) -> Void)? = nil
    ) {
        self.credentials = credentials
        self.insecureRegistries = insecureRegistries
        self.platform = platform
        self.maximumConcurrentDownloads = maximumConcurrentDownloads
        self.progress = progress
    }
}
