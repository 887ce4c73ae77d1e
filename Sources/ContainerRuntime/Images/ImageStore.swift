#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
public import Logging
import Synchronization

/// The node's content-addressed image store under one root directory:
///
/// ```
/// <root>/blobs/sha256/<hex>     manifests, configs and layer blobs, named by their sha256
/// <root>/images.json            manifest digest -> names (written atomically)
/// <root>/layers/<diff-id hex>/  each layer unpacked once for overlayfs (whiteouts converted)
/// <root>/tmp/                   scratch space for imports, downloads and unpacking (emptied at start)
/// ```
///
/// Names are normalized references (`docker.io/library/busybox:latest`). A name points at one image; when
/// an import or pull moves it to a new image, the old image stays as a dangling image (no names) until
/// removed by id, so containers still running from it keep their layers.
///
/// Thread-safe: a `Mutex` guards the index, the image cache, the pinned blobs and the in-flight unpacks;
/// blocking file work runs on Dispatch and tar runs as a child process, never while holding the lock.
/// One open store per root directory: `<root>/lock` is held with flock(2) while the store exists, so a
/// second process (say `swiftlet image import` beside a running server) gets `ImageError.storeInUse`
/// instead of overwriting the index.
public final class ImageStore: Sendable {
    /// The store's root directory.
    public let root: String
    let logger: Logger
    let state: Mutex<State>
    private let lockDescriptor: Int32

    struct State: Sendable {
        var index = ImageIndexFile()
        /// Parsed images by manifest digest, names as in `index`.
        var images: [ImageDigest: StoredImage] = [:]
        /// Blobs ingested or found (`hasBlob`) for a pull that has not recorded its image yet; garbage
        /// collection keeps them.
        var pinnedBlobs: Set<ImageDigest> = []
        /// Layers being unpacked, by diff_id; later callers await the same task.
        var unpacking: [ImageDigest: Task<String, any Error>] = [:]
    }

    var blobsDirectory: String { root + "/blobs/sha256" }
    var layersDirectory: String { root + "/layers" }
    var temporaryDirectory: String { root + "/tmp" }
    var indexPath: String { root + "/images.json" }

    /// Opens (creating if needed) the store at `root`, empties its scratch directory and loads the index.
    /// Images whose blobs are missing or unreadable are dropped from the index with a warning.
    public init(root: String, logger: Logger = Logger(label: "swiftlet.images")) throws(ImageError) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        self.logger = logger
        self.state = Mutex(State())
        let root = self.root
        try StoreFiles.makeDirectory(root)
        self.lockDescriptor = try Self.lock(root)
        try StoreFiles.makeDirectory(root + "/blobs/sha256")
        try StoreFiles.makeDirectory(root + "/layers")
        try? FileManager.default.removeItem(atPath: root + "/tmp")
        try StoreFiles.makeDirectory(root + "/tmp")

