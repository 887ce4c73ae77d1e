import Foundation
import NIOSSL

/// Where the benchmark's clients connect: a port on 127.0.0.1, over TLS as the cluster admin (the
/// server's CA and admin client certificate from its `<data-dir>/pki`).
///
/// Immutable; Sendable (the TLS context is shared by every connection).
struct BenchEndpoint: Sendable {
    let port: Int
    let tls: NIOSSLContext

    /// The endpoint of a server whose data directory is `dataDirectory`.
    init(port: Int, dataDirectory: String) throws {
        self.port = port
        let pki = dataDirectory + "/pki"
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(pki + "/ca.crt"))
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(pki + "/admin.crt").map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: pki + "/admin.key", format: .pem))
        configuration.certificateVerification = .noHostnameVerification
        configuration.minimumTLSVersion = .tlsv12
        tls = try NIOSSLContext(configuration: configuration)
    }
}
