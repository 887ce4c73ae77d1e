import Foundation
import KubeSecurity
import Testing

/// The key file: an upstream-shaped EncryptionConfiguration, created once with mode 0600 in a 0700 directory,
/// read back to the same keys, and refused (with what to do) when too open or not understood.
struct EncryptionKeyFileTests {
    static func temporaryPath() -> (directory: String, file: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("enc-\(UUID().uuidString)").path
        return (directory, directory + "/encryption/keys.json")
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func createsOncePrivatelyThenReadsTheSameKeys() throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = EncryptionKeyFile(path: path)
        #expect(try file.load() == nil)
        let (ring, created) = try file.loadOrCreate()
        #expect(created)
        #expect(ring.keyNames == ["key1"])
        #expect(ring.writeKey.secretBytes.count == 32)
        #expect(try Self.mode(path) == 0o600)
        #expect(try Self.mode(directory + "/encryption") == 0o700)

        let (again, createdAgain) = try file.loadOrCreate()
        #expect(!createdAgain)
        let aad = Array("/registry/core/secrets/ns/a".utf8)
        let stored = try ring.encrypt(Array("x".utf8), authenticatedData: aad)
        #expect(try again.decrypt(stored, authenticatedData: aad) == Array("x".utf8))
    }

    @Test func theFileIsAnUpstreamEncryptionConfiguration() throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = EncryptionKeyFile(path: path)
        let first = try file.loadOrCreate().ring
        try file.save(try first.adding(writeKey: EncryptionKey.generate(name: "key2")))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        #expect(json["kind"] as? String == "EncryptionConfiguration")
        #expect(json["apiVersion"] as? String == "apiserver.config.k8s.io/v1")
        let resources = try #require(json["resources"] as? [[String: Any]])
        #expect(resources.first?["resources"] as? [String] == ["secrets"])
        let providers = try #require(resources.first?["providers"] as? [[String: Any]])
        let keys = try #require((providers.first?["aesgcm"] as? [String: Any])?["keys"] as? [[String: Any]])
        #expect(keys.compactMap { $0["name"] as? String } == ["key2", "key1"])
        #expect(keys.allSatisfy { Data(base64Encoded: $0["secret"] as? String ?? "")?.count == 32 })
        #expect(providers.last?["identity"] != nil)
        #expect(try file.load()?.keyNames == ["key2", "key1"])
    }

    @Test func aFileOthersCanReadIsRefused() throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = EncryptionKeyFile(path: path)
        _ = try file.loadOrCreate()
        chmod(path, 0o644)
        #expect(throws: EncryptionError.keyFileTooOpen(path: path, mode: 0o644)) { try file.load() }
        #expect(EncryptionError.keyFileTooOpen(path: path, mode: 0o644).description.contains("chmod 600"))
    }

    @Test func otherProvidersAndGarbageAreRefused() throws {
        let (directory, path) = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SecureFile.makePrivateDirectory(directory + "/encryption")
        let cbc = """
            {"kind":"EncryptionConfiguration","apiVersion":"apiserver.config.k8s.io/v1","resources":[
              {"resources":["secrets"],"providers":[{"aescbc":{"keys":[{"name":"k","secret":"c2VjcmV0IGlzIHNlY3VyZQ=="}]}}]}]}
            """
        for contents in [cbc, "not json", #"{"kind":"Pod","apiVersion":"v1","resources":[]}"#] {
            try SecureFile.write(contents, to: path)
            let failure = #expect(throws: EncryptionError.self) { try EncryptionKeyFile(path: path).load() }
            guard case .invalidKeyFile(let failedPath, _)? = failure else {
                Issue.record("expected invalidKeyFile, got \(String(describing: failure))")
                continue
            }
            #expect(failedPath == path)
        }
    }
}
