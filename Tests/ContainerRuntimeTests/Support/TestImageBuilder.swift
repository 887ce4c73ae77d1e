import Foundation
import HostSystem

/// A small two-layer busybox image in every format Swiftlet imports, built from scratch for tests (the Swift
/// port of the design notes' reference script `mkimage.sh`; needs `tar`, `gzip`, `sha256sum` and a *static*
/// busybox: `apt-get install -y busybox-static` gives `/bin/busybox`; `BUSYBOX=/path` overrides).
///
/// - Layer 1: `/bin/busybox` plus applet symlinks (sh, ls, cat, grep, …), `/etc/passwd`, `/etc/group`,
///   `/data/old-file`, empty `/tmp /proc /sys /dev /root`.
/// - Layer 2: a whiteout of `/bin/grep` (`bin/.wh.grep`), an opaque `/data` (`data/.wh..wh..opq`),
///   new `/etc/motd` ("layer2 was here") and `/data/new-file` ("new").
/// - Config: Env `PATH=…`, `GREETING=hello`; Entrypoint `["/bin/sh","-c"]`; Cmd
///   `["echo $GREETING from $(hostname) in $(pwd); id"]`; WorkingDir `/data`; User `0:0`.
///
/// Outputs (`TestImage`): an OCI layout directory with tags `v1` (layer 1) and `v2` (both layers), gzip
/// layers; the same layout as an OCI archive tar; a `docker save` tar of v2 (`RepoTags: ["local/bbx:v2"]`,
/// uncompressed layer tars named by diff_id); a Docker ≥ 25 style tar of v2 with both `manifest.json` and
/// an OCI `index.json` (annotation `io.containerd.image.name` = `docker.io/local/bbx:v2`); and, through
/// `flattenRootfs`, a plain merged root directory (for runc tests that need no image store).
///
/// Digests are plain `sha256:<hex>` strings so that other test targets can copy this file as it is (it
/// imports only Foundation and HostSystem). The build is reproducible: the same busybox gives the same
/// digests. Stateless; safe from any task; every build writes into its own directory.
enum TestImageBuilder {
    /// A static busybox to build from, or nil (tests then skip).
    static let busyboxPath: String? = {
        var candidates = ["/bin/busybox", "/usr/bin/busybox"]
        if let override = ProcessInfo.processInfo.environment["BUSYBOX"] { candidates.insert(override, at: 0) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) && isStaticELF($0) }
    }()

    /// Whether the image can be built here (a static busybox is installed).
    static var isAvailable: Bool { busyboxPath != nil }

    static let skipReason = "needs a static busybox: apt-get install -y busybox-static"

    static let applets = [
        "sh", "ls", "cat", "echo", "sleep", "id", "env", "hostname", "ip", "ping", "wget", "nc", "httpd", "ps", "top",
        "seq", "true", "false", "mkdir", "rm", "grep", "head", "dd",
    ]

    /// Builds the image into a fresh directory under the system temp directory, runs `body`, then deletes
    /// the directory (also when `body` throws).
    static func withTestImage<Result>(_ body: (TestImage) async throws -> Result) async throws -> Result {
        let directory = try makeTemporaryDirectory(prefix: "swiftlet-test-image")
        do {
            let result = try await body(try await build(in: directory))
            try? FileManager.default.removeItem(atPath: directory)
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Builds everything into `directory` (which must exist and should be empty).
    static func build(in directory: String) async throws -> TestImage {
        guard let busybox = busyboxPath else { throw TestImageBuilderError.busyboxMissing }
        let fileManager = FileManager.default
        let layout = directory + "/oci-layout"
        try fileManager.createDirectory(atPath: layout + "/blobs/sha256", withIntermediateDirectories: true)

        // Layer 1: busybox and friends.
        let layer1 = directory + "/layer1"
        for sub in ["bin", "tmp", "data", "etc", "proc", "sys", "dev", "root"] {
            try fileManager.createDirectory(atPath: layer1 + "/" + sub, withIntermediateDirectories: true)
        }
        try fileManager.copyItem(atPath: busybox, toPath: layer1 + "/bin/busybox")
        for applet in applets {
            try fileManager.createSymbolicLink(atPath: layer1 + "/bin/" + applet, withDestinationPath: "busybox")
        }
        try write("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n", to: layer1 + "/etc/passwd")
        try write("root:x:0:\nnobody:x:65534:\n", to: layer1 + "/etc/group")
        try write("old\n", to: layer1 + "/data/old-file")

        // Layer 2: a whiteout, an opaque directory, new files.
        let layer2 = directory + "/layer2"
        for sub in ["bin", "etc", "data"] {
            try fileManager.createDirectory(atPath: layer2 + "/" + sub, withIntermediateDirectories: true)
        }
        try write("", to: layer2 + "/bin/.wh.grep")
        try write("", to: layer2 + "/data/.wh..wh..opq")
        try write("layer2 was here\n", to: layer2 + "/etc/motd")
        try write("new\n", to: layer2 + "/data/new-file")

        // diff_id = sha256 of the tar; digest = sha256 of the gzip blob.
        var layers: [TestImage.Layer] = []
        for source in [layer1, layer2] {
            let tarPath = source + ".tar"
            try await run("tar", ["--sort=name", "--mtime=2024-01-01 00:00Z", "--owner=0", "--group=0",
                                  "--numeric-owner", "-C", source, "-cf", tarPath, "."])
            try await run("gzip", ["-n", "-k", "-f", tarPath])
            let diffID = try await sha256(of: tarPath)
            let digest = try await sha256(of: tarPath + ".gz")
            try fileManager.copyItem(atPath: tarPath + ".gz", toPath: layout + "/blobs/sha256/" + hex(digest))
            layers.append(TestImage.Layer(
                diffID: diffID, digest: digest, size: try fileSize(tarPath + ".gz"),
                tarPath: tarPath, gzipPath: tarPath + ".gz"))
        }

        // Configs and manifests for v1 (layer 1) and v2 (both).
        var configs: [(digest: String, bytes: Data)] = []
        var manifests: [(digest: String, size: Int)] = []
        for count in [1, 2] {
            let config = try json([
                "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
                "config": [
                    "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "GREETING=hello"],
                    "Entrypoint": ["/bin/sh", "-c"],
                    "Cmd": ["echo $GREETING from $(hostname) in $(pwd); id"],
                    "WorkingDir": "/data", "User": "0:0",
                ] as [String: Any],
                "rootfs": ["type": "layers", "diff_ids": layers.prefix(count).map(\.diffID)] as [String: Any],
            ])
            let configDigest = try await storeBlob(config, in: layout)
            configs.append((configDigest, config))
            let manifest = try json([
                "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": ["mediaType": "application/vnd.oci.image.config.v1+json", "digest": configDigest,
                           "size": config.count] as [String: Any],
                "layers": layers.prefix(count).map { layer in
                    ["mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer.digest,
                     "size": layer.size] as [String: Any]
                },
            ])
            manifests.append((try await storeBlob(manifest, in: layout), manifest.count))
        }
        try write("{\"imageLayoutVersion\":\"1.0.0\"}", to: layout + "/oci-layout")
        try json([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": manifests.enumerated().map { position, manifest in
                ["mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest.digest,
                 "size": manifest.size,
                 "annotations": ["org.opencontainers.image.ref.name": "v\(position + 1)"]] as [String: Any]
            },
        ]).write(to: URL(fileURLWithPath: layout + "/index.json"))
        let ociArchive = directory + "/oci-archive.tar"
        try await run("tar", ["-C", layout, "-cf", ociArchive, "."])

        // docker save of v2: config <hex>.json, uncompressed layers <diff_id hex>.tar, manifest.json.
        let docker = directory + "/docker-save"
        try fileManager.createDirectory(atPath: docker, withIntermediateDirectories: true)
        try configs[1].bytes.write(to: URL(fileURLWithPath: docker + "/" + hex(configs[1].digest) + ".json"))
        for layer in layers {
            try fileManager.copyItem(atPath: layer.tarPath, toPath: docker + "/" + hex(layer.diffID) + ".tar")
        }
        try json([[
            "Config": hex(configs[1].digest) + ".json", "RepoTags": ["local/bbx:v2"],
            "Layers": layers.map { hex($0.diffID) + ".tar" },
        ] as [String: Any]]).write(to: URL(fileURLWithPath: docker + "/manifest.json"))
        try json(["local/bbx": ["v2": hex(layers[1].diffID)]]).write(to: URL(fileURLWithPath: docker + "/repositories"))
        let dockerArchive = directory + "/docker-archive.tar"
        try await run("tar", ["-C", docker, "-cf", dockerArchive, "."])

        // Docker >= 25: the OCI layout of v2 plus manifest.json pointing into blobs/.
        let modern = directory + "/docker-modern"
        try fileManager.createDirectory(atPath: modern, withIntermediateDirectories: true)
        try fileManager.copyItem(atPath: layout + "/blobs", toPath: modern + "/blobs")
        try fileManager.copyItem(atPath: layout + "/oci-layout", toPath: modern + "/oci-layout")
        try json([
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [[
                "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifests[1].digest,
                "size": manifests[1].size,
                "annotations": ["io.containerd.image.name": "docker.io/local/bbx:v2",
                                "org.opencontainers.image.ref.name": "v2"],
            ] as [String: Any]],
        ]).write(to: URL(fileURLWithPath: modern + "/index.json"))
        try json([[
            "Config": "blobs/sha256/" + hex(configs[1].digest), "RepoTags": ["local/bbx:v2"],
            "Layers": layers.map { "blobs/sha256/" + hex($0.digest) },
        ] as [String: Any]]).write(to: URL(fileURLWithPath: modern + "/manifest.json"))
        let modernArchive = directory + "/docker-modern-archive.tar"
        try await run("tar", ["-C", modern, "-cf", modernArchive, "."])

        return TestImage(
            directory: directory, layoutDirectory: layout, ociArchivePath: ociArchive,
            dockerArchivePath: dockerArchive, dockerModernArchivePath: modernArchive, layers: layers,
            configDigests: configs.map(\.digest), manifestDigests: manifests.map(\.digest))
    }

    /// Writes the merged root file system of the first `layerCount` layers into `rootfs` (created if
    /// missing) the plain way, without overlayfs: per layer, first apply its whiteouts to what is there
    /// (`.wh.X` deletes X, `.wh..wh..opq` empties the directory), then extract it without the markers.
    static func flattenRootfs(of image: TestImage, layerCount: Int = 2, into rootfs: String) async throws {
        try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: true)
        for layer in image.layers.prefix(layerCount) {
            let listing = try await run("tar", ["-tf", layer.tarPath]).standardOutputText
            for entry in listing.split(separator: "\n").map(String.init) {
                let path = entry.hasPrefix("./") ? String(entry.dropFirst(2)) : entry
                let name = (path as NSString).lastPathComponent
                let directory = rootfs + "/" + (path as NSString).deletingLastPathComponent
                if name == ".wh..wh..opq" {
                    for child in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                        try FileManager.default.removeItem(atPath: directory + "/" + child)
                    }
                } else if name.hasPrefix(".wh.") {
                    try? FileManager.default.removeItem(atPath: directory + "/" + name.dropFirst(4))
                }
            }
            try await run("tar", ["-x", "-p", "-f", layer.tarPath, "-C", rootfs, "--numeric-owner",
                                  "--exclude=.wh.*", "--exclude=*/.wh.*"])
        }
    }

    /// A fresh, empty directory under the system temp directory.
    static func makeTemporaryDirectory(prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "/" + prefix + "-" + UUID().uuidString.lowercased().prefix(12)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    // MARK: - Helpers

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> HostCommand.Output {
        try await HostCommand.runChecked(executable, arguments)
    }

    /// `sha256:<hex>` of a file, via sha256sum.
    static func sha256(of path: String) async throws -> String {
        let output = try await run("sha256sum", [path]).standardOutputText
        return "sha256:" + (output.split(separator: " ").first.map(String.init) ?? "")
    }

    /// The hex part of `sha256:<hex>`.
    static func hex(_ digest: String) -> String { String(digest.dropFirst("sha256:".count)) }

    private static func storeBlob(_ bytes: Data, in layout: String) async throws -> String {
        let scratch = layout + "/blob.tmp"
        try bytes.write(to: URL(fileURLWithPath: scratch))
        let digest = try await sha256(of: scratch)
        try FileManager.default.moveItem(atPath: scratch, toPath: layout + "/blobs/sha256/" + hex(digest))
        return digest
    }

    /// Sorted-key JSON, written once and hashed as written (never re-serialized).
    private static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private static func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Whether an ELF file has no program interpreter (PT_INTERP), i.e. runs without a dynamic loader.
    private static func isStaticELF(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 64), header.count == 64,
              header.starts(with: [0x7f, 0x45, 0x4c, 0x46]), header[4] == 2 else { return false }
        func integer(_ data: Data, _ offset: Int, _ size: Int) -> Int {
            (0..<size).reduce(0) { $0 | Int(data[data.startIndex + offset + $1]) << (8 * $1) }
        }
        let programHeaderOffset = integer(header, 0x20, 8)
        let entrySize = integer(header, 0x36, 2)
        let count = integer(header, 0x38, 2)
        guard (try? handle.seek(toOffset: UInt64(programHeaderOffset))) != nil,
              let table = try? handle.read(upToCount: entrySize * count), table.count == entrySize * count
        else { return false }
        return !(0..<count).contains { integer(table, $0 * entrySize, 4) == 3 }
    }
}

/// What `TestImageBuilder.build` produced. Digests are `sha256:<hex>`; index 0 is v1, index 1 is v2.
struct TestImage: Sendable {
    struct Layer: Sendable {
        /// sha256 of the uncompressed tar (the config's diff_id).
        let diffID: String
        /// sha256 of the gzip blob (the manifest's layer digest).
        let digest: String
        /// Size of the gzip blob.
        let size: Int
        let tarPath: String
        let gzipPath: String
    }

    /// The build directory (scratch files and all outputs).
    let directory: String
    /// OCI image layout with tags v1 and v2.
    let layoutDirectory: String
    let ociArchivePath: String
    let dockerArchivePath: String
    let dockerModernArchivePath: String
    /// Layer 1 (busybox), layer 2 (whiteouts, opaque /data).
    let layers: [Layer]
    let configDigests: [String]
    let manifestDigests: [String]
}

enum TestImageBuilderError: Error, CustomStringConvertible {
    case busyboxMissing

    var description: String { "no static busybox found; " + TestImageBuilder.skipReason }
}
