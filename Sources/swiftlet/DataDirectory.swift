import Foundation

/// Where `swiftlet` keeps its state under `--data-dir`: the database, the encryption key file and the
/// admin kubeconfig.
///
/// Immutable value; Sendable.
struct DataDirectory: Sendable {
    /// The absolute, standardized data directory.
    let path: String

    /// `path` with `~` expanded and made absolute.
    init(_ path: String) {
        self.path = URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardized.path
    }

    var databaseDirectory: String { path + "/db" }
    var databasePath: String { databaseDirectory + "/state.db" }
    /// The key ring of encryption at rest (an EncryptionConfiguration, mode 0600, directory 0700).
    var encryptionKeyFile: String { path + "/encryption/keys.json" }
    var kubeconfigPath: String { path + "/kubeconfig.yaml" }
}
