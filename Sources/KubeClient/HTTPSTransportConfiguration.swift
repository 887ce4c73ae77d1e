import Foundation

/// Where the API server is and how to prove who we are to it: the server's URL, the CA that must have signed
/// its certificate, and either a client certificate and key or a bearer token (what a kubeconfig's cluster
/// and user entries hold, already read from files or base64).
///
/// Value type; Sendable.
public struct HTTPSTransportConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// A path prefix of the server URL (`https://host/prefix`), prepended to every request path; "" for none.
    public var pathPrefix: String
    /// PEM of the CA bundle that verifies the server; nil = the system's trust roots.
    public var certificateAuthorityPEM: [UInt8]?
    /// PEM of the client certificate (chain) and its private key, for x509 client authentication.
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: [UInt8]?
    /// Sent as `Authorization: Bearer <token>` when the request has no `authorization` header of its own.
    public var bearerToken: String?
    /// Skips verification of the server certificate (kubeconfig `insecure-skip-tls-verify`).
    public var insecureSkipTLSVerify: Bool
    /// The name to verify in the server certificate (and send as SNI) instead of the URL's host
    /// (kubeconfig `tls-server-name`).
    public var serverName: String?
    /// Idle keep-alive connections kept for reuse.
    public var maxIdleConnections: Int
    /// How long a TCP connect may take.
    public var connectTimeout: Duration

    public init(host: String, port: Int = 443, pathPrefix: String = "", certificateAuthorityPEM: [UInt8]? = nil,
                clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil, bearerToken: String? = nil,
                insecureSkipTLSVerify: Bool = false, serverName: String? = nil, maxIdleConnections: Int = 4,
                connectTimeout: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.pathPrefix = pathPrefix
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.bearerToken = bearerToken
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.serverName = serverName
        self.maxIdleConnections = maxIdleConnections
        self.connectTimeout = connectTimeout
    }

    /// A configuration for `server`, an `https://host[:port][/prefix]` URL as a kubeconfig's cluster holds it.
    public init(server: String) throws(HTTPSTransportError) {
        guard let components = URLComponents(string: server), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw .invalidServerURL(server, reason: "expected https://host[:port]")
        }
        guard scheme == "https" else {
            throw .invalidServerURL(server, reason: "only https is supported")
        }
        var prefix = components.path
        while prefix.hasSuffix("/") { prefix.removeLast() }
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.init(host: bareHost, port: components.port ?? 443, pathPrefix: prefix)
    }

    /// The `Host` header value.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 443 ? name : "\(name):\(port)"
    }
}
