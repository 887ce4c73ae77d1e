public import Crypto

/// One named AES key of encryption at rest, as an `aesgcm` key of the Kubernetes API server's
/// `EncryptionConfiguration`: the name goes into every value it encrypts (`k8s:enc:aesgcm:v1:<name>:`).
///
/// Immutable value; Sendable.
public struct EncryptionKey: Sendable {
    /// The key's name: 1–64 of `A-Z a-z 0-9 . _ -` (it is part of the stored prefix, so no `:`).
    public let name: String
    /// The AES key (16, 24 or 32 bytes; Swiftlet generates 32, AES-256).
    public let secret: SymmetricKey

    /// A key from its name and raw bytes; throws `.invalidKeyRing` for a bad name or key size.
    public init(name: String, secret: [UInt8]) throws(EncryptionError) {
        try Self.validate(name: name)
        guard [16, 24, 32].contains(secret.count) else {
            throw .invalidKeyRing("key \"\(name)\" is \(secret.count) bytes long; AES-GCM keys are 16, 24 or 32 bytes")
        }
        self.name = name
        self.secret = SymmetricKey(data: secret)
    }

    /// A new random AES-256 key.
    public static func generate(name: String) throws(EncryptionError) -> EncryptionKey {
        try EncryptionKey(name: name, secret: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// The raw key bytes (for the key file).
    public var secretBytes: [UInt8] { secret.withUnsafeBytes { Array($0) } }

    static func validate(name: String) throws(EncryptionError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed else {
            throw .invalidKeyRing("key name \"\(name)\" must be 1 to 64 letters, digits, '.', '_' or '-'")
        }
    }
}
