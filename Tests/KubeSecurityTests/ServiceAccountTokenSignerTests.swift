import Foundation
import KubeSecurity
import Testing

/// Service-account JWTs: ES256 signing with the key's `kid`, and verification that refuses tampered,
/// expired, not-yet-valid, foreign-key, wrong-audience, wrong-issuer and malformed tokens with typed errors.
struct ServiceAccountTokenSignerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let audience = ServiceAccountTokenSigner.defaultIssuer

    static func claims(expiration: Int64? = 3600, issuedAt: Date = now, issuer: String = ServiceAccountTokenSigner.defaultIssuer)
        -> ServiceAccountTokenClaims
    {
        ServiceAccountTokenClaims.make(
            issuer: issuer, audiences: [audience], namespace: "default", serviceAccount: .init(name: "robot", uid: "u-1"),
            now: issuedAt, expirationSeconds: expiration, pod: .init(name: "p", uid: "u-2"))
    }

    static func segments(_ token: String) -> [String] { token.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }

    static func json(_ segment: String) throws -> [String: Any] {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        let data = try #require(Data(base64Encoded: text))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func encode(_ object: [String: Any]) throws -> String {
        try JSONSerialization.data(withJSONObject: object).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func signsWithKeyIDAndVerifiesItsClaims() throws {
        let signer = ServiceAccountTokenSigner()
        let original = Self.claims()
        let token = try signer.sign(original)
        let parts = Self.segments(token)
        #expect(parts.count == 3)
        let header = try Self.json(parts[0])
        #expect(header["alg"] as? String == "ES256")
        #expect(header["kid"] as? String == signer.keyID)
        let payload = try Self.json(parts[1])
        #expect(payload["iss"] as? String == "https://kubernetes.default.svc.cluster.local")
        #expect(payload["sub"] as? String == "system:serviceaccount:default:robot")
        #expect(payload["aud"] as? String == Self.audience)
        #expect(payload["exp"] as? Int == 1_800_003_600)
        #expect(payload["nbf"] as? Int == 1_800_000_000)
        #expect(payload["iat"] as? Int == 1_800_000_000)
        #expect((payload["jti"] as? String ?? "").count == 36)
        let kubernetes = try #require(payload["kubernetes.io"] as? [String: Any])
        #expect(kubernetes["namespace"] as? String == "default")
        #expect((kubernetes["serviceaccount"] as? [String: String]) == ["name": "robot", "uid": "u-1"])
        #expect((kubernetes["pod"] as? [String: String]) == ["name": "p", "uid": "u-2"])
        let verified = try signer.verify(token, audiences: [Self.audience], now: Self.now)
        #expect(verified == original)
    }

    @Test func refusesATamperedPayload() throws {
        let signer = ServiceAccountTokenSigner()
        let parts = Self.segments(try signer.sign(Self.claims()))
        var payload = try Self.json(parts[1])
        payload["sub"] = "system:serviceaccount:kube-system:admin"
        let forged = [parts[0], try Self.encode(payload), parts[2]].joined(separator: ".")
        #expect(throws: ServiceAccountTokenError.invalidSignature) {
            try signer.verify(forged, audiences: [Self.audience], now: Self.now)
        }
    }

    @Test func refusesExpiredAndNotYetValidTokensBeyondTheLeeway() throws {
        let signer = ServiceAccountTokenSigner()
        let token = try signer.sign(Self.claims(expiration: 600))
        // Within the one-minute leeway after expiry the token still verifies.
        _ = try signer.verify(token, audiences: [Self.audience], now: Self.now.addingTimeInterval(630))
        #expect(throws: ServiceAccountTokenError.expired) {
            try signer.verify(token, audiences: [Self.audience], now: Self.now.addingTimeInterval(700))
        }
        #expect(throws: ServiceAccountTokenError.notYetValid) {
            try signer.verify(token, audiences: [Self.audience], now: Self.now.addingTimeInterval(-120))
        }
    }

    @Test func refusesTokensOfAnotherKey() throws {
        let ours = ServiceAccountTokenSigner()
        let theirs = ServiceAccountTokenSigner()
        let token = try theirs.sign(Self.claims())
        #expect(throws: ServiceAccountTokenError.unknownKey(theirs.keyID)) {
            try ours.verify(token, audiences: [Self.audience], now: Self.now)
        }
        // The same token claiming our key id fails on the signature.
        let parts = Self.segments(token)
        let header = try Self.encode(["alg": "ES256", "kid": ours.keyID])
        #expect(throws: ServiceAccountTokenError.invalidSignature) {
            try ours.verify([header, parts[1], parts[2]].joined(separator: "."), audiences: [Self.audience], now: Self.now)
        }
    }

    @Test func refusesWrongAudienceAndIssuer() throws {
        let signer = ServiceAccountTokenSigner()
        let token = try signer.sign(Self.claims())
        #expect(throws: ServiceAccountTokenError.wrongAudience([Self.audience])) {
            try signer.verify(token, audiences: ["vault"], now: Self.now)
        }
        let foreign = try signer.sign(Self.claims(issuer: "https://elsewhere.example"))
        #expect(throws: ServiceAccountTokenError.wrongIssuer("https://elsewhere.example")) {
            try signer.verify(foreign, audiences: [Self.audience], now: Self.now)
        }
    }

    @Test func refusesGarbageAndUnsignedTokens() throws {
        let signer = ServiceAccountTokenSigner()
        for garbage in ["", "abc", "a.b", "a.b.c", "!!!.???.***", "a.b.c.d"] {
            #expect(throws: ServiceAccountTokenError.self, "\(garbage)") {
                try signer.verify(garbage, audiences: [Self.audience], now: Self.now)
            }
        }
        let parts = Self.segments(try signer.sign(Self.claims()))
        let none = try Self.encode(["alg": "none"])
        #expect(throws: ServiceAccountTokenError.unsupportedAlgorithm("none")) {
            try signer.verify(none + "." + parts[1] + ".", audiences: [Self.audience], now: Self.now)
        }
        let notClaims = try Self.encode(["iss": ServiceAccountTokenSigner.defaultIssuer])
        let unsignedInput = parts[0] + "." + notClaims
        #expect(throws: ServiceAccountTokenError.invalidSignature) {
            try signer.verify(unsignedInput + "." + parts[2], audiences: [Self.audience], now: Self.now)
        }
    }

    @Test func onlySecretBoundTokensMayLackAnExpiry() throws {
        let signer = ServiceAccountTokenSigner()
        let unbound = try signer.sign(Self.claims(expiration: nil))
        #expect(throws: ServiceAccountTokenError.missingExpiry) {
            try signer.verify(unbound, audiences: [Self.audience], now: Self.now)
        }
        let legacy = try signer.sign(ServiceAccountTokenClaims.make(
            issuer: signer.issuer, audiences: signer.audiences, namespace: "default",
            serviceAccount: .init(name: "robot", uid: "u-1"), now: Self.now, expirationSeconds: nil,
            secret: .init(name: "robot-token", uid: "u-3")))
        let claims = try signer.verify(legacy, audiences: signer.audiences, now: Self.now.addingTimeInterval(10 * 365 * 86400))
        #expect(claims.secret?.name == "robot-token")
        #expect(claims.expiresAt == nil)
    }

    @Test func keyFileIsCreatedOncePrivatelyAndReused() throws {
        let directory = try ClusterCertificatesTests.temporaryDirectory() + "/pki"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try ServiceAccountTokenSigner.loadOrCreate(directory: directory)
        #expect(try ClusterCertificatesTests.mode(directory + "/service-account.key") == 0o600)
        let second = try ServiceAccountTokenSigner.loadOrCreate(directory: directory)
        #expect(second.keyID == first.keyID)
        let token = try first.sign(Self.claims())
        #expect(try second.verify(token, audiences: [Self.audience], now: Self.now).subject == "system:serviceaccount:default:robot")
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: directory + "/service-account.key"))
        #expect(throws: PKIError.self) { try ServiceAccountTokenSigner.loadOrCreate(directory: directory) }
    }
}
