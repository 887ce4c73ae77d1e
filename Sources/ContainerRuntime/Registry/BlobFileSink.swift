#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore

/// A blob being downloaded: written to a new file while its sha256 is computed, refusing more bytes than the
/// manifest announced.
///
/// Not thread-safe: owned by the one task that downloads the blob. Writes are plain `write(2)` calls of one
/// network chunk each (short, local). ``discard()`` closes and removes the file unless it was ingested.
final class BlobFileSink {
    let path: String
    let expectedSize: Int
    let digest: ImageDigest
    private(set) var bytesWritten = 0
    private var hasher = SHA256Hasher()
    private var descriptor: Int32

    init(path: String, expectedSize: Int, digest: ImageDigest) throws(RegistryError) {
        self.path = path
        self.expectedSize = expectedSize
        self.digest = digest
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RegistryError(.storage, stage: .copy, detail: "cannot create \(path): \(lastErrorText())")
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func write(_ buffer: ByteBuffer) throws(RegistryError) {
        guard bytesWritten + buffer.readableBytes <= expectedSize else {
            throw RegistryError(.digestMismatch, stage: .copy, detail:
                "blob \(digest): the registry sent more than the \(expectedSize) bytes the manifest says")
        }
        let failure: String? = buffer.withUnsafeReadableBytes { bytes in
            hasher.update(bytes)
            var offset = 0
            while offset < bytes.count {
                let count = writeToDescriptor(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return lastErrorText()
                }
                offset += count
            }
            return nil
        }
        if let failure {
            throw RegistryError(.storage, stage: .copy, detail: "cannot write \(path): \(failure)")
        }
        bytesWritten += buffer.readableBytes
    }

    /// Closes the file and returns the digest of everything written.
    func finish() throws(RegistryError) -> ImageDigest {
        if descriptor >= 0 {
            let result = close(descriptor)
            descriptor = -1
            if result != 0 {
                throw RegistryError(.storage, stage: .copy, detail: "cannot close \(path): \(lastErrorText())")
            }
        }
        return hasher.finalize()
    }

    /// Closes and deletes the file (a no-op for a file the store already moved away).
    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(path)
    }
}

/// `write(2)`, named apart from ``BlobFileSink/write(_:)``.
private func writeToDescriptor(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
