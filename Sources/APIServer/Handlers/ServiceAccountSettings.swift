public import KubeSecurity

/// What the API server needs to issue service-account tokens: the signer (whose issuer is also the API
/// server's audience) and the cluster CA certificate it publishes as `kube-root-ca.crt` and puts into legacy
/// token Secrets.
///
/// Immutable value; Sendable.
public struct ServiceAccountSettings: Sendable {
    public var signer: ServiceAccountTokenSigner
    public var rootCAPEM: String

    public init(signer: ServiceAccountTokenSigner, rootCAPEM: String) {
        self.signer = signer
        self.rootCAPEM = rootCAPEM
    }
}
