public import KubeSecurity
public import KubeStorage

/// Encryption at rest for Secrets: the store every reader and writer of the API server uses is the SQLite
/// store wrapped in a `TransformingKeyValueStore` that encrypts the values under `keyPrefixes` with the
/// `EncryptionKeyRing` (AES-GCM, the storage key as authenticated data) and reads plaintext values written
/// before encryption was on as they are. This is where KubeStorage (bytes) and KubeSecurity (keys) meet.
///
/// Stateless namespace; Sendable values.
public enum SecretEncryption {
    /// Where Secrets live in the store (`ServedResource.keyPrefix` of core/v1 secrets).
    public static let keyPrefixes = ["/registry/core/secrets/"]

    /// `base` with Secrets encrypted by `keyRing`.
    public static func store(_ base: any KeyValueStore, keyRing: EncryptionKeyRing) -> TransformingKeyValueStore {
        TransformingKeyValueStore(base: base, transformer: KeyRingValueTransformer(keyRing: keyRing), keyPrefixes: keyPrefixes)
    }
}

/// A `ValueTransformer` that encrypts with the key ring's write key and decrypts with any of its keys,
/// authenticating the storage key (as upstream's `aesgcm` provider).
///
/// Immutable value; Sendable.
public struct KeyRingValueTransformer: ValueTransformer {
    public let keyRing: EncryptionKeyRing

    public init(keyRing: EncryptionKeyRing) {
        self.keyRing = keyRing
    }

    public func transformToStorage(_ value: [UInt8], key: String) throws -> [UInt8] {
        try keyRing.encrypt(value, authenticatedData: Array(key.utf8))
    }

    public func transformFromStorage(_ stored: [UInt8], key: String) throws -> [UInt8] {
        try keyRing.decrypt(stored, authenticatedData: Array(key.utf8))
    }
}