        var index = try ImageIndexFile.read(from: root + "/images.json")
        var images: [ImageDigest: StoredImage] = [:]
        var kept: [ImageIndexFile.Entry] = []
        for entry in index.images {
            do {
                images[entry.manifest] = try loadImage(manifestDigest: entry.manifest, names: entry.names)
                kept.append(entry)
            } catch {
                logger.warning(
                    "Dropping unreadable image from the store index",
                    metadata: ["manifest": "\(entry.manifest)", "error": "\(error)"])
            }
        }
        if kept.count != index.images.count {
            index.images = kept
            try index.write(to: root + "/images.json")
        }
        let loadedIndex = index
        state.withLock { state in
            state.index = loadedIndex
            state.images = images
        }
    }

    deinit {
        close(lockDescriptor)
    }

    /// Takes `<root>/lock` (flock, released when the descriptor closes) and writes this process id into it.
    private static func lock(_ root: String) throws(ImageError) -> Int32 {
        let path = root + "/lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .fileSystem(operation: "open", path: path, reason: lastErrorText()) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = (try? StoreFiles.read(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            close(fd)
            guard code == EWOULDBLOCK else {
                throw .fileSystem(operation: "flock", path: path, reason: String(cString: strerror(code)))
            }
            throw .storeInUse(root: root, holder: holder.isEmpty ? "another process" : "process " + holder)
        }
        let pid = Array(String(getpid()).utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return fd
    }

    // MARK: - Listing and lookup

    /// Every image, sorted by first name (dangling images last, by id).
    public func images() -> [StoredImage] {
        let images = state.withLock { Array($0.images.values) }
        return images.sorted { lhs, rhs in
            switch (lhs.names.first, rhs.names.first) {
            case (let left?, let right?): left < right
            case (.some, .none): true
            case (.none, .some): false
            case (.none, .none): lhs.configDigest < rhs.configDigest
            }
        }
    }

    /// The image with this name (normalized: `busybox` finds `docker.io/library/busybox:latest`), this
    /// `name@sha256:<manifest digest>`, this id (`sha256:<hex>`) or this unique id prefix; nil if none.
    public func image(named text: String) -> StoredImage? {
        try? resolve(text)
    }

    /// Like `image(named:)`, but says why nothing was found (`imageNotFound`, `ambiguousImageID`).
    public func resolve(_ text: String) throws(ImageError) -> StoredImage {
        try state.withLock { state throws(ImageError) in try Self.resolve(text, in: state) }
    }

    static func resolve(_ text: String, in state: State) throws(ImageError) -> StoredImage {
        if let reference = try? ImageReference(parsing: text) {
            let name = reference.normalizedName
            if let entry = state.index.images.first(where: { $0.names.contains(name) }),
               let image = state.images[entry.manifest] {
                return image
            }
            if let digest = reference.digest, let image = state.images[digest],
               image.names.contains(where: { (try? ImageReference(parsing: $0))?.repositoryName == reference.repositoryName }) {
                return image
            }
        }
        var hex = Substring(text)
        if hex.hasPrefix("sha256:") { hex = hex.dropFirst("sha256:".count) }
        guard !hex.isEmpty, hex.count <= 64, hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        else { throw .imageNotFound(text) }
        let matches = state.images.values.filter { $0.configDigest.hex.hasPrefix(hex) }
        let ids = Set(matches.map(\.configDigest))
        if ids.count > 1 { throw .ambiguousImageID(text) }
        // Several manifests may share one config (the same image imported and pulled): prefer a named one.
        guard let image = matches.sorted(by: { $0.names.count > $1.names.count }).first else {
            throw .imageNotFound(text)
        }
        return image
    }

    // MARK: - Removal and garbage collection

    /// What `remove(_:)` did.
    public struct Removal: Sendable, Equatable {
        /// Names that no longer point at an image.
        public var untaggedNames: [String]
        /// Ids of images that were deleted.
        public var deletedImageIDs: [String]

        public init(untaggedNames: [String], deletedImageIDs: [String]) {
            self.untaggedNames = untaggedNames
            self.deletedImageIDs = deletedImageIDs
        }
    }

    /// Removes a name, or a whole image: given a name, only that name goes (the image too once it has no
    /// names left); given an id or id prefix, the image and all its names go. Then blobs and unpacked
    /// layers that no image references any more are deleted.
    ///
    /// The caller makes sure no running container uses the image (an unpacked layer in use as an overlay
    /// lower directory must not be deleted).
    @discardableResult
    public func remove(_ nameOrID: String) async throws(ImageError) -> Removal {
        let removal = try state.withLock { state throws(ImageError) -> Removal in
            let image = try Self.resolve(nameOrID, in: state)
            var removal = Removal(untaggedNames: [], deletedImageIDs: [])
            var index = state.index
            let name = (try? ImageReference(parsing: nameOrID))?.normalizedName
            if let name, image.names.contains(name) {
                removal.untaggedNames = [name]
                for position in index.images.indices { index.images[position].names.removeAll { $0 == name } }
                index.images.removeAll { $0.manifest == image.manifestDigest && $0.names.isEmpty }
            } else {
                let doomed = Set(state.images.values.filter { $0.configDigest == image.configDigest }.map(\.manifestDigest))
                removal.untaggedNames = index.images.filter { doomed.contains($0.manifest) }.flatMap(\.names).sorted()
                index.images.removeAll { doomed.contains($0.manifest) }
            }
            if !index.images.contains(where: { $0.manifest == image.manifestDigest }) {
                removal.deletedImageIDs = [image.id]
            }
            try Self.apply(index, to: &state, indexPath: indexPath)
            return removal
        }
        logger.info(
            "Removed image",
            metadata: ["untagged": "\(removal.untaggedNames)", "deleted": "\(removal.deletedImageIDs)"])
        if !removal.deletedImageIDs.isEmpty { try await collectGarbage() }
        return removal
    }

    /// Deletes blobs and unpacked layers no image references (pinned blobs and layers being unpacked stay).
    public func collectGarbage() async throws(ImageError) {
        let blobsDirectory = blobsDirectory
        let layersDirectory = layersDirectory
        let temporaryDirectory = temporaryDirectory
        let (doomedLayers, deletedBlobs) = state.withLock { state -> ([String], Int) in
            var blobs: Set<String> = Set(state.pinnedBlobs.map(\.hex))
            var diffIDs: Set<String> = Set(state.unpacking.keys.map(\.hex))
            for image in state.images.values {
                blobs.insert(image.manifestDigest.hex)
                blobs.insert(image.configDigest.hex)
                for layer in image.layers {
                    blobs.insert(layer.digest.hex)
                    diffIDs.insert(layer.diffID.hex)
                }
            }
            var deletedBlobs = 0
            for name in StoreFiles.directoryEntries(blobsDirectory) where !blobs.contains(name) {
                if unlink(blobsDirectory + "/" + name) == 0 { deletedBlobs += 1 }
            }
            // Move doomed layer directories out of the way while locked (rename is atomic and quick);
            // delete them after unlocking.
            var doomedLayers: [String] = []
            for name in StoreFiles.directoryEntries(layersDirectory) where !diffIDs.contains(name) {
                let doomed = temporaryDirectory + "/gc-" + name + "-" + StoreFiles.randomSuffix()
                if rename(layersDirectory + "/" + name, doomed) == 0 { doomedLayers.append(doomed) }
            }
            return (doomedLayers, deletedBlobs)
        }
        for path in doomedLayers { try await StoreFiles.removeTree(path) }
        logger.debug(
            "Collected image store garbage",
            metadata: ["blobs": "\(deletedBlobs)", "layers": "\(doomedLayers.count)"])
    }

    // MARK: - Internals shared by the extensions

    /// Writes `index` to disk, then makes it (and the images it names) the current state. The caller holds
    /// the lock; images must already be loaded into `state.images` or loadable from blobs.
    static func apply(_ index: ImageIndexFile, to state: inout State, indexPath: String) throws(ImageError) {
        try index.write(to: indexPath)
        var images: [ImageDigest: StoredImage] = [:]
        for entry in index.images {
            guard let image = state.images[entry.manifest] else { continue }
            images[entry.manifest] = image.renamed(entry.names)
        }
        state.index = index
        state.images = images
    }

    /// Reads an image's manifest and config blobs (blocking; small files).
    func loadImage(manifestDigest: ImageDigest, names: [String]) throws(ImageError) -> StoredImage {
        let manifest = try ManifestParser.imageManifest(
            try StoreFiles.read(blobPath(manifestDigest), missing: .blobNotFound(manifestDigest)),
            what: "image manifest \(manifestDigest)")
        let configBytes = try StoreFiles.read(
            blobPath(manifest.config.digest), missing: .blobNotFound(manifest.config.digest))
        return try Self.makeImage(
            manifest: manifest, manifestDigest: manifestDigest, configBytes: configBytes, names: names)
    }

    static func makeImage(
        manifest: OCIManifest, manifestDigest: ImageDigest, configBytes: [UInt8], names: [String]
    ) throws(ImageError) -> StoredImage {
        let (configuration, diffIDs) = try ImageConfiguration.parse(configBytes: configBytes)
        guard diffIDs.count == manifest.layers.count else {
            throw .malformedDocument(
                what: "image \(manifestDigest)",
                reason: "the manifest has \(manifest.layers.count) layers but the config lists \(diffIDs.count) diff_ids")
        }
        let layers = zip(manifest.layers, diffIDs).map { layer, diffID in
            StoredLayer(digest: layer.digest, diffID: diffID, mediaType: layer.mediaType, size: layer.size)
        }
        return StoredImage(
            configDigest: manifest.config.digest, manifestDigest: manifestDigest, names: names.sorted(),
            size: manifest.config.size + layers.reduce(0) { $0 + $1.size }, layers: layers,
            configuration: configuration)
    }
}

extension StoredImage {
    func renamed(_ names: [String]) -> StoredImage {
        StoredImage(
            configDigest: configDigest, manifestDigest: manifestDigest, names: names.sorted(), size: size,
            layers: layers, configuration: configuration)
    }
}
