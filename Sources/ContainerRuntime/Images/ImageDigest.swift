/// A content digest `sha256:<64 lowercase hex>`: the address of a blob, the id of an image (its config
/// digest) and the diff_id of a layer (the digest of the uncompressed tar).
///
/// A value type; Sendable. Only sha256 is supported, as by every registry Swiftlet talks to.
public struct ImageDigest: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The 64 lowercase hex digits.
    public let hex: String

    /// Parses `sha256:<hex>`; throws `ImageError.invalidDigest` for anything else.
    public init(parsing text: String) throws(ImageError) {
        guard text.hasPrefix("sha256:") else { throw .invalidDigest(text) }
        let hex = String(text.dropFirst("sha256:".count))
        guard Self.isHex(hex) else { throw .invalidDigest(text) }
        self.hex = hex
    }

    /// A digest from 64 lowercase hex digits (as in `blobs/sha256/<hex>`).
    public init(hex: String) throws(ImageError) {
        guard Self.isHex(hex) else { throw .invalidDigest("sha256:" + hex) }
        self.hex = hex
    }

    /// The sha256 of `bytes`.
    public init(of bytes: some Sequence<UInt8>) {
        var hasher = SHA256Hasher()
        hasher.update(Array(bytes))
        self = hasher.finalize()
    }

    init(validatedHex: String) { self.hex = validatedHex }

    public var description: String { "sha256:" + hex }

    /// The first 12 hex digits, as `crictl images` and `docker images` show an image id.
    public var shortHex: String { String(hex.prefix(12)) }

    public static func < (lhs: ImageDigest, rhs: ImageDigest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try ImageDigest(parsing: text) } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func isHex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}
