import KubeCore

/// Who a bearer token belongs to and the audiences (of those asked for) it is valid for.
///
/// Value type; Sendable.
public struct TokenAuthentication: Sendable, Equatable {
    public var user: UserInfo
    public var audiences: [String]

    public init(user: UserInfo, audiences: [String]) {
        self.user = user
        self.audiences = audiences
    }
}

/// A credential an authenticator recognised as its own and refused (expired, revoked, tampered): the request
/// gets a plain 401 and a `TokenReview` reports `reason` in `status.error`.
///
/// Value type; Sendable.
public struct CredentialRejected: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// Authenticates bearer tokens (kube-apiserver's `authenticator.Token`), for requests (`Authorization: Bearer`)
/// and for `TokenReview`s.
///
/// Implementations are Sendable and safe to call concurrently.
public protocol TokenAuthenticator: RequestAuthenticator {
    /// The token's user, nil when the token is not one this authenticator knows, or throws
    /// ``CredentialRejected`` when it is one of its own but not valid. Empty `audiences` means the API server's
    /// own.
    func authenticate(token: String, audiences: [String]) async throws -> TokenAuthentication?
}

extension TokenAuthenticator {
    public func authenticate(_ request: APIRequest) async throws -> UserInfo? {
        guard let token = request.bearerToken else { return nil }
        return try await authenticate(token: token, audiences: [])?.user
    }
}
