import Foundation

/// The kubeconfig `swiftlet server` writes for the cluster admin (`<data-dir>/kubeconfig.yaml`).
///
/// Value type; Sendable.
struct AdminKubeconfig: Sendable {
    var server: String
    /// PEM of the cluster CA and of the admin's client certificate and key (embedded base64, as kubeadm does).
    var certificateAuthorityPEM: String
    var clientCertificatePEM: String
    var clientKeyPEM: String

    private static func base64(_ pem: String) -> String { Data(pem.utf8).base64EncodedString() }

    var yaml: String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority-data: \(Self.base64(certificateAuthorityPEM))
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
          user:
            client-certificate-data: \(Self.base64(clientCertificatePEM))
            client-key-data: \(Self.base64(clientKeyPEM))

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
