public import Foundation
import KubeCore
public import KubeSecurity
public import KubeStorage

/// Service-account tokens (kube-apiserver's JWT token authenticator with the service-account validator):
/// tokens of this server's issuer are verified (signature, algorithm, time claims, audience), then the
/// service account must still exist with the uid in the token, and so must the pod, secret or node the token
/// is bound to; a legacy Secret token (no expiry) must still be the `token` of its Secret. The user is
/// `system:serviceaccount:NS:NAME` (uid the account's) in `system:serviceaccounts` and
/// `system:serviceaccounts:NS`, with the bound pod and node and the `jti` in `extra`.
///
/// Immutable; Sendable (reads go to the thread-safe store).
public struct ServiceAccountTokenAuthenticator: TokenAuthenticator {
    let signer: ServiceAccountTokenSigner
    let store: any KeyValueStore
    let clock: @Sendable () -> Date

    public init(signer: ServiceAccountTokenSigner, store: any KeyValueStore,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.signer = signer
        self.store = store
        self.clock = clock
    }

    static let podNameKey = "authentication.kubernetes.io/pod-name"
    static let podUIDKey = "authentication.kubernetes.io/pod-uid"
    static let nodeNameKey = "authentication.kubernetes.io/node-name"
    static let nodeUIDKey = "authentication.kubernetes.io/node-uid"
    static let credentialIDKey = "authentication.kubernetes.io/credential-id"
    static let invalidated = CredentialRejected("service account token has been invalidated")

    public func authenticate(token: String, audiences: [String]) async throws -> TokenAuthentication? {
        // Tokens of other issuers (or no JWT at all) are left to other authenticators.
        guard ServiceAccountTokenSigner.unverifiedIssuer(of: token) == signer.issuer else { return nil }
        let wanted = audiences.isEmpty ? signer.audiences : audiences
        let now = clock()
        let claims: ServiceAccountTokenClaims
        do {
            claims = try signer.verify(token, audiences: wanted, now: now)
        } catch {
            throw CredentialRejected("\(error)")
        }
        let deletedBefore = Int64(now.timeIntervalSince1970) - ServiceAccountTokenSigner.leeway
        let namespace = claims.namespace
        let account = claims.serviceAccount
        guard let serviceAccount = try await read("serviceaccounts", namespace: namespace, name: account.name) else {
            throw CredentialRejected("serviceaccounts \"\(account.name)\" not found")
        }
        guard serviceAccount.uid == account.uid else {
            throw CredentialRejected("service account UID (\(serviceAccount.uid)) does not match claim (\(account.uid))")
        }
        if Self.deleted(serviceAccount, before: deletedBefore) {
            throw CredentialRejected("service account \(namespace)/\(account.name) has been deleted")
        }
        if let secretRef = claims.secret {
            guard let secret = try await read("secrets", namespace: namespace, name: secretRef.name),
                  !Self.deleted(secret, before: deletedBefore) else { throw Self.invalidated }
            guard secret.uid == secretRef.uid else {
                throw CredentialRejected("secret UID (\(secret.uid)) does not match service account secret ref claim (\(secretRef.uid))")
            }
            if claims.expiresAt == nil, !Self.holdsLegacyToken(secret, token: token) { throw Self.invalidated }
        }
        var user = UserInfo(name: claims.subject, uid: account.uid,
                            groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)"])
        if let podRef = claims.pod {
            guard let pod = try await read("pods", namespace: namespace, name: podRef.name),
                  !Self.deleted(pod, before: deletedBefore) else { throw Self.invalidated }
            guard pod.uid == podRef.uid else {
                throw CredentialRejected("pod UID (\(pod.uid)) does not match service account pod ref claim (\(podRef.uid))")
            }
            user.extra[Self.podNameKey] = [podRef.name]
            user.extra[Self.podUIDKey] = [podRef.uid]
        }
        if let nodeRef = claims.node {
            if claims.pod == nil {
                guard let node = try await read("nodes", namespace: nil, name: nodeRef.name),
                      !Self.deleted(node, before: deletedBefore) else { throw Self.invalidated }
                guard node.uid == nodeRef.uid else {
                    throw CredentialRejected("node UID (\(node.uid)) does not match service account node ref claim (\(nodeRef.uid))")
                }
            }
            user.extra[Self.nodeNameKey] = [nodeRef.name]
            if !nodeRef.uid.isEmpty { user.extra[Self.nodeUIDKey] = [nodeRef.uid] }
        }
        if !claims.id.isEmpty { user.extra[Self.credentialIDKey] = ["JTI=" + claims.id] }
        return TokenAuthentication(user: user, audiences: wanted.filter { claims.audiences.contains($0) })
    }

    private func read(_ plural: String, namespace: String?, name: String) async throws -> JSONValue? {
        guard let kv = try await store.get(ServedResource.coreKey(plural: plural, namespace: namespace, name: name))
        else { return nil }
        return try JSONValueParser.parse(kv.value)
    }

    /// Whether `object` was marked for deletion before `seconds` (objects marked within the leeway still count).
    private static func deleted(_ object: JSONValue, before seconds: Int64) -> Bool {
        let stamp = object.metadataString("deletionTimestamp")
        guard !stamp.isEmpty, let time = try? RFC3339Time(parsing: stamp) else { return false }
        return time.secondsSince1970 < seconds
    }

    /// A legacy token stays valid only while it is the `token` of its `kubernetes.io/service-account-token` Secret.
    private static func holdsLegacyToken(_ secret: JSONValue, token: String) -> Bool {
        guard secret["type"]?.stringValue == LegacyTokenSecrets.secretType,
              let encoded = secret["data"]?["token"]?.stringValue,
              let stored = Data(base64Encoded: encoded) else { return false }
        return stored == Data(token.utf8)
    }
}
