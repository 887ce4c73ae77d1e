import APIServer
import Foundation
import KubeSecurity
import KubeStorage
import Testing

/// Secrets encryption glue over a `MemoryStore`: Secrets (and only Secrets) are stored as aesgcm
/// ciphertext bound to their key, rotation re-encrypts everything with the new write key, and usage counts
/// follow. The server path is covered end to end by `SecretsEncryptionE2ETests`.
struct SecretEncryptionTests {
    static let secretKey = "/registry/core/secrets/default/db"
    static let configMapKey = "/registry/core/configmaps/default/db"
    static let secretJSON = Array(#"{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}"#.utf8)

    static func ring(_ names: String...) throws -> EncryptionKeyRing {
        try EncryptionKeyRing(keys: names.map { try EncryptionKey.generate(name: $0) })
    }

    @Test func thePrefixIsWhereTheCatalogStoresSecrets() throws {
        let secrets = try #require(BuiltinResources.catalog().resource(group: "", version: "v1", plural: "secrets"))
        #expect(SecretEncryption.keyPrefixes == [secrets.keyPrefix])
    }

    @Test func secretsAreCiphertextBoundToTheirKeyAndOtherKindsAreNot() async throws {
        let base = MemoryStore()
        let store = SecretEncryption.store(base, keyRing: try Self.ring("key1"))
        _ = try await store.create(Self.secretKey, value: Self.secretJSON)
        _ = try await store.create(Self.configMapKey, value: Array("{}".utf8))
        let raw = try #require(try await base.get(Self.secretKey))
        #expect(raw.value.starts(with: Array("k8s:enc:aesgcm:v1:key1:".utf8)))
        #expect(!String(decoding: raw.value, as: UTF8.self).contains("aHVudGVyMg"))
        #expect(try await base.get(Self.configMapKey)?.value == Array("{}".utf8))
        #expect(try await store.get(Self.secretKey)?.value == Self.secretJSON)

        // The same ciphertext under another Secret's key does not read back.
        let moved = "/registry/core/secrets/default/other"
        _ = try await base.create(moved, value: raw.value)
        await #expect(throws: StorageError.self) { try await store.get(moved) }
        await store.close()
    }

    @Test func rotationReencryptsEverySecretWithTheNewKey() async throws {
        let base = MemoryStore()
        let first = try Self.ring("key1")
        _ = try await base.create("/registry/core/secrets/a/plain", value: Self.secretJSON)
        for name in ["x", "y"] {
            _ = try await SecretEncryption.store(base, keyRing: first)
                .create("/registry/core/secrets/a/\(name)", value: Self.secretJSON)
        }
        var usage = try await SecretEncryptionMaintenance.usage(of: base)
        #expect(usage.secretsByKey == ["key1": 2])
        #expect(usage.plaintext == 1)

        let rotated = try first.adding(writeKey: EncryptionKey.generate(name: first.nextKeyName()))
        #expect(try await SecretEncryptionMaintenance.reencrypt(base, keyRing: rotated) == 3)
        usage = try await SecretEncryptionMaintenance.usage(of: base)
        #expect(usage.secretsByKey == ["key2": 3])
        #expect(usage.plaintext == 0)
        // Nothing left to do the second time.
        #expect(try await SecretEncryptionMaintenance.reencrypt(base, keyRing: rotated) == 0)

        // After compaction the ring without key1 reads every Secret, also in watch replays from the start.
        let revision = try await SecretEncryptionMaintenance.compactHistory(base)
        #expect(try await base.compactRevision() == revision)
        let pruned = try rotated.removing(["key1"])
        let store = SecretEncryption.store(base, keyRing: pruned)
        let all = try await store.range(.prefix("/registry/core/secrets/"))
        #expect(all.kvs.count == 3)
        #expect(all.kvs.allSatisfy { $0.value == Self.secretJSON })
        await base.close()
    }
}
