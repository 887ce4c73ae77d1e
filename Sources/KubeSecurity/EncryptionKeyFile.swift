import Foundation

/// The key ring of encryption at rest on disk: the Kubernetes API server's `EncryptionConfiguration` as JSON
/// (one resource entry for `secrets`, an `aesgcm` provider with the keys, then `identity`), mode 0600 in a
/// 0700 directory, replaced atomically. Files with other providers or other resources are refused rather
/// than half-understood.
///
/// Immutable value; Sendable. Not safe against two processes writing the same file at once: callers hold
/// the data directory lock.
public struct EncryptionKeyFile: Sendable {
    /// The file's path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The ring in the file, or nil when the file does not exist.
    public func load() throws(EncryptionError) -> EncryptionKeyRing? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let permissions: UInt16
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            permissions = UInt16(truncatingIfNeeded: (attributes[.posixPermissions] as? Int) ?? 0o777)
        } catch {
            throw .invalidKeyFile(path: path, reason: "\(error)")
        }
        if permissions & 0o077 != 0 {
            throw .keyFileTooOpen(path: path, mode: permissions & 0o777)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .invalidKeyFile(path: path, reason: "unreadable (\(error.localizedDescription))")
        }
        let configuration: EncryptionConfigurationFile
        do {
            configuration = try JSONDecoder().decode(EncryptionConfigurationFile.self, from: data)
        } catch {
            throw .invalidKeyFile(path: path, reason: "not an EncryptionConfiguration in JSON (\(error))")
        }
        do {
            return try configuration.keyRing()
        } catch .invalidKeyFile(_, let reason) {
            throw .invalidKeyFile(path: path, reason: reason)
        } catch .invalidKeyRing(let reason) {
            throw .invalidKeyFile(path: path, reason: reason)
        } catch {
            throw error
        }
    }

    /// Writes `ring` (creating the directory with mode 0700), replacing the file atomically.
    public func save(_ ring: EncryptionKeyRing) throws(EncryptionError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let json = try encoder.encode(EncryptionConfigurationFile(ring: ring))
            try SecureFile.makePrivateDirectory((path as NSString).deletingLastPathComponent)
            try SecureFile.write(String(decoding: json, as: UTF8.self) + "\n", to: path, mode: 0o600)
        } catch {
            throw .invalidKeyFile(path: path, reason: "cannot write it (\(error))")
        }
    }

    /// The ring in the file; when there is no file, a new ring with one random AES-256 key named `key1`,
    /// saved first. `created` tells which happened.
    public func loadOrCreate() throws(EncryptionError) -> (ring: EncryptionKeyRing, created: Bool) {
        if let ring = try load() { return (ring, false) }
        let ring = try EncryptionKeyRing(keys: [EncryptionKey.generate(name: "key1")])
        try save(ring)
        return (ring, true)
    }
}

/// The JSON of an `apiserver.config.k8s.io/v1` `EncryptionConfiguration`, as far as Swiftlet uses it.
///
/// Value type; Sendable.
struct EncryptionConfigurationFile: Codable, Sendable {
    static let kindName = "EncryptionConfiguration"
    static let apiVersionName = "apiserver.config.k8s.io/v1"

    struct Key: Codable, Sendable {
        var name: String
        /// The key bytes, base64.
        var secret: String
    }

    struct AESConfiguration: Codable, Sendable {
        var keys: [Key]
    }

    struct IdentityConfiguration: Codable, Sendable {}

    /// One provider: exactly one member is set. Unknown providers decode to all nil and are refused.
    struct Provider: Codable, Sendable {
        var aesgcm: AESConfiguration?
        var identity: IdentityConfiguration?
    }

    struct ResourceConfiguration: Codable, Sendable {
        var resources: [String]
        var providers: [Provider]
    }

    var kind: String
    var apiVersion: String
    var resources: [ResourceConfiguration]

    init(ring: EncryptionKeyRing) {
        kind = Self.kindName
        apiVersion = Self.apiVersionName
        let keys = ring.keys.map { Key(name: $0.name, secret: Data($0.secretBytes).base64EncodedString()) }
        resources = [
            ResourceConfiguration(
                resources: ["secrets"],
                providers: [Provider(aesgcm: AESConfiguration(keys: keys)), Provider(identity: IdentityConfiguration())])
        ]
    }

    /// The ring this configuration describes; throws `.invalidKeyFile` (path filled in by the caller) for
    /// anything beyond one `secrets` entry with an aesgcm provider optionally followed by identity.
    func keyRing() throws(EncryptionError) -> EncryptionKeyRing {
        func refuse(_ reason: String) -> EncryptionError { .invalidKeyFile(path: "", reason: reason) }
        guard kind == Self.kindName, apiVersion == Self.apiVersionName else {
            throw refuse("kind/apiVersion are \(kind)/\(apiVersion), not \(Self.kindName)/\(Self.apiVersionName)")
        }
        guard resources.count == 1, let entry = resources.first, entry.resources == ["secrets"] else {
            throw refuse("Swiftlet encrypts exactly one resource list, [\"secrets\"]")
        }
        guard let first = entry.providers.first, let aesgcm = first.aesgcm, first.identity == nil,
            entry.providers.dropFirst().allSatisfy({ $0.identity != nil && $0.aesgcm == nil }),
            entry.providers.count <= 2
        else {
            throw refuse("only an aesgcm provider, optionally followed by identity, is supported")
        }
        var keys: [EncryptionKey] = []
        for key in aesgcm.keys {
            guard let secret = Data(base64Encoded: key.secret) else {
                throw refuse("the secret of key \"\(key.name)\" is not base64")
            }
            keys.append(try EncryptionKey(name: key.name, secret: Array(secret)))
        }
        return try EncryptionKeyRing(keys: keys)
    }
}
