import APIServer
import ArgumentParser
import Foundation
import KubeSecurity

/// `swiftlet secrets-encrypt status`: the keys in order (the write key first) and how many Secrets each
/// encrypts, plus Secrets still stored in plaintext and values naming keys the file no longer has.
struct SecretsEncryptStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Print the encryption keys and how many Secrets each encrypts.")

    @OptionGroup var options: SecretsEncryptOptions

    func run() async throws {
        let logger = options.logging.bootstrap(label: "swiftlet.secrets-encrypt")
        let offline = try OfflineSecretsStore.open(options, verb: "status", logger: logger)
        try await offline.use { offline in
            let ring = try offline.requireKeyRing()
            let usage = try await SecretEncryptionMaintenance.usage(of: offline.store)
            print(Self.report(keyFile: offline.keyFile.path, ring: ring, usage: usage))
        }
    }

    /// The table `status` prints.
    static func report(keyFile: String, ring: EncryptionKeyRing, usage: SecretEncryptionMaintenance.Usage) -> String {
        var rows: [[String]] = [["KEY", "ROLE", "SECRETS"]]
        for (index, name) in ring.keyNames.enumerated() {
            rows.append([name, index == 0 ? "write" : "read", String(usage.secretsByKey[name] ?? 0)])
        }
        for (name, count) in usage.secretsByKey.sorted(by: { $0.key < $1.key }) where !ring.keyNames.contains(name) {
            rows.append([name, "missing", String(count)])
        }
        rows.append(["(plaintext)", "identity", String(usage.plaintext)])
        if usage.otherProvider > 0 { rows.append(["(other provider)", "unsupported", String(usage.otherProvider)]) }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let table = rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "   ")
                .trimmingSuffix()
        }
        return (["Encryption key file: \(keyFile)", "Provider: aesgcm (AES-GCM), then identity"] + table)
            .joined(separator: "\n")
    }
}

extension String {
    /// The string without trailing spaces.
    func trimmingSuffix() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
