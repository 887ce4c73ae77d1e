/// Why pulling an image from a registry failed.
///
/// Immutable value; Sendable. ``description`` reads like containerd's pull errors, which the kubelet shows in
/// `ErrImagePull` messages (`failed to pull and unpack image "…": failed to resolve reference "…": …: not found`).
/// Errors raised below ``ImagePuller`` carry no reference yet; the puller adds it with ``withReference(_:)``.
public struct RegistryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is (callers branch on it; the text is for people).
    public enum Kind: String, Sendable, Equatable {
        /// The repository, tag or digest does not exist ("manifest unknown").
        case notFound
        /// The registry or its token service refused the credentials, or the repository needs some.
        case unauthorized
        /// Bytes received do not hash to the digest they were asked for.
        case digestMismatch
        /// A manifest this client cannot use (schema 1, an artifact that is not a container image, bad JSON).
        case unsupportedManifest
        /// A layer media type this client cannot unpack (zstd, encrypted, unknown).
        case unsupportedLayer
        /// An index without an entry for the running platform.
        case noMatchingPlatform
        /// Plain HTTP to a host that is neither loopback nor listed as an insecure registry.
        case insecureConnectionRefused
        /// Connecting, TLS, or the connection broke; also unexpected HTTP statuses.
        case transport
        /// No bytes arrived within the idle timeout, or connecting took too long.
        case timeout
        /// The local image store could not take the blobs or the image.
        case storage
    }

    /// Which step of a pull failed; chooses the wording of ``description`` as containerd does.
    public enum Stage: String, Sendable, Equatable {
        /// Ping, authentication, manifest or index (containerd: "failed to resolve reference").
        case resolve
        /// Config and layer blobs (containerd: "failed to copy").
        case copy
        /// Platform selection, media type checks and recording the image.
        case unpack
    }

    public let kind: Kind
    public let stage: Stage
    /// The innermost message: what happened and, where we know it, what to do.
    public let detail: String
    /// The normalized image name, once the puller knows which pull failed.
    public private(set) var reference: String?

    public init(_ kind: Kind, stage: Stage, detail: String, reference: String? = nil) {
        self.kind = kind
        self.stage = stage
        self.detail = detail
        self.reference = reference
    }

    /// The same error naming the image that was being pulled.
    public func withReference(_ reference: String) -> RegistryError {
        var copy = self
        copy.reference = reference
        return copy
    }

    public var description: String {
        guard let reference else { return detail }
        let prefix = "failed to pull and unpack image \"\(reference)\": "
        switch stage {
        case .resolve: return prefix + "failed to resolve reference \"\(reference)\": " + detail
        case .copy: return prefix + "failed to copy: " + detail
        case .unpack: return prefix + detail
        }
    }

    // MARK: Factories for the common cases

    /// `<ref>: not found`, as containerd words a missing tag, digest or repository.
    static func notFound(_ name: String) -> RegistryError {
        RegistryError(.notFound, stage: .resolve, detail: "\(name): not found")
    }

    /// The registry answered 401/403 for the repository even with the best token we could get.
    static func accessDenied(serverMessage: String?) -> RegistryError {
        var detail = "pull access denied, repository does not exist or may require authorization"
        if let serverMessage, !serverMessage.isEmpty { detail += ": server message: \(serverMessage)" }
        return RegistryError(.unauthorized, stage: .resolve, detail: detail)
    }

    /// The token service refused the request (wrong credentials, or none for a private repository).
    static func tokenRefused(url: String, status: Int, statusText: String, authenticated: Bool) -> RegistryError {
        let kind = authenticated ? "oauth" : "anonymous"
        return RegistryError(.unauthorized, stage: .resolve, detail:
            "failed to authorize: failed to fetch \(kind) token: unexpected status from GET request to \(url): "
            + "\(status) \(statusText)"
            + (authenticated ? "; check the user name and password of the image pull secret"
                             : "; the repository may require credentials (an image pull secret)"))
    }
}
