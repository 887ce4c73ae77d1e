import KubeCore

/// Bearer tokens from `--token-auth-file` (kube-apiserver's static token authenticator): a fixed map from
/// token to user, valid for any audience.
///
/// Immutable; Sendable.
public struct StaticTokenAuthenticator: TokenAuthenticator {
    let users: [String: UserInfo]

    public init(users: [String: UserInfo]) {
        self.users = users
    }

    public init(file: TokenFile) {
        self.init(users: file.users)
    }

    public func authenticate(token: String, audiences: [String]) async throws -> TokenAuthentication? {
        guard let user = users[token] else { return nil }
        return TokenAuthentication(user: user, audiences: audiences)
    }
}
