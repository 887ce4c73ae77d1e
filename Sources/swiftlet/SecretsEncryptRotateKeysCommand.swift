import APIServer
import ArgumentParser
import KubeSecurity
import KubeStorage

/// `swiftlet secrets-encrypt rotate-keys`: adds a new random key in front (it encrypts from now on), saves
/// the key file first (so an interrupted run leaves every value readable), re-encrypts every Secret not yet
/// under the new key with compare-and-swap, and compacts history so no older ciphertext stays in the
/// database. Old keys stay until `prune-keys`.
struct SecretsEncryptRotateKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-keys",
        abstract: "Add a new write key and re-encrypt every Secret with it (server stopped).")

    @OptionGroup var options: SecretsEncryptOptions

    func run() async throws {
        let logger = options.logging.bootstrap(label: "swiftlet.secrets-encrypt")
        let offline = try OfflineSecretsStore.open(options, verb: "rotate-keys", logger: logger)
        try await offline.use { offline in
            let (current, created) = try offline.keyFile.loadOrCreate()
            let ring: EncryptionKeyRing
            if created {
                ring = current
                print("Created key \(ring.writeKey.name) in \(offline.keyFile.path)")
            } else {
                ring = try current.adding(writeKey: EncryptionKey.generate(name: current.nextKeyName()))
                try offline.keyFile.save(ring)
                print("Added key \(ring.writeKey.name) in front of \(current.keyNames.joined(separator: ", ")) in "
                    + offline.keyFile.path)
            }
            let rewritten = try await SecretEncryptionMaintenance.reencrypt(offline.store, keyRing: ring)
            let revision = try await SecretEncryptionMaintenance.compactHistory(offline.store)
            print("Re-encrypted \(rewritten) Secrets with \(ring.writeKey.name); compacted history to revision \(revision)")
            print("Remove the old keys with `swiftlet secrets-encrypt prune-keys --data-dir \(offline.dataDirectory.path)`")
        }
    }
}
