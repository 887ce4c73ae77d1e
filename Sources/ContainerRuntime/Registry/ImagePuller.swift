import Foundation
public import Logging
import NIOCore
import Synchronization

/// Pulls images from OCI distribution registries (v2 API) into an ``ImageStore``: ping and authentication
/// (anonymous, Basic, or bearer tokens from the registry's token service), the manifest (an index or Docker
/// manifest list narrowed to this node's platform), then the config and layer blobs, each checked against its
/// sha256 and skipped when the store has it already. The image is recorded under its normalized name.
///
/// Thread-safe (Sendable final class): any number of pulls may run at once; they share the HTTP client's TLS
/// context and the token cache. Blobs download `maximumConcurrentDownloads` at a time in child tasks.
/// Identical pulls without a progress callback (same name, credentials, insecure registries and platform) that
/// overlap share one pull task; a `Mutex` guards that table. Cancelling a caller stops waiting for it; the pull
/// itself stops (deleting partial downloads) once no caller waits for it any more.
public final class ImagePuller: Sendable {
    private let store: ImageStore
    private let logger: Logger
    private let client: RegistryHTTPClient
    private let authenticator: RegistryAuthenticator
    private let inFlight = Mutex<[String: SharedPull]>([:])

    /// A pull that several callers wait for.
    private struct SharedPull {
        var task: Task<StoredImage, any Error>
        var waiters: Int
    }

    public convenience init(store: ImageStore, logger: Logger) {
        self.init(store: store, logger: logger, clientConfiguration: RegistryHTTPClient.Configuration())
    }

    init(store: ImageStore, logger: Logger, clientConfiguration: RegistryHTTPClient.Configuration) {
        self.store = store
        self.logger = logger
        client = RegistryHTTPClient(configuration: clientConfiguration)
        authenticator = RegistryAuthenticator(client: client)
    }

    /// Pulls `reference` and returns the stored image. Throws ``RegistryError`` (its description is the
    /// kubelet's `ErrImagePull` message) or `CancellationError`.
    ///
    /// With several credentials, each is tried in order while the registry answers "unauthorized".
    public func pull(_ reference: ImageReference, options: ImagePullOptions = ImagePullOptions()) async throws
        -> StoredImage
    {
        guard options.progress == nil else { return try await pullNow(reference, options: options) }
        let key = [
            reference.normalizedName, options.platform.description, options.insecureRegistries.joined(separator: ","),
            options.credentials.map { "\($0.username)\u{0}\($0.password)\u{0}\($0.registryToken ?? "")" }
                .joined(separator: "\u{1}"),
        ].joined(separator: "\u{2}")
        let task = inFlight.withLock { table -> Task<StoredImage, any Error> in
            if var shared = table[key] {
                shared.waiters += 1
                table[key] = shared
                return shared.task
            }
            let task = Task {
                defer { _ = self.inFlight.withLock { $0.removeValue(forKey: key) } }
                return try await self.pullNow(reference, options: options)
            }
            table[key] = SharedPull(task: task, waiters: 1)
            return task
        }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            let abandoned = inFlight.withLock { table -> Bool in
                guard var shared = table[key], shared.task == task else { return false }
                shared.waiters -= 1
                table[key] = shared
                return shared.waiters == 0
            }
            if abandoned { task.cancel() }
        }
    }

    private func pullNow(_ reference: ImageReference, options: ImagePullOptions) async throws -> StoredImage {
        let attempts: [RegistryCredentials?] = options.credentials.isEmpty ? [nil] : options.credentials
        var lastError: RegistryError?
        for credentials in attempts {
            let session = PullSession(
                reference: reference, options: options, credentials: credentials, store: store, client: client,
                authenticator: authenticator, logger: logger)
            do {
                let image = try await session.run()
                logger.info("Pulled image", metadata: [
                    "image": "\(reference.normalizedName)", "id": "\(image.id)",
                    "manifest": "\(image.manifestDigest)",
                ])
                return image
            } catch let error as CancellationError {
                throw error
            } catch {
                let registryError = Self.registryError(error).withReference(reference.normalizedName)
                logger.debug("Image pull failed", metadata: [
                    "image": "\(reference.normalizedName)", "error": "\(registryError)",
                ])
                lastError = registryError
                guard registryError.kind == .unauthorized else { throw registryError }
            }
        }
        throw lastError!
    }

    private static func registryError(_ error: any Error) -> RegistryError {
        if let error = error as? RegistryError { return error }
        if let error = error as? ImageError {
            return RegistryError(.storage, stage: .unpack, detail: error.description)
        }
        return RegistryError(.transport, stage: .resolve, detail: "\(error)")
    }
}

