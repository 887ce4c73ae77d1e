import Foundation
import KubeSecurity
import Testing

/// The aesgcm key ring: upstream's stored format, authentication of value and storage key, key lookup by
/// name, and the identity read of values written before encryption.
struct EncryptionKeyRingTests {
    static let secretKey = Array("/registry/core/secrets/default/db".utf8)
    static let plaintext = Array(#"{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}"#.utf8)

    static func ring(_ names: String...) throws -> EncryptionKeyRing {
        try EncryptionKeyRing(keys: names.map { try EncryptionKey.generate(name: $0) })
    }

    static func error(_ body: () throws(EncryptionError) -> [UInt8]) -> EncryptionError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    @Test func roundTripsWithTheUpstreamPrefixAndLayout() throws {
        let ring = try Self.ring("key1")
        let stored = try ring.encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        let prefix = Array("k8s:enc:aesgcm:v1:key1:".utf8)
        #expect(stored.starts(with: prefix))
        // Prefix, 12-byte nonce, ciphertext as long as the plaintext, 16-byte tag.
        #expect(stored.count == prefix.count + 12 + Self.plaintext.count + 16)
        #expect(try ring.decrypt(stored, authenticatedData: Self.secretKey) == Self.plaintext)
        #expect(EncryptionKeyRing.keyName(of: stored) == "key1")
    }

    @Test func everyEncryptionUsesAFreshNonce() throws {
        let ring = try Self.ring("key1")
        let first = try ring.encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        let second = try ring.encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        #expect(first != second)
        let nonceRange = 23..<35
        #expect(first[nonceRange] != second[nonceRange])
    }

    @Test func plaintextContainsNoTraceOfTheValue() throws {
        let ring = try Self.ring("key1")
        let stored = try ring.encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        let text = String(decoding: stored, as: UTF8.self)
        #expect(!text.contains("aHVudGVyMg"))
        #expect(!text.contains("Secret"))
    }

    @Test func tamperedCiphertextFailsAuthentication() throws {
        let ring = try Self.ring("key1")
        let stored = try ring.encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        for index in [23, 40, stored.count - 1] {
            var tampered = stored
            tampered[index] ^= 0x01
            let failure = Self.error { () throws(EncryptionError) in try ring.decrypt(tampered, authenticatedData: Self.secretKey) }
            #expect(failure == .authenticationFailed(keyName: "key1"), "byte \(index)")
        }
        let failure = try #require(Self.error { () throws(EncryptionError) in
            try ring.decrypt(Array(stored.dropLast(5)) + [0, 0, 0, 0, 0], authenticatedData: Self.secretKey)
        })
        #expect(failure.description.contains("failed authentication"))
        #expect(failure.description.contains("restore the object from a backup or delete it"))
    }

    @Test func aValueMovedToAnotherStorageKeyFailsAuthentication() throws {
        let ring = try Self.ring("key1")
        let stored = try ring.encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        let other = Array("/registry/core/secrets/default/other".utf8)
        #expect(Self.error { () throws(EncryptionError) in try ring.decrypt(stored, authenticatedData: other) }
            == .authenticationFailed(keyName: "key1"))
    }

    @Test func unknownKeyNameIsATypedErrorThatSaysWhatToDo() throws {
        let stored = try Self.ring("old").encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        let ring = try Self.ring("key2", "key1")
        let failure = try #require(Self.error { () throws(EncryptionError) in
            try ring.decrypt(stored, authenticatedData: Self.secretKey)
        })
        #expect(failure == .unknownKey(name: "old", knownKeys: ["key2", "key1"]))
        #expect(failure.description.contains("\"old\""))
        #expect(failure.description.contains("restore the key file from a backup"))
    }

    @Test func aSameNamedKeyWithOtherBytesFailsAuthentication() throws {
        let stored = try Self.ring("key1").encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        let impostor = try Self.ring("key1")
        #expect(Self.error { () throws(EncryptionError) in try impostor.decrypt(stored, authenticatedData: Self.secretKey) }
            == .authenticationFailed(keyName: "key1"))
    }

    @Test func valuesWithoutThePrefixReadAsTheyAre() throws {
        let ring = try Self.ring("key1")
        #expect(try ring.decrypt(Self.plaintext, authenticatedData: Self.secretKey) == Self.plaintext)
        #expect(try ring.decrypt([], authenticatedData: Self.secretKey) == [])
        #expect(try EncryptionKeyRing.classify(Self.plaintext) == .plaintext)
        #expect(EncryptionKeyRing.keyName(of: Self.plaintext) == nil)
    }

    @Test func otherProvidersAndMalformedValuesAreRefused() throws {
        let ring = try Self.ring("key1")
        let cbc = Array("k8s:enc:aescbc:v1:key1:0123456789abcdef0123456789abcdef".utf8)
        #expect(Self.error { () throws(EncryptionError) in try ring.decrypt(cbc, authenticatedData: Self.secretKey) }
            == .unsupportedProvider(prefix: "k8s:enc:aescbc:v1:"))
        let noName = Array("k8s:enc:aesgcm:v1:".utf8) + [1, 2, 3]
        #expect(Self.error { () throws(EncryptionError) in try ring.decrypt(noName, authenticatedData: Self.secretKey) }
            == .malformedValue("no key name after k8s:enc:aesgcm:v1:"))
        let short = Array("k8s:enc:aesgcm:v1:key1:".utf8) + [1, 2, 3]
        let failure = Self.error { () throws(EncryptionError) in try ring.decrypt(short, authenticatedData: Self.secretKey) }
        guard case .malformedValue? = failure else {
            Issue.record("expected malformedValue, got \(String(describing: failure))")
            return
        }
    }

    @Test func theFirstKeyWritesAndOlderKeysStillRead() throws {
        let old = try Self.ring("key1")
        let storedOld = try old.encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        let rotated = try old.adding(writeKey: EncryptionKey.generate(name: old.nextKeyName()))
        #expect(rotated.keyNames == ["key2", "key1"])
        let storedNew = try rotated.encrypt(Self.plaintext, authenticatedData: Self.secretKey)
        #expect(EncryptionKeyRing.keyName(of: storedNew) == "key2")
        #expect(try rotated.decrypt(storedOld, authenticatedData: Self.secretKey) == Self.plaintext)
        #expect(try rotated.decrypt(storedNew, authenticatedData: Self.secretKey) == Self.plaintext)
        let pruned = try rotated.removing(["key1"])
        #expect(pruned.keyNames == ["key2"])
        #expect(Self.error { () throws(EncryptionError) in try pruned.decrypt(storedOld, authenticatedData: Self.secretKey) }
            == .unknownKey(name: "key1", knownKeys: ["key2"]))
    }

    @Test func invalidRingsAreRefused() throws {
        #expect(throws: EncryptionError.self) { try EncryptionKeyRing(keys: []) }
        #expect(throws: EncryptionError.self) { try Self.ring("key1", "key1") }
        #expect(throws: EncryptionError.self) { try EncryptionKey.generate(name: "a:b") }
        #expect(throws: EncryptionError.self) { try EncryptionKey.generate(name: "") }
        #expect(throws: EncryptionError.self) { try EncryptionKey(name: "key1", secret: [UInt8](repeating: 1, count: 20)) }
        let ring = try Self.ring("key2", "key1")
        #expect(throws: EncryptionError.self) { try ring.removing(["key2"]) }
    }
}
