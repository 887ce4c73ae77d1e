public import Foundation
import NIOSSL

/// The API server's TLS settings: its certificate chain and key, and the CA whose client certificates it
/// accepts (presenting one is optional — bearer tokens and anonymous requests use none). TLS 1.2 or newer.
///
/// Value type; Sendable.
public struct ServingTLS: Sendable {
    public var certificateChainPEM: String
    public var privateKeyPEM: String
    public var clientCAPEM: String

    public init(certificateChainPEM: String, privateKeyPEM: String, clientCAPEM: String) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.clientCAPEM = clientCAPEM
    }

    /// The NIOSSL server configuration: presented client certificates must chain to the client CA (an invalid
    /// one fails the handshake, as in kube-apiserver); none at all is fine.
    func configuration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateChainPEM.utf8)).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCAPEM.utf8)))
        configuration.certificateVerification = .optionalVerification
        configuration.applicationProtocols = ["http/1.1"]
        return configuration
    }
}
