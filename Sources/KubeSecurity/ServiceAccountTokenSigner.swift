public import Foundation
import Crypto

/// Signs and verifies service-account tokens: compact JWS with ES256 over the claims of
/// ``ServiceAccountTokenClaims``, the header naming the key (`kid` = base64url SHA-256 of the public key's
/// SubjectPublicKeyInfo, as kube-apiserver derives it). The P-256 key lives at
/// `<pki>/service-account.key` (0600), created once.
///
/// Immutable value; Sendable.
public struct ServiceAccountTokenSigner: Sendable {
    /// The issuer (and default audience) of tokens this server signs (kube-apiserver's usual
    /// `--service-account-issuer`).
    public static let defaultIssuer = "https://kubernetes.default.svc.cluster.local"
    /// Clock skew tolerated on `exp`, `nbf` and `iat` (go-jose's default leeway).
    public static let leeway: Int64 = 60
    static let algorithm = "ES256"

    let privateKey: P256.Signing.PrivateKey
    public let issuer: String
    public let keyID: String

    /// A signer with a new random key (tests and throwaway servers).
    public init(issuer: String = defaultIssuer) {
        self.init(privateKey: P256.Signing.PrivateKey(), issuer: issuer)
    }

    /// A signer with the PEM (SEC 1 or PKCS #8) P-256 key `privateKeyPEM`.
    public init(privateKeyPEM: String, issuer: String = defaultIssuer) throws {
        self.init(privateKey: try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM), issuer: issuer)
    }

    init(privateKey: P256.Signing.PrivateKey, issuer: String) {
        self.privateKey = privateKey
        self.issuer = issuer
        self.keyID = Base64URL.encode(SHA256.hash(data: privateKey.publicKey.derRepresentation))
    }

    /// The API server's own audiences (tokens requested without audiences get these).
    public var audiences: [String] { [issuer] }

    /// The signer whose key is `<directory>/service-account.key`, creating the key (0600) when missing.
    public static func loadOrCreate(directory: String, issuer: String = defaultIssuer) throws -> ServiceAccountTokenSigner {
        try SecureFile.makePrivateDirectory(directory)
        let path = directory + "/service-account.key"
        if let pem = try SecureFile.read(path) {
            do {
                return try ServiceAccountTokenSigner(privateKeyPEM: pem, issuer: issuer)
            } catch {
                throw PKIError.unreadable(path: path, reason: "not a PEM P-256 private key (\(error))")
            }
        }
        let key = P256.Signing.PrivateKey()
        try SecureFile.write(key.pemRepresentation, to: path)
        return ServiceAccountTokenSigner(privateKey: key, issuer: issuer)
    }

    /// The compact JWS of `claims`.
    public func sign(_ claims: ServiceAccountTokenClaims) throws -> String {
        let header = "{\"alg\":\"\(Self.algorithm)\",\"kid\":\"\(keyID)\"}"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(try encoder.encode(claims))
        let signature = try privateKey.signature(for: Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }

    /// The issuer a token claims, read without verifying anything; nil when `token` is not a JWT at all. The
    /// authenticator uses it to leave other issuers' tokens to other authenticators, as kube-apiserver does.
    public static func unverifiedIssuer(of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]),
              let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else { return nil }
        return object["iss"] as? String
    }

    /// The claims of `token` after checking, in order: the structure, the algorithm and key, the signature,
    /// the issuer, the time claims (with ``leeway``) and that one of `audiences` is among the token's.
    public func verify(_ token: String, audiences: [String], now: Date = Date()) throws(ServiceAccountTokenError)
        -> ServiceAccountTokenClaims
    {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("expected three dot-separated segments") }
        guard let headerBytes = Base64URL.decode(parts[0]), let payload = Base64URL.decode(parts[1]),
              let signatureBytes = Base64URL.decode(parts[2]) else {
            throw .malformed("a segment is not base64url")
        }
        guard let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any] else {
            throw .malformed("the header is not a JSON object")
        }
        let algorithm = header["alg"] as? String ?? ""
        guard algorithm == Self.algorithm else { throw .unsupportedAlgorithm(algorithm) }
        if let kid = header["kid"] as? String, kid != keyID { throw .unknownKey(kid) }
        guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes),
              privateKey.publicKey.isValidSignature(signature, for: Array((parts[0] + "." + parts[1]).utf8)) else {
            throw .invalidSignature
        }
        let claims: ServiceAccountTokenClaims
        do {
            claims = try JSONDecoder().decode(ServiceAccountTokenClaims.self, from: Data(payload))
        } catch {
            throw .malformed("the claims are not those of a service account token")
        }
        guard claims.issuer == issuer else { throw .wrongIssuer(claims.issuer) }
        let seconds = Int64(now.timeIntervalSince1970)
        if let expiry = claims.expiresAt {
            if seconds > expiry + Self.leeway { throw .expired }
        } else if claims.secret == nil {
            throw .missingExpiry
        }
        if claims.notBefore > seconds + Self.leeway { throw .notYetValid }
        if claims.issuedAt > seconds + Self.leeway { throw .issuedInTheFuture }
        guard claims.audiences.contains(where: { audiences.contains($0) }) else { throw .wrongAudience(claims.audiences) }
        return claims
    }
}
