import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the node-agent registry e2e tests need besides the node agent: Debian's `docker-registry` on
/// 127.0.0.1 with token auth (the RS256 token server of the ContainerRuntime registry tests,
/// Tests/ContainerRuntimeTests/Registry/Fixtures/token_server.py), skopeo to push, and OCI layouts built from
/// the busybox test image with one extra layer per variant (so every variant has a layer of its own that the
/// node's store does not hold yet).
enum NodeAgentRegistrySupport {
    static let tools = ["docker-registry", "skopeo", "openssl", "python3", "tar", "gzip", "sha256sum"]

    /// Why these tests cannot run here, or nil.
    static var unavailableReason: String? {
        if let reason = NodeAgentTestSupport.unavailableReason { return reason }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let missing = tools.filter { tool in
            !path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
        return missing.isEmpty ? nil
            : "missing \(missing.joined(separator: ", ")) (apt-get install -y docker-registry skopeo openssl python3)"
    }

    static var isAvailable: Bool { unavailableReason == nil }

    static var tokenServerScript: String {
        NodeAgentTestSupport.repositoryRoot.appendingPathComponent(
            "Tests/ContainerRuntimeTests/Registry/Fixtures/token_server.py").path
    }

    /// A fresh directory; remove it with `FileManager.removeItem`.
    static func makeDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftlet-registry-e2e-" + UUID().uuidString.prefix(8).lowercased()).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NodeAgentTestError.toolFailed("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw NodeAgentTestError.toolFailed("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a tool found on PATH and returns its stdout; throws on a non-zero exit.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        try NodeAgentTestSupport.runTool("/usr/bin/env", [tool] + arguments)
    }

    static func sha256(ofFile path: String) throws -> String {
        String(try run("sha256sum", [path]).prefix(64))
    }
}

/// A process started for a test whose stdout and stderr are read line by line on a thread of their own.
///
/// Thread-safe: the output is a ``CollectedOutput``. ``stop()`` kills it (SIGKILL) and reaps it.
final class RegistryE2EProcess: @unchecked Sendable {
    private let process: Process
    private let collected: CollectedOutput
    let name: String

    init(_ tool: String, _ arguments: [String], name: String) throws {
        self.name = name
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardInput = FileHandle.nullDevice
        collected = try CollectedOutput(running: process)
    }

    var text: String { collected.text }

