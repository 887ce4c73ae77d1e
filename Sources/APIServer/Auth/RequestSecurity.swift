import KubeCore

/// How the API server establishes who is calling and what they may do: the authentication chain and the
/// authorizer every request passes before it is routed.
///
/// Immutable; Sendable.
public struct RequestSecurity: Sendable {
    public var authentication: AuthenticationChain
    public var authorizer: any RequestAuthorizer

    public init(authentication: AuthenticationChain, authorizer: any RequestAuthorizer) {
        self.authentication = authentication
        self.authorizer = authorizer
    }

    /// Anonymous callers allowed everything: for handler-level tests that exercise the REST machinery.
    public static let allowAll = RequestSecurity(authentication: .anonymousOnly, authorizer: AlwaysAllowAuthorizer())

    /// Authenticates and authorizes `request`, returning the caller; throws 401 or 403 `APIError`s.
    func admit(_ request: APIRequest) async throws -> UserInfo {
        let user = try await authentication.authenticate(request)
        let attributes = AuthorizationAttributes.of(request, user: user)
        switch await authorizer.authorize(attributes) {
        case .allow: return user
        case .deny(let reason), .noOpinion(let reason):
            throw AuthorizationChain.forbidden(attributes, reason: reason)
        }
    }
}
