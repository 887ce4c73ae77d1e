import KubeCore
import KubeSecurity

/// Finds out who sent a request: returns the user, nil when the request carries no credential this
/// authenticator understands, or throws `APIError.unauthorized` when it carries one that is invalid.
///
/// Implementations are Sendable and safe to call concurrently.
public protocol RequestAuthenticator: Sendable {
    func authenticate(_ request: APIRequest) async throws -> UserInfo?
}

/// x509 client certificates: the TLS handshake already verified the chain to the cluster CA; the user is the
/// subject's common name and the groups its organizations.
///
/// Stateless; Sendable.
public struct ClientCertificateAuthenticator: RequestAuthenticator {
    public init() {}

    public func authenticate(_ request: APIRequest) async throws -> UserInfo? {
        guard let identity = request.clientIdentity, !identity.user.isEmpty else { return nil }
        return UserInfo(name: identity.user, groups: identity.groups)
    }
}

/// Tries authenticators in order (kube-apiserver's union authenticator): the first that recognises the
/// request decides; with none, the request is anonymous when `allowsAnonymous`, else 401.
///
/// Immutable; Sendable.
public struct AuthenticationChain: Sendable {
    public var authenticators: [any RequestAuthenticator]
    public var allowsAnonymous: Bool

    public init(_ authenticators: [any RequestAuthenticator], allowsAnonymous: Bool = true) {
        self.authenticators = authenticators
        self.allowsAnonymous = allowsAnonymous
    }

    /// Everyone is anonymous (handler-level tests and tools without TLS).
    public static let anonymousOnly = AuthenticationChain([], allowsAnonymous: true)

    static let unauthorized = APIError.unauthorized("Unauthorized")

    public func authenticate(_ request: APIRequest) async throws -> UserInfo {
        let hasBearer = request.bearerToken != nil
        for authenticator in authenticators {
            do {
                if let user = try await authenticator.authenticate(request) { return user.authenticated() }
            } catch is CredentialRejected {
                // The reason is for logs and TokenReview; clients only learn "Unauthorized", as upstream.
                throw Self.unauthorized
            }
        }
        // A bearer token nobody accepted is an invalid credential, not an anonymous request.
        if hasBearer || !allowsAnonymous { throw Self.unauthorized }
        return .anonymous
    }
}

extension AuthenticationChain {
    /// The bearer-token authenticators of the chain, asked in order for a `TokenReview`: the first that knows
    /// the token decides; nil when none does. Throws ``CredentialRejected`` for a known but invalid token.
    func reviewToken(_ token: String, audiences: [String]) async throws -> TokenAuthentication? {
        for case let authenticator as any TokenAuthenticator in authenticators {
            if var result = try await authenticator.authenticate(token: token, audiences: audiences) {
                result.user = result.user.authenticated()
                return result
            }
        }
        return nil
    }
}
