/// Why a service-account token was refused. Descriptions are kube-apiserver's wording where it has one.
///
/// Value type; Sendable.
public enum ServiceAccountTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not three base64url segments with a JSON header and the claims this issuer writes.
    case malformed(String)
    /// A header `alg` other than ES256 (including `none`).
    case unsupportedAlgorithm(String)
    /// Signed by a key this server does not have (the header's `kid` names another key).
    case unknownKey(String)
    /// The signature does not match the header and claims (a tampered token or a foreign key).
    case invalidSignature
    case expired
    case notYetValid
    case issuedInTheFuture
    /// A token without `exp` that is not a legacy Secret-bound token.
    case missingExpiry
    case wrongIssuer(String)
    /// None of the token's audiences is one the caller accepts.
    case wrongAudience([String])

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed service account token: \(reason)"
        case .unsupportedAlgorithm(let algorithm): "unsupported signing algorithm \"\(algorithm)\""
        case .unknownKey(let keyID): "token signed by an unknown key (kid \"\(keyID)\")"
        case .invalidSignature: "invalid signature"
        case .expired: "service account token has expired"
        case .notYetValid: "service account token is not valid yet"
        case .issuedInTheFuture: "service account token is issued in the future"
        case .missingExpiry: "service account token has no expiry"
        case .wrongIssuer(let issuer): "token issuer \"\(issuer)\" is not this server's"
        case .wrongAudience(let audiences): "token audiences \(audiences) is invalid for the target audiences"
        }
    }
}
