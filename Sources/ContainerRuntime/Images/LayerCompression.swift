#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import HostSystem

/// How a layer blob is compressed, told by its first bytes (media types lie, e.g. Docker's `.tar.gzip` for
/// an uncompressed tar in old archives).
///
/// A value type; Sendable. `uncompressedDigest` runs the decompressor as a child process and hashes its
/// output on a Dispatch thread.
enum LayerCompression: Sendable, Equatable {
    case none, gzip, zstd

    /// gzip `1f 8b`, zstd `28 b5 2f fd`; xz and bzip2 are refused; anything else is taken for a plain tar.
    static func sniff(path: String, layer: ImageDigest) throws(ImageError) -> LayerCompression {
        let magic = try StoreFiles.readPrefix(path, count: 6)
        if magic.starts(with: [0x1f, 0x8b]) { return .gzip }
        if magic.starts(with: [0x28, 0xb5, 0x2f, 0xfd]) { return .zstd }
        if magic.starts(with: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { throw .unsupportedCompression(layer: layer, format: "xz") }
        if magic.starts(with: [0x42, 0x5a, 0x68]) { throw .unsupportedCompression(layer: layer, format: "bzip2") }
        return .none
    }

    /// The media type of a layer blob compressed this way.
    var ociMediaType: String {
        switch self {
        case .none: OCIMediaType.ociLayer
        case .gzip: OCIMediaType.ociLayerGzip
        case .zstd: OCIMediaType.ociLayerZstd
        }
    }

    /// The tar option that decompresses this way.
    var tarOptions: [String] {
        switch self {
        case .none: []
        case .gzip: ["--gzip"]
        case .zstd: ["--zstd"]
        }
    }

    /// The sha256 of the uncompressed tar (what a diff_id names). `diffID` labels errors.
    func uncompressedDigest(ofBlobAt path: String, diffID: ImageDigest) async throws(ImageError) -> ImageDigest {
        let decompressor: (String, [String])
        switch self {
        case .none:
            return try await BlockingWork.run { () throws(ImageError) in try SHA256Hasher.digest(ofFileAt: path).digest }
        case .gzip: decompressor = ("gzip", ["-dc"])
        case .zstd: decompressor = ("zstd", ["-dcq"])
        }
        func failure(_ reason: String) -> ImageError { .layerExtractionFailed(diffID: diffID, reason: reason) }

        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .fileSystem(operation: "open", path: path, reason: lastErrorText()) }
        let output: HostPipe
        let errors: HostPipe
        do {
            output = try HostPipe()
            errors = try HostPipe()
        } catch {
            close(input)
            throw failure(error.description)
        }
        let pid: Int32
        do {
            pid = try ProcessSpawner.spawn(
                decompressor.0, decompressor.1,
                streams: .init(input: input, output: output.writeEnd, error: errors.writeEnd))
        } catch {
            for fd in [input, output.readEnd, output.writeEnd, errors.readEnd, errors.writeEnd] { close(fd) }
            throw failure(error.description)
        }
        close(input)
        close(output.writeEnd)
        close(errors.writeEnd)
        let outputFD = output.readEnd
        let errorFD = errors.readEnd
        async let errorText: [UInt8] = BlockingWork.run { () throws(ImageError) in
            defer { close(errorFD) }
            return HostPipe.readAll(errorFD)
        }
        let hashed: Result<(digest: ImageDigest, size: Int), ImageError>
        do {
            hashed = .success(try await BlockingWork.run { () throws(ImageError) in
                defer { close(outputFD) }
                return try SHA256Hasher.digest(ofDescriptor: outputFD, path: "\(decompressor.0) output")
            })
        } catch {
            kill(pid, SIGKILL)
            hashed = .failure(error)
        }
        let status = await ChildExitMonitor.shared.exit(of: pid)
        let stderr = String(decoding: (try? await errorText) ?? [], as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: "; ")
        let digest = try hashed.get().digest
        guard status.succeeded else {
            throw failure("\(decompressor.0) -d failed with \(status): \(stderr.isEmpty ? "corrupt or truncated data" : stderr)")
        }
        return digest
    }
}
