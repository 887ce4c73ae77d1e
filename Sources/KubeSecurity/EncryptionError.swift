/// Why a value or the key file of encryption at rest cannot be used. Each description says what happened
/// and what to do.
///
/// Value type; Sendable.
public enum EncryptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value names a key the ring does not have (the key file lost it, or is from another cluster).
    case unknownKey(name: String, knownKeys: [String])
    /// AES-GCM authentication failed: the value was altered or truncated, or copied from another storage key.
    case authenticationFailed(keyName: String)
    /// The value has the aesgcm prefix but not its layout (`<name>:` + 12-byte nonce + sealed data + tag).
    case malformedValue(String)
    /// The value was written by an encryption provider Swiftlet does not implement (aescbc, secretbox, kms).
    case unsupportedProvider(prefix: String)
    /// The key ring itself is unusable (no keys, duplicate or invalid names, wrong key sizes).
    case invalidKeyRing(String)
    /// The key file cannot be read, parsed or written.
    case invalidKeyFile(path: String, reason: String)
    /// The key file can be read by users other than its owner.
    case keyFileTooOpen(path: String, mode: UInt16)

    public var description: String {
        switch self {
        case .unknownKey(let name, let knownKeys):
            "the value is encrypted with key \"\(name)\", which is not in the encryption key file (it has "
                + knownKeys.map { "\"\($0)\"" }.joined(separator: ", ")
                + "); restore the key file from a backup that still has that key"
        case .authenticationFailed(let keyName):
            "the value encrypted with key \"\(keyName)\" failed authentication: it was altered or truncated, "
                + "or copied from another storage key; restore the object from a backup or delete it"
        case .malformedValue(let detail):
            "the value has the aesgcm prefix but is malformed (\(detail)); restore the object from a backup or "
                + "delete it"
        case .unsupportedProvider(let prefix):
            "the value is encrypted by provider \"\(prefix)\", which Swiftlet does not support (only aesgcm); "
                + "decrypt it with the cluster that wrote it"
        case .invalidKeyRing(let detail):
            "invalid encryption key ring: \(detail)"
        case .invalidKeyFile(let path, let reason):
            "cannot use the encryption key file \(path): \(reason); fix it or restore it from a backup "
                + "(without it the encrypted Secrets cannot be read)"
        case .keyFileTooOpen(let path, let mode):
            "the encryption key file \(path) can be read by other users (mode 0\(String(mode, radix: 8))); "
                + "run `chmod 600 \(path)`"
        }
    }
}
