import APIServer
import ArgumentParser
import KubeSecurity

/// `swiftlet secrets-encrypt prune-keys`: compacts history, then removes from the key file every key
/// except the write key that no current Secret uses. Keys still in use are kept and named.
struct SecretsEncryptPruneKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune-keys", abstract: "Remove keys that no Secret uses any more (server stopped).")

    @OptionGroup var options: SecretsEncryptOptions

    func run() async throws {
        let logger = options.logging.bootstrap(label: "swiftlet.secrets-encrypt")
        let offline = try OfflineSecretsStore.open(options, verb: "prune-keys", logger: logger)
        try await offline.use { offline in
            let ring = try offline.requireKeyRing()
            // Older versions in history may still be encrypted with an old key; drop them first.
            try await SecretEncryptionMaintenance.compactHistory(offline.store)
            let usage = try await SecretEncryptionMaintenance.usage(of: offline.store)
            let old = ring.keyNames.dropFirst()
            let unused = Set(old.filter { (usage.secretsByKey[$0] ?? 0) == 0 })
            for name in old where !unused.contains(name) {
                print("Keeping key \(name): it still encrypts \(usage.secretsByKey[name] ?? 0) Secrets; run "
                    + "`swiftlet secrets-encrypt rotate-keys` first")
            }
            guard !unused.isEmpty else {
                print("No key to remove; the key file keeps \(ring.keyNames.joined(separator: ", "))")
                return
            }
            let pruned = try ring.removing(unused)
            try offline.keyFile.save(pruned)
            print("Removed keys \(old.filter(unused.contains).joined(separator: ", ")); the key file keeps "
                + pruned.keyNames.joined(separator: ", "))
        }
    }
}
