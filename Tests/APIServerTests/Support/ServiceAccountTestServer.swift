@testable import APIServer
import KubeCore
import KubeSecurity
import KubeStorage

/// An in-process API with service-account tokens on: a fresh signer, a stand-in CA bundle, and the
/// authentication chain of `swiftlet server` (static tokens, then service-account tokens) with everything
/// authorized.
///
/// Sendable; immutable.
struct ServiceAccountTestServer: Sendable {
    static let rootCAPEM = "-----BEGIN CERTIFICATE-----\nc3dpZnRsZXQtdGVzdA==\n-----END CERTIFICATE-----\n"

    let api: InProcessAPI
    let signer: ServiceAccountTokenSigner
    let authenticator: ServiceAccountTokenAuthenticator

    init(staticUsers: [String: UserInfo] = [:]) async throws {
        let store = MemoryStore()
        let signer = ServiceAccountTokenSigner()
        let authenticator = ServiceAccountTokenAuthenticator(signer: signer, store: store)
        let chain = AuthenticationChain([StaticTokenAuthenticator(users: staticUsers), authenticator])
        api = try await InProcessAPI(
            store: store, security: RequestSecurity(authentication: chain, authorizer: AlwaysAllowAuthorizer()),
            serviceAccounts: ServiceAccountSettings(signer: signer, rootCAPEM: Self.rootCAPEM))
        self.signer = signer
        self.authenticator = authenticator
    }

    /// A token of `namespace/account` from the `token` subresource.
    func token(_ account: String, namespace: String = "default", spec: String = "{}") async throws -> String {
        let reply = try await api.ok("POST", "/api/v1/namespaces/\(namespace)/serviceaccounts/\(account)/token",
                                     json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":\#(spec)}"#)
        return reply["status"]?["token"]?.stringValue ?? ""
    }

    /// The user of a `SelfSubjectReview` sent with `token`, or the HTTP status when refused.
    func whoami(_ token: String) async throws -> (status: Int, user: String, groups: [String], extra: JSONValue?) {
        let reply = try await api.send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                                       json: #"{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"#,
                                       bearerToken: token)
        let info = reply.body["status"]?["userInfo"]
        let groups: [String]
        if case .array(let items)? = info?["groups"] { groups = items.compactMap(\.stringValue) } else { groups = [] }
        return (reply.status, info?["username"]?.stringValue ?? "", groups, info?["extra"])
    }
}