    /// The first complete line containing `marker`; throws when the process ends first or after `timeout`.
    func waitForLine(containing marker: String, timeout: TimeInterval = 30) async throws -> String {
        let line = await collected.wait(timeout: timeout) { output in
            output.split(separator: "\n").dropLast(output.hasSuffix("\n") ? 0 : 1)
                .first { $0.contains(marker) }.map(String.init)
        }
        guard let line else {
            throw NodeAgentTestError.toolFailed("\(name) printed no line with \"\(marker)\":\n\(text)")
        }
        return line
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// `docker-registry` on 127.0.0.1 behind a bearer-token service that grants pull and push to one user and
/// nothing to anonymous clients (as Docker Hub does for private repositories).
///
/// Sendable value; ``stop()`` ends both processes.
struct TokenAuthTestRegistry: Sendable {
    let registry: RegistryE2EProcess
    let tokenServer: RegistryE2EProcess
    let port: Int
    let storageRoot: String

    var authority: String { "127.0.0.1:\(port)" }

    static func start(in directory: String) async throws -> TokenAuthTestRegistry {
        let key = directory + "/token-key.pem", certificate = directory + "/token-cert.pem"
        try NodeAgentRegistrySupport.run("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=swiftlet-test-token-issuer",
        ])
        var lastError: (any Error)?
        for attempt in 1...3 {
            let port = try NodeAgentRegistrySupport.freePort()
            let storageRoot = directory + "/storage-\(attempt)"
            let placeholder = TokenAuthTestRegistryCredentials()
            let tokenServer = try RegistryE2EProcess(
                "python3", [NodeAgentRegistrySupport.tokenServerScript, key, certificate, "swiftlet-test-issuer",
                            placeholder.user, placeholder.password], name: "token server")
            let tokenPort: String
            do {
                let line = try await tokenServer.waitForLine(containing: "listening on ")
                tokenPort = line.split(separator: " ").last.map(String.init) ?? ""
            } catch {
                tokenServer.stop()
                throw error
            }
            let config = """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: \(storageRoot)
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:\(port)
                  secret: swiftlet-test-secret
                auth:
                  token:
                    realm: http://127.0.0.1:\(tokenPort)/token
                    service: test-registry
                    issuer: swiftlet-test-issuer
                    rootcertbundle: \(certificate)

                """
            let configPath = directory + "/registry-\(attempt).yml"
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let registry = try RegistryE2EProcess("docker-registry", ["serve", configPath], name: "docker-registry")
            do {
                _ = try await registry.waitForLine(containing: "listening on 127.0.0.1:\(port)")
                return TokenAuthTestRegistry(registry: registry, tokenServer: tokenServer, port: port,
                                             storageRoot: storageRoot, credentials: placeholder)
            } catch {
                // Most likely the port was taken in the meantime: try another.
                registry.stop()
                tokenServer.stop()
                lastError = error
            }
        }
        throw lastError!
    }

    private init(registry: RegistryE2EProcess, tokenServer: RegistryE2EProcess, port: Int, storageRoot: String,
                 credentials: TokenAuthTestRegistryCredentials) {
        self.registry = registry
        self.tokenServer = tokenServer
        self.port = port
        self.storageRoot = storageRoot
        self.credentialsValue = credentials
    }

    private let credentialsValue: TokenAuthTestRegistryCredentials
    var username: String { credentialsValue.user }
    var secret: String { credentialsValue.password }

    func stop() {
        registry.stop()
        tokenServer.stop()
    }

    /// Pushes tag `tag` of the OCI layout at `layout` as `<repository>:<pushTag>` (`all`: every image of an
    /// index, not only this platform's).
    func push(layout: String, tag: String, repository: String, as pushTag: String, all: Bool = false) throws {
        try NodeAgentRegistrySupport.run("skopeo", [
            "--insecure-policy", "copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", "\(username):\(secret)",
        ] + (all ? ["--all"] : []) + ["oci:\(layout):\(tag)", "docker://\(authority)/\(repository):\(pushTag)"])
    }

    /// Where the registry keeps the bytes of blob `digest` ("sha256:<hex>").
    func blobDataPath(_ digest: String) -> String {
        let hex = String(digest.dropFirst("sha256:".count))
        return "\(storageRoot)/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
    }
}

/// The user and password the token service accepts. Sendable value.
struct TokenAuthTestRegistryCredentials: Sendable {
    let user = "swiftlet-puller"
    let password = "s3cret-" + UUID().uuidString.prefix(8).lowercased()
}

/// An OCI image layout holding variants of the busybox test image: each variant adds one layer with
/// `/etc/marker` (its own text) on top of the busybox layer.
///
/// A value type used by one test.
struct RegistryE2EImageLayout {
    let directory: String
    var layout: String { directory + "/layout" }
    private var tags: [(name: String, mediaType: String, digest: String, size: Int)] = []
    private let baseManifest: [String: Any]
    private let baseConfig: [String: Any]

    /// One variant: its tag in the layout, manifest digest and its own layer.
    struct Variant: Sendable {
        var tag: String
        var manifestDigest: String
        var layerDigest: String
        var layerSize: Int
        var configDigest: String
        var manifestSize: Int
        var architecture: String
    }

    /// Unpacks the busybox test image archive into `<directory>/layout`.
    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/layout", withIntermediateDirectories: true)
        try NodeAgentRegistrySupport.run("tar", ["-C", directory + "/layout", "-xf", try NodeAgentTestSupport.imageArchive()])
        let index = try Self.json(at: directory + "/layout/index.json")
        guard let entry = (index["manifests"] as? [[String: Any]])?.first, let digest = entry["digest"] as? String else {
            throw NodeAgentTestError.toolFailed("the busybox image archive has no manifest in index.json")
        }
        baseManifest = try Self.json(at: Self.blobPath(directory + "/layout", digest))
        guard let config = (baseManifest["config"] as? [String: Any])?["digest"] as? String else {
            throw NodeAgentTestError.toolFailed("the busybox image manifest names no config")
        }
        baseConfig = try Self.json(at: Self.blobPath(directory + "/layout", config))
    }

