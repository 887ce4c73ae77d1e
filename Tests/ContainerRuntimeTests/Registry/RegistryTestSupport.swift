#if canImport(Glibc)
import Glibc
#endif
import ContainerRuntime
import Dispatch
import Foundation
import HostSystem
import Synchronization

/// Helpers for the registry end-to-end tests: background processes, a local `docker-registry` (optionally with
/// token auth and its token server), and a small OCI layout image to push into it.
enum RegistryTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "Fixtures").path

    /// Why the end-to-end tests cannot run here, or nil when they can (tools on PATH).
    static func missingTools(_ tools: [String] = ["docker-registry", "skopeo", "tar", "gzip"]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let missing = tools.filter { tool in
            !path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        }
        return missing.isEmpty ? nil : "missing tools: \(missing.joined(separator: ", ")) (apt-get install -y docker-registry skopeo openssl python3)"
    }

    /// A fresh directory under the system temp directory; remove it with `removeDirectory`.
    static func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "swiftlet-registry-test-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw TestFailure("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        let output = try await HostCommand.run(executable, arguments)
        guard output.status == .exited(0) else {
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) failed: \(output.standardErrorText)")
        }
        return output.standardOutputText
    }
}

/// A test failure with a message. Sendable value.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A process started for a test, its stdout and stderr read line by line on a Dispatch thread.
///
/// Thread-safe (a `Mutex` guards the log and the waiters). ``stop()`` kills it with SIGKILL and reaps it.
final class RegistryTestProcess: Sendable {
    let pid: Int32
    let name: String
    private struct State {
        var lines: [String] = []
        var finished = false
        var waiters: [(marker: String, continuation: CheckedContinuation<String, any Error>)] = []
    }
    private let state = Mutex(State())

