/// TLS for HTTPS probes and lifecycle hooks. The Kubelet layer has no TLS library, so the composition
/// root may provide one (for example over NIOSSL); without it HTTPS probes report `unknown` and HTTPS
/// hooks fail, saying HTTPS is not supported.
///
/// Implementations connect to `host:port` over TLS *without verifying the server's certificate* (as
/// upstream's prober does: `InsecureSkipVerify`), sending `serverName` as SNI when it is a name, write
/// `request` (a complete HTTP/1.1 request with `Connection: close`), and return every byte the server sent
/// until it closed the connection or `maximumBytes` arrived. They must give up by `timeout` and must not
/// block the cooperative pool. Safe to call from any task.
public protocol ProbeTLSTransport: Sendable {
    func exchange(
        host: String, port: Int, serverName: String, request: [UInt8], maximumBytes: Int, timeout: Duration
    ) async throws(ProbeTLSTransportError) -> [UInt8]
}

/// Why a TLS exchange failed; `message` reads like Go's (`dial tcp 10.0.0.5:443: connect: connection
/// refused`, `tls: first record does not look like a TLS handshake`, `remote error: tls: handshake failure`).
public struct ProbeTLSTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Whether the timeout ended the exchange.
    public var timedOut: Bool

    public init(message: String, timedOut: Bool = false) {
        self.message = message
        self.timedOut = timedOut
    }

    public var description: String { message }
}