/// One pull with one set of credentials: the steps of ``ImagePuller/pull(_:options:)``.
///
/// A value type used by one task (its blob downloads run in child tasks that only read it).
private struct PullSession: Sendable {
    let reference: ImageReference
    let options: ImagePullOptions
    let credentials: RegistryCredentials?
    let store: ImageStore
    let client: RegistryHTTPClient
    let authenticator: RegistryAuthenticator
    let logger: Logger
    let policy: InsecureRegistryPolicy
    let baseURL: URL
    let scope: String

    /// What the manifest endpoint accepts, newest first.
    static let acceptedManifestTypes = [
        OCIMediaType.ociIndex, OCIMediaType.dockerManifestList, OCIMediaType.ociManifest, OCIMediaType.dockerManifest,
    ].joined(separator: ", ")

    init(
        reference: ImageReference, options: ImagePullOptions, credentials: RegistryCredentials?, store: ImageStore,
        client: RegistryHTTPClient, authenticator: RegistryAuthenticator, logger: Logger
    ) {
        self.reference = reference
        self.options = options
        self.credentials = credentials
        self.store = store
        self.client = client
        self.authenticator = authenticator
        self.logger = logger
        policy = InsecureRegistryPolicy(insecureRegistries: options.insecureRegistries)
        let scheme = policy.scheme(forRegistry: reference.registryHost)
        baseURL = URL(string: "\(scheme)://\(reference.registryHost)/")!
        scope = "repository:\(reference.repository):pull"
    }

    func run() async throws -> StoredImage {
        try await authenticator.ping(registry: reference.registryHost, baseURL: baseURL, policy: policy)
        let manifest = try await resolveManifest()
        let plan = try PullPlan(manifest: manifest.document)
        try await fetchBlobs(plan.blobs)
        do {
            return try store.recordImage(name: reference, manifestBytes: manifest.bytes)
        } catch {
            throw RegistryError(.storage, stage: .unpack, detail: "failed to record the image: \(error)")
        }
    }

    // MARK: Manifest

    /// The platform's image manifest: its bytes (as the registry sent them) and the decoded document.
    private func resolveManifest() async throws -> (bytes: [UInt8], document: OCIManifest) {
        var target = reference.digest?.description ?? reference.tag ?? "latest"
        var expected = reference.digest
        for depth in 0..<3 {
            let (bytes, mediaType) = try await fetchManifest(target, expectedDigest: expected, topLevel: depth == 0)
            switch ManifestKind.classify(mediaType: mediaType, bytes: bytes) {
            case .manifest:
                guard let document = try? JSONDecoder().decode(OCIManifest.self, from: Data(bytes)) else {
                    throw RegistryError(.unsupportedManifest, stage: .resolve, detail:
                        "the manifest \(target) is not valid JSON of an image manifest (\(mediaType ?? "no media type"))")
                }
                return (bytes, document)
            case .index:
                guard let index = try? JSONDecoder().decode(OCIIndex.self, from: Data(bytes)) else {
                    throw RegistryError(.unsupportedManifest, stage: .resolve, detail:
                        "the index \(target) is not valid JSON of an image index (\(mediaType ?? "no media type"))")
                }
                guard let entry = PlatformManifestSelector.select(from: index.manifests, for: options.platform) else {
                    let offered = index.manifests.compactMap(\.platform).map { platform in
                        [platform.os, platform.architecture, platform.variant].compactMap { $0 }.joined(separator: "/")
                    }
                    throw RegistryError(.noMatchingPlatform, stage: .unpack, detail:
                        "no match for platform in manifest: not found (this node is \(options.platform); the image is "
                        + "for \(offered.isEmpty ? "no platform" : offered.joined(separator: ", ")))")
                }
                logger.debug("Selected platform manifest from index", metadata: [
                    "image": "\(reference.normalizedName)", "manifest": "\(entry.digest)",
                ])
                target = entry.digest.description
                expected = entry.digest
            case .schema1:
                throw RegistryError(.unsupportedManifest, stage: .resolve, detail:
                    "schema 1 image manifests are not supported (\(mediaType ?? "schemaVersion 1")); push the image "
                    + "again with a current docker, buildah or skopeo, which write schema 2 or OCI manifests")
            case .other(let type):
                throw RegistryError(.unsupportedManifest, stage: .resolve, detail:
                    "unexpected manifest media type \"\(type)\": not a container image")
            }
        }
        throw RegistryError(.unsupportedManifest, stage: .resolve, detail: "image indexes nested too deeply")
    }

