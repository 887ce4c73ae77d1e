public import Foundation
import X509
import SwiftASN1

/// Signs PKCS#10 certificate requests with the cluster CA, as the `kubernetes.io/kube-apiserver-client`
/// signer does: the request's signature must verify, its subject is kept (CN = user, O = groups), the
/// certificate is a client certificate valid for the requested duration (at most the default of one year, and
/// never past the CA).
///
/// Immutable; Sendable.
public struct CertificateRequestSigner: Sendable {
    public let authority: CertificateAuthority
    public static let defaultDuration: TimeInterval = 365 * 24 * 3600

    public init(authority: CertificateAuthority) {
        self.authority = authority
    }

    /// The parsed request, or why it is not acceptable.
    static func parse(pem: String) throws(CertificateRequestError) -> X509.CertificateSigningRequest {
        let request: X509.CertificateSigningRequest
        do {
            request = try X509.CertificateSigningRequest(pemEncoded: pem)
        } catch {
            throw .malformed("\(error)")
        }
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw .badSignature
        }
        return request
    }

    /// Who a well-formed, correctly signed request asks to be: its subject's common name and organizations.
    public static func requestedIdentity(pem: String) throws(CertificateRequestError) -> ClientIdentity {
        ClientIdentity(subject: try parse(pem: pem).subject)
    }

    /// Signs `pem` for `duration` seconds (nil: the default), returning the certificate as PEM.
    public func sign(pem: String, duration: TimeInterval?, now: Date = Date()) throws -> String {
        let request = try Self.parse(pem: pem)
        let validity = min(duration ?? Self.defaultDuration, Self.defaultDuration)
        let certificate = try authority.issue(
            for: request.publicKey, subject: request.subject, usage: .client, validity: validity, now: now)
        return try certificate.serializeAsPEM().pemString
    }
}

/// Why a certificate request cannot be signed.
///
/// Value type; Sendable.
public enum CertificateRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case badSignature

    public var description: String {
        switch self {
        case .malformed(let detail): "the request is not a PEM PKCS#10 certificate request: \(detail)"
        case .badSignature: "the request's signature does not verify with its public key"
        }
    }
}
