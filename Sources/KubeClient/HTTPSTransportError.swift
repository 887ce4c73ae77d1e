/// Failures of ``HTTPSTransport`` below HTTP: configuration, TLS material, connections.
///
/// Value type; Sendable.
public enum HTTPSTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kubeconfig's `server` is not an `https://host[:port]` URL.
    case invalidServerURL(String, reason: String)
    /// A PEM block (CA, client certificate or key) could not be read.
    case invalidPEM(what: String, detail: String)
    /// A client certificate without its key, or the reverse.
    case incompleteClientCredentials
    /// The connection to the API server failed or closed before a whole response arrived.
    case connectionFailed(host: String, port: Int, detail: String)
    /// The server closed the connection before answering (a reused keep-alive connection; the request may be retried).
    case connectionClosedBeforeResponse

    public var description: String {
        switch self {
        case .invalidServerURL(let server, let reason):
            "invalid server URL \"\(server)\": \(reason); check the cluster's server in the kubeconfig"
        case .invalidPEM(let what, let detail):
            "unable to read the \(what) (PEM): \(detail)"
        case .incompleteClientCredentials:
            "a client certificate needs its key and a key needs its certificate; set both in the kubeconfig user"
        case .connectionFailed(let host, let port, let detail):
            "unable to connect to the server at \(host):\(port): \(detail)"
        case .connectionClosedBeforeResponse:
            "the server closed the connection before sending a response"
        }
    }
}
