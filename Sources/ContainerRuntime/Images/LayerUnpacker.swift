#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import HostSystem

/// Unpacks one layer blob into a directory an overlayfs mount can use as a lower layer:
///
/// 1. extract with `tar -xpf … --numeric-owner --xattrs` (gzip, zstd or plain, sniffed from the blob) into
///    `<scratch>/rootfs`, while hashing the uncompressed stream in parallel;
/// 2. check the hash against the layer's diff_id;
/// 3. convert whiteouts: `.wh.X` becomes a 0/0 character device `X`, `.wh..wh..opq` becomes the xattr
///    `trusted.overlay.opaque=y` on its directory (the marker is removed), other `.wh..wh.*` are dropped;
/// 4. rename `<scratch>/rootfs` to the destination.
///
/// A failure at any step throws `ImageError` and leaves the destination absent; the caller deletes the
/// scratch directory. Stateless; Sendable. Runs tar and the decompressor as child processes.
struct LayerUnpacker: Sendable {
    let layer: StoredLayer
    let blobPath: String

    func unpack(into destination: String, scratch: String) async throws(ImageError) {
        func failure(_ reason: String) -> ImageError { .layerExtractionFailed(diffID: layer.diffID, reason: reason) }
        guard StoreFiles.exists(blobPath) else { throw .blobNotFound(layer.digest) }
        let compression = try LayerCompression.sniff(path: blobPath, layer: layer.digest)
        let rootfs = scratch + "/rootfs"
        try StoreFiles.makeDirectory(rootfs)

        let arguments = ["-x", "-p", "-f", blobPath, "-C", rootfs, "--numeric-owner", "--xattrs",
                         "--xattrs-include=security.capability", "--xattrs-include=user.*"]
            + compression.tarOptions
        let diffID = layer.diffID
        let blobPath = blobPath
        async let extraction: HostCommand.Output? = try? HostCommand.run("tar", arguments)
        let digest: Result<ImageDigest, ImageError>
        do {
            digest = .success(try await compression.uncompressedDigest(ofBlobAt: blobPath, diffID: diffID))
        } catch {
            digest = .failure(error)
        }
        let tarOutput = await extraction
        let actual = try digest.get()
        guard actual == layer.diffID else {
            throw .digestMismatch(what: "uncompressed layer \(layer.digest)", expected: layer.diffID, actual: actual)
        }
        guard let tarOutput else { throw failure("cannot start tar; is it installed?") }
        guard tarOutput.status.succeeded else {
            let stderr = tarOutput.standardErrorText.split(whereSeparator: \.isNewline).joined(separator: "; ")
            throw failure("tar failed with \(tarOutput.status): \(stderr)")
        }
        try await WhiteoutConverter(root: rootfs, diffID: layer.diffID).convert()
        try StoreFiles.rename(rootfs, to: destination)
    }
}

/// Turns OCI whiteout files into overlayfs whiteouts in an extracted layer directory.
///
/// Stateless apart from its inputs; Sendable. Finds markers with `find -name '.wh.*'` (which never follows
/// symlinks), so every path it touches lies inside `root`.
struct WhiteoutConverter: Sendable {
    static let opaqueMarker = ".wh..wh..opq"
    static let opaqueAttribute = "trusted.overlay.opaque"

    let root: String
    let diffID: ImageDigest

    func convert() async throws(ImageError) {
        func failure(_ reason: String) -> ImageError { .layerExtractionFailed(diffID: diffID, reason: reason) }
        let found: HostCommand.Output
        do {
            found = try await HostCommand.runChecked("find", [root, "-name", ".wh.*", "-print0"])
        } catch {
            throw failure("cannot list whiteouts: \(error.description)")
        }
        let paths = found.standardOutput.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        for path in paths where path != root {
            let directory = StoreFiles.parent(of: path)
            let name = String(path[path.index(after: path.lastIndex(of: "/")!)...])
            if name == Self.opaqueMarker {
                try remove(path)
                do {
                    try ExtendedAttributes.set(Self.opaqueAttribute, value: Array("y".utf8), at: directory)
                } catch {
                    throw failure("cannot mark \(directory) opaque: \(error.description)")
                }
            } else if name.hasPrefix(".wh..wh.") {
                try remove(path)        // aufs metadata (e.g. .wh..wh.plnk), meaningless to overlayfs
            } else {
                let hidden = String(name.dropFirst(".wh.".count))
                guard !hidden.isEmpty, hidden != ".", hidden != ".." else { throw failure("invalid whiteout \(path)") }
                try remove(path)
                let target = directory + "/" + hidden
                if StoreFiles.exists(target) {
                    try await StoreFiles.removeTree(target)
                }
                // A character device with device number 0/0 is an overlayfs whiteout.
                guard mknod(target, S_IFCHR, 0) == 0 else {
                    throw failure("mknod \(target) failed: \(lastErrorText())")
                }
            }
        }
    }

    private func remove(_ path: String) throws(ImageError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .layerExtractionFailed(diffID: diffID, reason: "cannot remove whiteout marker \(path): \(lastErrorText())")
        }
    }
}
