import Foundation

/// The kubeconfig `swiftlet server` writes for the cluster admin (`<data-dir>/kubeconfig.yaml`).
///
/// Value type; Sendable.
struct AdminKubeconfig: Sendable {
    var server: String

    var yaml: String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: \(server)
          name: swiftlet
        contexts:
        - context:
            cluster: swiftlet
            namespace: default
            user: swiftlet-admin
          name: swiftlet
        current-context: swiftlet
        preferences: {}
        users:
        - name: swiftlet-admin
          user: {}

        """
    }

    /// Writes the file with mode 0600 (it will hold credentials), replacing it atomically.
    func write(to path: String) throws {
        let temporary = path + ".tmp"
        _ = FileManager.default.createFile(atPath: temporary, contents: Data(yaml.utf8), attributes: [.posixPermissions: 0o600])
        guard rename(temporary, path) == 0 else {
            throw ServerError.cannotWriteFile(path: path, detail: String(cString: strerror(errno)))
        }
    }
}