    /// `GET /v2/<repo>/manifests/<tag|digest>`, checked against the requested digest or the
    /// `Docker-Content-Digest` header. Returns the body and its media type.
    private func fetchManifest(_ target: String, expectedDigest: ImageDigest?, topLevel: Bool) async throws
        -> (bytes: [UInt8], mediaType: String?)
    {
        let url = baseURL.appending(path: "v2/\(reference.repository)/manifests/\(target)")
        let request = RegistryHTTPRequest(url: url, headers: [(name: "Accept", value: Self.acceptedManifestTypes)])
        let response = try await sendAuthorized(request, bodyLimit: 4 << 20, successBody: nil)
        guard response.isSuccess else {
            throw failure(for: response, notFound: topLevel
                ? RegistryError.notFound(reference.normalizedName)
                : RegistryError(.notFound, stage: .resolve, detail: "manifest \(target): not found"))
        }
        let actual = ImageDigest(of: response.body)
        if let expectedDigest, actual != expectedDigest {
            throw Self.digestMismatch(what: "manifest", expected: expectedDigest, actual: actual, stage: .resolve)
        }
        if let header = response.header("Docker-Content-Digest"), header.hasPrefix("sha256:"),
           header != actual.description {
            throw RegistryError(.digestMismatch, stage: .resolve, detail:
                "manifest \(target): the registry says its digest is \(header) but the bytes hash to \(actual)")
        }
        let mediaType = response.header("Content-Type").map {
            String($0.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces)
        }
        return (response.body, mediaType)
    }

    // MARK: Blobs

