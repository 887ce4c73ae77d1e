import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Incremental sha256 over bytes, and over whole files read in chunks.
///
/// A value type; not shared between tasks. `digest(ofFileAt:)` blocks its thread: call it through
/// `BlockingWork.run` from async code.
struct SHA256Hasher {
    private var hash = SHA256()
    private(set) var byteCount = 0

    mutating func update(_ bytes: [UInt8]) {
        hash.update(data: bytes)
        byteCount += bytes.count
    }

    mutating func update(_ buffer: UnsafeRawBufferPointer) {
        hash.update(bufferPointer: buffer)
        byteCount += buffer.count
    }

    func finalize() -> ImageDigest {
        let bytes = Array(hash.finalize())
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return ImageDigest(validatedHex: String(decoding: hex, as: UTF8.self))
    }

    /// The sha256 and size of the file at `path` (blocking).
    static func digest(ofFileAt path: String) throws(ImageError) -> (digest: ImageDigest, size: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .fileSystem(operation: "open", path: path, reason: lastErrorText()) }
        defer { close(fd) }
        return try digest(ofDescriptor: fd, path: path)
    }

    /// Reads `fd` to its end and returns the sha256 and byte count of what it read (blocking).
    static func digest(ofDescriptor fd: Int32, path: String) throws(ImageError) -> (digest: ImageDigest, size: Int) {
        var hasher = SHA256Hasher()
        let chunkSize = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, chunkSize)
            if count > 0 {
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            } else if count == 0 {
                return (hasher.finalize(), hasher.byteCount)
            } else if errno != EINTR {
                throw .fileSystem(operation: "read", path: path, reason: lastErrorText())
            }
        }
    }
}

/// `strerror(errno)` as a String.
func lastErrorText() -> String {
    String(cString: strerror(errno))
}
