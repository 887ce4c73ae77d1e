public import Foundation

/// The claims of a service-account token as kube-apiserver writes them: the registered JWT claims (`iss`, `sub`,
/// `aud`, `exp`, `iat`, `nbf`, `jti`) and the private `kubernetes.io` claim naming the namespace, the service
/// account and the object the token is bound to (pod, secret or node), with `warnafter` for tokens whose
/// lifetime was extended.
///
/// Value type; Sendable. Times are whole seconds since the epoch, as JWT NumericDates.
public struct ServiceAccountTokenClaims: Sendable, Equatable {
    /// A name and uid in the `kubernetes.io` claim.
    public struct ObjectRef: Sendable, Equatable, Codable {
        public var name: String
        public var uid: String

        public init(name: String, uid: String) {
            self.name = name
            self.uid = uid
        }
    }

    public var issuer: String
    public var subject: String
    public var audiences: [String]
    /// nil only for legacy Secret-bound tokens, which do not expire.
    public var expiresAt: Int64?
    public var issuedAt: Int64
    public var notBefore: Int64
    public var id: String
    public var namespace: String
    public var serviceAccount: ObjectRef
    public var pod: ObjectRef?
    public var secret: ObjectRef?
    public var node: ObjectRef?
    public var warnAfter: Int64?

    public init(issuer: String, subject: String, audiences: [String], expiresAt: Int64?, issuedAt: Int64,
                notBefore: Int64, id: String, namespace: String, serviceAccount: ObjectRef, pod: ObjectRef? = nil,
                secret: ObjectRef? = nil, node: ObjectRef? = nil, warnAfter: Int64? = nil) {
        self.issuer = issuer
        self.subject = subject
        self.audiences = audiences
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.id = id
        self.namespace = namespace
        self.serviceAccount = serviceAccount
        self.pod = pod
        self.secret = secret
        self.node = node
        self.warnAfter = warnAfter
    }

    /// Claims for a token of service account `namespace/name` (uid `uid`) issued at `now`, valid for
    /// `expirationSeconds` (nil: no expiry, for legacy Secret tokens), with a fresh random `jti`.
    public static func make(
        issuer: String, audiences: [String], namespace: String, serviceAccount: ObjectRef, now: Date,
        expirationSeconds: Int64?, pod: ObjectRef? = nil, secret: ObjectRef? = nil, node: ObjectRef? = nil,
        warnAfterSeconds: Int64? = nil
    ) -> ServiceAccountTokenClaims {
        let issued = Int64(now.timeIntervalSince1970)
        return ServiceAccountTokenClaims(
            issuer: issuer, subject: "system:serviceaccount:\(namespace):\(serviceAccount.name)", audiences: audiences,
            expiresAt: expirationSeconds.map { issued + $0 }, issuedAt: issued, notBefore: issued,
            id: UUID().uuidString.lowercased(), namespace: namespace, serviceAccount: serviceAccount, pod: pod,
            secret: secret, node: node, warnAfter: warnAfterSeconds.map { issued + $0 })
    }
}

extension ServiceAccountTokenClaims: Codable {
    private enum CodingKeys: String, CodingKey {
        case issuer = "iss", subject = "sub", audiences = "aud", expiresAt = "exp", issuedAt = "iat"
        case notBefore = "nbf", id = "jti", kubernetes = "kubernetes.io"
    }

    private struct KubernetesClaim: Codable {
        var namespace: String
        var serviceaccount: ObjectRef
        var pod: ObjectRef?
        var secret: ObjectRef?
        var node: ObjectRef?
        var warnafter: Int64?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        issuer = try container.decodeIfPresent(String.self, forKey: .issuer) ?? ""
        subject = try container.decodeIfPresent(String.self, forKey: .subject) ?? ""
        // `aud` is a string or an array of strings (RFC 7519 §4.1.3).
        if let single = try? container.decode(String.self, forKey: .audiences) {
            audiences = [single]
        } else {
            audiences = try container.decodeIfPresent([String].self, forKey: .audiences) ?? []
        }
        expiresAt = try container.decodeIfPresent(Int64.self, forKey: .expiresAt)
        issuedAt = try container.decodeIfPresent(Int64.self, forKey: .issuedAt) ?? 0
        notBefore = try container.decodeIfPresent(Int64.self, forKey: .notBefore) ?? 0
        id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
        let kubernetes = try container.decode(KubernetesClaim.self, forKey: .kubernetes)
        namespace = kubernetes.namespace
        serviceAccount = kubernetes.serviceaccount
        pod = kubernetes.pod
        secret = kubernetes.secret
        node = kubernetes.node
        warnAfter = kubernetes.warnafter
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(subject, forKey: .subject)
        // Like go-jose: one audience is written as a string.
        if audiences.count == 1 {
            try container.encode(audiences[0], forKey: .audiences)
        } else {
            try container.encode(audiences, forKey: .audiences)
        }
        try container.encodeIfPresent(expiresAt, forKey: .expiresAt)
        try container.encode(issuedAt, forKey: .issuedAt)
        try container.encode(notBefore, forKey: .notBefore)
        if !id.isEmpty { try container.encode(id, forKey: .id) }
        try container.encode(
            KubernetesClaim(namespace: namespace, serviceaccount: serviceAccount, pod: pod, secret: secret, node: node,
                            warnafter: warnAfter),
            forKey: .kubernetes)
    }
}