    init(_ executable: String, _ arguments: [String], name: String) throws {
        let pipe = try HostPipe()
        do {
            pid = try ProcessSpawner.spawn(executable, arguments,
                                           streams: .init(output: pipe.writeEnd, error: pipe.writeEnd))
        } catch {
            close(pipe.readEnd)
            close(pipe.writeEnd)
            throw error
        }
        close(pipe.writeEnd)
        self.name = name
        let readEnd = pipe.readEnd
        DispatchQueue.global().async { [self] in
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(readEnd, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                pending.append(contentsOf: buffer[0..<count])
                while let newline = pending.firstIndex(of: 10) {
                    received(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            close(readEnd)
            finish()
        }
    }

    /// Everything the process printed so far.
    var output: String { state.withLock { $0.lines.joined(separator: "\n") } }

    /// Waits for a line containing `marker` (already printed or to come); fails when the process exits first
    /// or after `timeout`.
    func waitForLine(containing marker: String, timeout: Duration = .seconds(30)) async throws -> String {
        let timer = Task { [self] in
            try await Task.sleep(for: timeout)
            fail(marker: marker, TestFailure("\(name) printed no line with \"\(marker)\" within \(timeout):\n\(output)"))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<String, any Error>? = state.withLock { state in
                if let line = state.lines.first(where: { $0.contains(marker) }) { return .success(line) }
                if state.finished {
                    return .failure(TestFailure("\(name) exited before printing \"\(marker)\":\n"
                                                + state.lines.joined(separator: "\n")))
                }
                state.waiters.append((marker, continuation))
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    /// Kills the process (SIGKILL) and waits until it is reaped.
    func stop() async {
        kill(pid, SIGKILL)
        _ = await ChildExitMonitor.shared.exit(of: pid)
    }

    private func received(_ line: String) {
        let ready = state.withLock { state -> [(CheckedContinuation<String, any Error>)] in
            state.lines.append(line)
            let matched = state.waiters.filter { line.contains($0.marker) }
            state.waiters.removeAll { line.contains($0.marker) }
            return matched.map(\.continuation)
        }
        for continuation in ready { continuation.resume(returning: line) }
    }

    private func finish() {
        let (waiters, log) = state.withLock { state in
            state.finished = true
            defer { state.waiters = [] }
            return (state.waiters.map(\.continuation), state.lines.joined(separator: "\n"))
        }
        for continuation in waiters {
            continuation.resume(throwing: TestFailure("\(name) exited:\n\(log)"))
        }
    }

    private func fail(marker: String, _ error: TestFailure) {
        let waiters = state.withLock { state in
            let matched = state.waiters.filter { $0.marker == marker }
            state.waiters.removeAll { $0.marker == marker }
            return matched.map(\.continuation)
        }
        for continuation in waiters { continuation.resume(throwing: error) }
    }
}

/// Token auth settings for a ``LocalTestRegistry``: a token server on 127.0.0.1 signing with a fresh key.
struct RegistryTokenAuth: Sendable {
    let user: String
    let password: String
    let server: RegistryTestProcess
    let realm: String
    let certificatePath: String
    static let service = "test-registry"
    static let issuer = "swiftlet-test-issuer"

    /// Generates a key and self-signed certificate with openssl and starts the token server.
    static func start(in directory: String, user: String, password: String) async throws -> RegistryTokenAuth {
        let key = directory + "/token-key.pem", certificate = directory + "/token-cert.pem"
        try await RegistryTestSupport.run("openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=swiftlet-test-token-issuer",
        ])
        let server = try RegistryTestProcess(
            "python3", [RegistryTestSupport.fixtures + "/token_server.py", key, certificate, issuer, user, password],
            name: "token server")
        do {
            let line = try await server.waitForLine(containing: "listening on ")
            let port = line.split(separator: " ").last.map(String.init) ?? ""
            return RegistryTokenAuth(user: user, password: password, server: server,
                                     realm: "http://127.0.0.1:\(port)/token", certificatePath: certificate)
        } catch {
            await server.stop()
            throw error
        }
    }
}

/// A `docker-registry` process on 127.0.0.1 with its storage in a test directory.
struct LocalTestRegistry: Sendable {
    let process: RegistryTestProcess
    let port: Int
    var authority: String { "127.0.0.1:\(port)" }

    static func start(in directory: String, tokenAuth: RegistryTokenAuth? = nil) async throws -> LocalTestRegistry {
        var lastError: (any Error)?
        for attempt in 1...3 {
            let port = try RegistryTestSupport.freePort()
            var config = """
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: \(directory)/storage-\(attempt)
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)
              secret: swiftlet-test-secret

            """
            if let tokenAuth {
                config += """
                auth:
                  token:
                    realm: \(tokenAuth.realm)
                    service: \(RegistryTokenAuth.service)
                    issuer: \(RegistryTokenAuth.issuer)
                    rootcertbundle: \(tokenAuth.certificatePath)

                """
            }
            let configPath = directory + "/registry-\(attempt).yml"
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let process = try RegistryTestProcess("docker-registry", ["serve", configPath], name: "docker-registry")
            do {
                _ = try await process.waitForLine(containing: "listening on 127.0.0.1:\(port)")
                return LocalTestRegistry(process: process, port: port)
            } catch {
                // Most likely the port was taken in the meantime: try another.
                await process.stop()
                lastError = error
            }
        }
        throw lastError!
    }

    /// Pushes tag `tag` of the OCI layout at `layout` as `<repository>:<pushTag>` with skopeo.
    func push(layout: String, tag: String, repository: String, as pushTag: String, all: Bool = false,
              credentials: (String, String)? = nil) async throws {
        var arguments = ["--insecure-policy", "copy", "--dest-tls-verify=false"]
        if all { arguments.append("--all") }
        if let credentials { arguments += ["--dest-creds", "\(credentials.0):\(credentials.1)"] }
        arguments += ["oci:\(layout):\(tag)", "docker://\(authority)/\(repository):\(pushTag)"]
        try await RegistryTestSupport.run("skopeo", arguments)
    }
}

/// A small OCI image layout built with tar and gzip: tag `v1` is a two-layer image for this node's platform,
/// tag `other` a one-layer image for another architecture, tag `multi` an index of both.
struct RegistryTestImage: Sendable {
    let layout: String
    let manifestDigest: ImageDigest
    let configDigest: ImageDigest
    let layerDigests: [ImageDigest]
    let otherManifestDigest: ImageDigest
    let indexDigest: ImageDigest

    static func build(in directory: String) async throws -> RegistryTestImage {
        let layout = directory + "/layout"
        let blobs = layout + "/blobs/sha256"
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)

        func store(_ bytes: [UInt8]) throws -> (digest: ImageDigest, size: Int) {
            let digest = ImageDigest(of: bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: blobs + "/" + digest.hex))
            return (digest, bytes.count)
        }
        func layer(_ name: String, files: [String: String]) async throws -> (diffID: ImageDigest, digest: ImageDigest, size: Int) {
            let root = directory + "/" + name
            for (path, content) in files {
                let file = root + "/" + path
                try FileManager.default.createDirectory(
                    atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try content.write(toFile: file, atomically: true, encoding: .utf8)
            }
            let tar = directory + "/" + name + ".tar"
            try await RegistryTestSupport.run("tar", [
                "--sort=name", "--mtime=2024-01-01 00:00Z", "--owner=0", "--group=0", "--numeric-owner",
                "-C", root, "-cf", tar, ".",
            ])
            let diffID = ImageDigest(of: try Array(Data(contentsOf: URL(fileURLWithPath: tar))))
            try await RegistryTestSupport.run("gzip", ["-n", "-f", tar])
            let (digest, size) = try store(Array(Data(contentsOf: URL(fileURLWithPath: tar + ".gz"))))
            return (diffID, digest, size)
        }
        func image(architecture: String, layers: [(diffID: ImageDigest, digest: ImageDigest, size: Int)]) throws
            -> (manifest: ImageDigest, manifestSize: Int, config: ImageDigest)
        {
            let diffIDs = layers.map { "\"\($0.diffID)\"" }.joined(separator: ",")
            let config = #"{"architecture":"\#(architecture)","os":"linux","config":{"Env":["PATH=/bin","GREETING=hello"],"#
                + #""Cmd":["/bin/sh"],"WorkingDir":"/data"},"rootfs":{"type":"layers","diff_ids":[\#(diffIDs)]}}"#
            let (configDigest, configSize) = try store(Array(config.utf8))
            let layerJSON = layers.map {
                #"{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#($0.digest)","size":\#($0.size)}"#
            }.joined(separator: ",")
            let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","#
                + #""config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(configDigest)","#
                + #""size":\#(configSize)},"layers":[\#(layerJSON)]}"#
            let (manifestDigest, manifestSize) = try store(Array(manifest.utf8))
            return (manifestDigest, manifestSize, configDigest)
        }

        let base = try await layer("layer1", files: ["etc/hello": "hello from layer one\n", "data/old": "old\n"])
        let top = try await layer("layer2", files: ["etc/motd": "layer two was here\n"])
        let here = ImagePlatform.current
        let main = try image(architecture: here.architecture, layers: [base, top])
        let otherArchitecture = here.architecture == "s390x" ? "ppc64le" : "s390x"
        let otherLayer = try await layer("layer3", files: ["etc/other": "another platform\n"])
        let other = try image(architecture: otherArchitecture, layers: [otherLayer])

        func entry(_ digest: ImageDigest, _ size: Int, architecture: String, variant: String?) -> String {
            let variantJSON = variant.map { #","variant":"\#($0)""# } ?? ""
            return #"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(digest)","size":\#(size),"#
                + #""platform":{"architecture":"\#(architecture)","os":"linux"\#(variantJSON)}}"#
        }
        // The other platform first, so picking the first entry would be wrong.
        let index = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":["#
            + entry(other.manifest, other.manifestSize, architecture: otherArchitecture, variant: nil) + ","
            + entry(main.manifest, main.manifestSize, architecture: here.architecture, variant: here.variant) + "]}"
        let (indexDigest, indexSize) = try store(Array(index.utf8))

        func tag(_ name: String, _ mediaType: String, _ digest: ImageDigest, _ size: Int) -> String {
            #"{"mediaType":"\#(mediaType)","digest":"\#(digest)","size":\#(size),"#
                + #""annotations":{"org.opencontainers.image.ref.name":"\#(name)"}}"#
        }
        let layoutIndex = #"{"schemaVersion":2,"manifests":["#
            + tag("v1", "application/vnd.oci.image.manifest.v1+json", main.manifest, main.manifestSize) + ","
            + tag("other", "application/vnd.oci.image.manifest.v1+json", other.manifest, other.manifestSize) + ","
            + tag("multi", "application/vnd.oci.image.index.v1+json", indexDigest, indexSize) + "]}"
        try layoutIndex.write(toFile: layout + "/index.json", atomically: true, encoding: .utf8)
        try #"{"imageLayoutVersion":"1.0.0"}"#.write(toFile: layout + "/oci-layout", atomically: true, encoding: .utf8)
        return RegistryTestImage(
            layout: layout, manifestDigest: main.manifest, configDigest: main.config,
            layerDigests: [base.digest, top.digest], otherManifestDigest: other.manifest, indexDigest: indexDigest)
    }
}
