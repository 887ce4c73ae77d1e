import Crypto
import Foundation

/// The keys of encryption at rest, as the `aesgcm` provider of the Kubernetes API server: the first key
/// encrypts, every key decrypts, and values without an encryption prefix are read as they are (the
/// `identity` provider after `aesgcm`), so data written before encryption was on stays readable.
///
/// A stored value is `k8s:enc:aesgcm:v1:<key name>:` + 12-byte random nonce + ciphertext + 16-byte tag.
/// The authenticated data is the value's storage key, as upstream, so a value copied to another key fails
/// authentication. Random nonces bound the writes per key (NIST: 2^32); rotate long before that.
///
/// Immutable value; Sendable.
public struct EncryptionKeyRing: Sendable {
    /// The prefix of every value the `aesgcm` provider wrote, before the key name.
    public static let aesGCMPrefix = "k8s:enc:aesgcm:v1:"
    /// The prefix upstream reserves for encrypted values of any provider.
    public static let encryptedPrefix = "k8s:enc:"
    static let nonceByteCount = 12
    static let tagByteCount = 16

    /// The keys; the first one encrypts.
    public let keys: [EncryptionKey]

    /// A ring of `keys` (first one writes); throws `.invalidKeyRing` when empty or names repeat.
    public init(keys: [EncryptionKey]) throws(EncryptionError) {
        guard !keys.isEmpty else { throw .invalidKeyRing("it has no keys; at least one aesgcm key is needed") }
        var seen: Set<String> = []
        for key in keys where !seen.insert(key.name).inserted {
            throw .invalidKeyRing("the key name \"\(key.name)\" is used twice")
        }
        self.keys = keys
    }

    /// The key that encrypts new values.
    public var writeKey: EncryptionKey { keys[0] }

    /// The key names in order (the write key first).
    public var keyNames: [String] { keys.map(\.name) }

    /// `plaintext` encrypted with the write key, bound to `authenticatedData` (the storage key).
    public func encrypt(_ plaintext: [UInt8], authenticatedData: [UInt8]) throws(EncryptionError) -> [UInt8] {
        let key = writeKey
        let sealed: AES.GCM.SealedBox
        do {
            sealed = try AES.GCM.seal(plaintext, using: key.secret, authenticating: authenticatedData)
        } catch {
            throw .invalidKeyRing("AES-GCM sealing with key \"\(key.name)\" failed (\(error))")
        }
        guard let combined = sealed.combined else {
            throw .invalidKeyRing("AES-GCM sealing with key \"\(key.name)\" gave no combined value")
        }
        return Array((Self.aesGCMPrefix + key.name + ":").utf8) + Array(combined)
    }

    /// The plaintext of a stored value: aesgcm values are decrypted with the key they name; values without
    /// the `k8s:enc:` prefix are returned as they are.
    public func decrypt(_ stored: [UInt8], authenticatedData: [UInt8]) throws(EncryptionError) -> [UInt8] {
        let sealedBytes: ArraySlice<UInt8>
        let keyName: String
        switch try Self.classify(stored) {
        case .plaintext:
            return stored
        case .otherProvider(let prefix):
            throw .unsupportedProvider(prefix: prefix)
        case .aesGCM(let name, let sealedStart):
            keyName = name
            sealedBytes = stored[sealedStart...]
        }
        guard let key = keys.first(where: { $0.name == keyName }) else {
            throw .unknownKey(name: keyName, knownKeys: keyNames)
        }
        guard sealedBytes.count >= Self.nonceByteCount + Self.tagByteCount else {
            throw .malformedValue("\(sealedBytes.count) bytes after the key name, fewer than nonce and tag")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealedBytes)
            return Array(try AES.GCM.open(box, using: key.secret, authenticating: authenticatedData))
        } catch {
            throw .authenticationFailed(keyName: keyName)
        }
    }

    /// What wrote a stored value, without decrypting it.
    public enum StoredForm: Sendable, Equatable {
        /// No `k8s:enc:` prefix: stored as it is (the identity provider).
        case plaintext
        /// `k8s:enc:aesgcm:v1:<keyName>:`; the sealed bytes start at `sealedStart`.
        case aesGCM(keyName: String, sealedStart: Int)
        /// Another provider's prefix (`k8s:enc:aescbc:v1:` …).
        case otherProvider(prefix: String)
    }

    /// How `stored` is encoded; throws `.malformedValue` for an aesgcm prefix without a key name.
    public static func classify(_ stored: [UInt8]) throws(EncryptionError) -> StoredForm {
        guard stored.starts(with: encryptedPrefix.utf8) else { return .plaintext }
        let aesGCM = Array(aesGCMPrefix.utf8)
        guard stored.starts(with: aesGCM) else {
            // "k8s:enc:<provider>:<version>:" — name the provider in the error.
            var colons = 0
            var end = stored.count
            for index in stored.indices where stored[index] == UInt8(ascii: ":") {
                colons += 1
                if colons == 4 {
                    end = index + 1
                    break
                }
            }
            return .otherProvider(prefix: String(decoding: stored[..<min(end, 64)], as: UTF8.self))
        }
        let nameStart = aesGCM.count
        let searchEnd = min(stored.count, nameStart + 65)
        guard let colon = stored[nameStart..<searchEnd].firstIndex(of: UInt8(ascii: ":")), colon > nameStart else {
            throw .malformedValue("no key name after \(aesGCMPrefix)")
        }
        return .aesGCM(keyName: String(decoding: stored[nameStart..<colon], as: UTF8.self), sealedStart: colon + 1)
    }

    /// The name of the key that encrypted `stored`, nil for a plaintext value or another provider's.
    public static func keyName(of stored: [UInt8]) -> String? {
        if case .aesGCM(let name, _)? = try? classify(stored) { return name }
        return nil
    }

    /// This ring with `key` in front: it encrypts from now on, the others still decrypt.
    public func adding(writeKey key: EncryptionKey) throws(EncryptionError) -> EncryptionKeyRing {
        try EncryptionKeyRing(keys: [key] + keys)
    }

    /// This ring without the keys named in `names`; the write key cannot be removed.
    public func removing(_ names: Set<String>) throws(EncryptionError) -> EncryptionKeyRing {
        guard !names.contains(writeKey.name) else {
            throw .invalidKeyRing("the write key \"\(writeKey.name)\" cannot be removed")
        }
        return try EncryptionKeyRing(keys: keys.filter { !names.contains($0.name) })
    }

    /// A name no key of the ring has: `key<n>` with n one above the highest `key<n>` so far.
    public func nextKeyName() -> String {
        let numbers = keys.compactMap { key -> Int? in
            guard key.name.hasPrefix("key") else { return nil }
            return Int(key.name.dropFirst(3))
        }
        return "key\((numbers.max() ?? 0) + 1)"
    }
}