    private func fetchBlobs(_ blobs: [PullPlan.Blob]) async throws {
        var pending: [PullPlan.Blob] = []
        for blob in blobs {
            if store.hasBlob(blob.descriptor.digest) {
                report(blob, .alreadyExists, completed: blob.descriptor.size)
            } else {
                report(blob, .waiting, completed: 0)
                pending.append(blob)
            }
        }
        let limit = max(1, options.maximumConcurrentDownloads)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = pending.makeIterator()
            for _ in 0..<limit {
                guard let blob = next.next() else { break }
                group.addTask { try await self.fetchBlob(blob) }
            }
            while try await group.next() != nil {
                if let blob = next.next() { group.addTask { try await self.fetchBlob(blob) } }
            }
        }
    }

    /// Downloads one blob into the store's scratch directory, verifies it and ingests it; transport failures
    /// and timeouts are retried twice.
    private func fetchBlob(_ blob: PullPlan.Blob) async throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await downloadAndIngest(blob)
                return
            } catch let error as RegistryError where (error.kind == .transport || error.kind == .timeout) && attempt < 3 {
                logger.debug("Retrying blob download", metadata: [
                    "blob": "\(blob.descriptor.digest)", "attempt": "\(attempt)", "error": "\(error)",
                ])
                try Task.checkCancellation()
            }
        }
    }

    private func downloadAndIngest(_ blob: PullPlan.Blob) async throws {
        let descriptor = blob.descriptor
        let path = store.makeTemporaryPath(prefix: "pull-" + descriptor.digest.shortHex)
        let sink = try BlobFileSink(path: path, expectedSize: descriptor.size, digest: descriptor.digest)
        defer { sink.discard() }
        let url = baseURL.appending(path: "v2/\(reference.repository)/blobs/\(descriptor.digest)")
        let step = max(descriptor.size / 100, 256 << 10)
        var reported = 0
        report(blob, .downloading, completed: 0)
        let response = try await sendAuthorized(RegistryHTTPRequest(url: url), bodyLimit: 64 << 10) { buffer in
            try sink.write(buffer)
            if sink.bytesWritten - reported >= step {
                reported = sink.bytesWritten
                report(blob, .downloading, completed: reported)
            }
        }
        guard response.isSuccess else {
            throw failure(for: response, notFound: RegistryError(.notFound, stage: .copy, detail:
                "blob \(descriptor.digest) of \(reference.normalizedName): not found"))
        }
        report(blob, .downloading, completed: sink.bytesWritten)
        report(blob, .verifying, completed: sink.bytesWritten)
        let actual = try sink.finish()
        guard sink.bytesWritten == descriptor.size else {
            throw RegistryError(.digestMismatch, stage: .copy, detail:
                "blob \(descriptor.digest): unexpected commit size \(sink.bytesWritten), expected \(descriptor.size): "
                + "failed precondition (the registry sent fewer bytes than the manifest lists)")
        }
        guard actual == descriptor.digest else {
            throw Self.digestMismatch(what: "blob", expected: descriptor.digest, actual: actual, stage: .copy)
        }
        do {
            try await store.ingestBlob(from: path, expectedDigest: descriptor.digest, expectedSize: descriptor.size)
        } catch {
            throw RegistryError(.storage, stage: .copy, detail: "failed to store blob \(descriptor.digest): \(error)")
        }
        report(blob, .downloaded, completed: descriptor.size)
    }

    private func report(_ blob: PullPlan.Blob, _ state: ImagePullProgress.State, completed: Int) {
        options.progress?(ImagePullProgress(
            digest: blob.descriptor.digest, kind: blob.kind, state: state, completedBytes: completed,
            totalBytes: blob.descriptor.size))
    }

    // MARK: Requests with authentication

    /// Sends `request` with the registry's authorization; on a 401 fetches a token for the challenge's scope
    /// and retries once.
    private func sendAuthorized(
        _ request: RegistryHTTPRequest, bodyLimit: Int, successBody: ((ByteBuffer) throws -> Void)?
    ) async throws -> RegistryHTTPResponse {
        var request = request
        let registry = reference.registryHost
        request.authorization = try await authenticator.authorization(
            registry: registry, scope: scope, credentials: credentials, policy: policy, now: .now)
        let response = try await client.send(request, policy: policy, bodyLimit: bodyLimit, successBody: successBody)
        guard response.status == 401 else { return response }
        guard let retry = try await authenticator.authorizationAfterUnauthorized(
            registry: registry, challengeHeaders: response.headerValues("WWW-Authenticate"), defaultScope: scope,
            credentials: credentials, policy: policy, now: .now) else { return response }
        request.authorization = retry
        return try await client.send(request, policy: policy, bodyLimit: bodyLimit, successBody: successBody)
    }

    /// The error for an unsuccessful registry response.
    private func failure(for response: RegistryHTTPResponse, notFound: RegistryError) -> RegistryError {
        switch response.status {
        case 404:
            return notFound
        case 401, 403:
            let challenge = WWWAuthenticateChallenge.parse(response.headerValues("WWW-Authenticate")).first
            let serverMessage = challenge?.error.map { "\($0): authorization failed" } ?? response.registryErrorMessage
            return RegistryError.accessDenied(serverMessage: serverMessage)
        case 429:
            return RegistryError(.transport, stage: notFound.stage, detail:
                "\(response.url.absoluteString): 429 Too Many Requests: the registry's rate limit was reached; "
                + "retry later or pull with credentials")
        default:
            let message = response.registryErrorMessage.map { ": \($0)" } ?? ""
            return RegistryError(.transport, stage: notFound.stage, detail:
                "unexpected status from GET request to \(response.url.absoluteString): "
                + "\(response.status) \(response.statusText)\(message)")
        }
    }

    private static func digestMismatch(
        what: String, expected: ImageDigest, actual: ImageDigest, stage: RegistryError.Stage
    ) -> RegistryError {
        RegistryError(.digestMismatch, stage: stage, detail:
            "\(what) \(expected): unexpected commit digest \(actual), expected \(expected): failed precondition")
    }
}