    /// Adds tag `tag`: the busybox layer plus a layer whose `/etc/marker` holds `marker` and a newline; the
    /// config names `architecture` (default: the busybox image's).
    mutating func addVariant(tag: String, marker: String, architecture: String? = nil) throws -> Variant {
        let root = directory + "/variant-" + tag
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try (marker + "\n").write(toFile: root + "/etc/marker", atomically: true, encoding: .utf8)
        let tar = directory + "/variant-" + tag + ".tar"
        try NodeAgentRegistrySupport.run("tar", [
            "--sort=name", "--mtime=2024-01-01 00:00Z", "--owner=0", "--group=0", "--numeric-owner",
            "-C", root, "-cf", tar, "./etc", "./etc/marker",
        ])
        let diffID = "sha256:" + (try NodeAgentRegistrySupport.sha256(ofFile: tar))
        try NodeAgentRegistrySupport.run("gzip", ["-n", "-f", tar])
        let (layerDigest, layerSize) = try store(file: tar + ".gz")

        var config = baseConfig
        if let architecture { config["architecture"] = architecture }
        var rootfs = config["rootfs"] as? [String: Any] ?? ["type": "layers"]
        rootfs["diff_ids"] = (rootfs["diff_ids"] as? [String] ?? []) + [diffID]
        config["rootfs"] = rootfs
        let (configDigest, configSize) = try store(json: config)

        var manifest = baseManifest
        manifest["config"] = [
            "mediaType": "application/vnd.oci.image.config.v1+json", "digest": configDigest, "size": configSize,
        ]
        manifest["layers"] = (manifest["layers"] as? [[String: Any]] ?? []) + [[
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layerDigest, "size": layerSize,
        ]]
        let (manifestDigest, manifestSize) = try store(json: manifest)
        tags.append((tag, "application/vnd.oci.image.manifest.v1+json", manifestDigest, manifestSize))
        try writeIndex()
        return Variant(tag: tag, manifestDigest: manifestDigest, layerDigest: layerDigest, layerSize: layerSize,
                       configDigest: configDigest, manifestSize: manifestSize,
                       architecture: config["architecture"] as? String ?? "amd64")
    }

    /// Adds tag `tag`: an image index (a multi-platform "manifest list") of `variants` in this order, each
    /// entry's platform `linux/<its architecture>`. Returns the index digest.
    mutating func addIndex(tag: String, variants: [Variant]) throws -> String {
        let index: [String: Any] = [
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": variants.map { variant -> [String: Any] in
                ["mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": variant.manifestDigest,
                 "size": variant.manifestSize, "platform": ["os": "linux", "architecture": variant.architecture]]
            },
        ]
        let (digest, size) = try store(json: index)
        tags.append((tag, "application/vnd.oci.image.index.v1+json", digest, size))
        try writeIndex()
        return digest
    }

    private func writeIndex() throws {
        let index: [String: Any] = [
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": tags.map { tag -> [String: Any] in
                ["mediaType": tag.mediaType, "digest": tag.digest, "size": tag.size,
                 "annotations": ["org.opencontainers.image.ref.name": tag.name]]
            },
        ]
        try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: layout + "/index.json"))
    }

    private func store(json: [String: Any]) throws -> (String, Int) {
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])
        let scratch = directory + "/blob-" + UUID().uuidString
        try data.write(to: URL(fileURLWithPath: scratch))
        return try store(file: scratch)
    }

    private func store(file: String) throws -> (String, Int) {
        let digest = "sha256:" + (try NodeAgentRegistrySupport.sha256(ofFile: file))
        let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
        let target = Self.blobPath(layout, digest)
        if !FileManager.default.fileExists(atPath: target) { try FileManager.default.copyItem(atPath: file, toPath: target) }
        return (digest, size)
    }

    private static func blobPath(_ layout: String, _ digest: String) -> String {
        layout + "/blobs/sha256/" + digest.dropFirst("sha256:".count)
    }

    private static func json(at path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NodeAgentTestError.toolFailed("\(path) is not a JSON object")
        }
        return object
    }
}
