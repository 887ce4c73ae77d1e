public import Foundation
public import X509
import Crypto
import SwiftASN1

/// The cluster's certificate authority: an ECDSA P-256 key and its self-signed certificate, which signs the
/// API server's serving certificate, client certificates (CN = user, O = groups) and approved CSRs.
///
/// Immutable value; Sendable.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    let privateKey: P256.Signing.PrivateKey

    /// How long a new CA is valid (upstream kubeadm: ten years).
    public static let validity: TimeInterval = 10 * 365 * 24 * 3600

    /// Creates a new CA named `commonName`.
    public static func create(commonName: String, now: Date = Date()) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let signingKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { CommonName(commonName) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: signingKey.publicKey,
            notValidBefore: now - 300, notValidAfter: now + validity, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: signingKey.publicKey)
            },
            issuerPrivateKey: signingKey)
        return CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// Loads a CA from its PEM certificate and PEM private key; throws when they do not belong together.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        let key = try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        guard Certificate.PublicKey(key.publicKey) == certificate.publicKey else {
            throw PKIError.mismatchedKey("the CA private key does not match the CA certificate")
        }
        self.init(certificate: certificate, privateKey: key)
    }

    init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    public var certificatePEM: String {
        get throws { try certificate.serializeAsPEM().pemString }
    }

    public var privateKeyPEM: String { privateKey.pemRepresentation }

    /// Issues a certificate for `publicKey` with the given subject and use, valid from now for `validity`.
    public func issue(
        for publicKey: Certificate.PublicKey, commonName: String, organizations: [String] = [],
        usage: CertificateUsage, validity: TimeInterval, now: Date = Date()
    ) throws -> Certificate {
        let subject = try DistinguishedName {
            for organization in organizations { OrganizationName(organization) }
            CommonName(commonName)
        }
        return try issue(for: publicKey, subject: subject, usage: usage, validity: validity, now: now)
    }

    /// Issues a certificate for `publicKey` and `subject` (for CSRs, whose subject is taken as it is).
    public func issue(
        for publicKey: Certificate.PublicKey, subject: DistinguishedName, usage: CertificateUsage,
        validity: TimeInterval, now: Date = Date()
    ) throws -> Certificate {
        let notAfter = min(now + validity, certificate.notValidAfter)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
            try ExtendedKeyUsage(usage.extendedKeyUsages)
            AuthorityKeyIdentifier(keyIdentifier: try authorityKeyIdentifier())
            if case .serving(let dnsNames, let ipAddresses) = usage {
                SubjectAlternativeNames(
                    dnsNames.map { GeneralName.dnsName($0) }
                        + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) })
            }
        }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now - 300, notValidAfter: notAfter, issuer: certificate.subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(privateKey))
    }

    /// Issues a new key pair and certificate.
    public func issueKeyPair(
        commonName: String, organizations: [String] = [], usage: CertificateUsage, validity: TimeInterval,
        now: Date = Date()
    ) throws -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        let certificate = try issue(
            for: Certificate.PublicKey(key.publicKey), commonName: commonName, organizations: organizations,
            usage: usage, validity: validity, now: now)
        return IssuedCertificate(certificatePEM: try certificate.serializeAsPEM().pemString,
                                 privateKeyPEM: key.pemRepresentation)
    }

    private func authorityKeyIdentifier() throws -> ArraySlice<UInt8> {
        if let identifier = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier { return identifier }
        return ArraySlice(Insecure.SHA1.hash(data: certificate.publicKey.subjectPublicKeyInfoBytes))
    }
}

/// What an issued certificate is for.
///
/// Value type; Sendable.
public enum CertificateUsage: Sendable, Equatable {
    /// A TLS server, valid for these names and addresses (4 or 16 bytes each).
    case serving(dnsNames: [String], ipAddresses: [[UInt8]])
    /// A TLS client (users, nodes, components).
    case client

    var extendedKeyUsages: [ExtendedKeyUsage.Usage] {
        switch self {
        case .serving: [.serverAuth]
        case .client: [.clientAuth]
        }
    }
}

/// A certificate and its private key, both PEM.
///
/// Value type; Sendable.
public struct IssuedCertificate: Sendable, Equatable {
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }
}

/// Problems with key material, each saying what is wrong and what to do.
///
/// Value type; Sendable.
public enum PKIError: Error, Sendable, Equatable, CustomStringConvertible {
    case mismatchedKey(String)
    case unreadable(path: String, reason: String)
    case invalidAddress(String)

    public var description: String {
        switch self {
        case .mismatchedKey(let message): message
        case .unreadable(let path, let reason):
            "cannot use \(path): \(reason); move it away to have Swiftlet create new key material"
        case .invalidAddress(let address): "\"\(address)\" is not an IPv4 or IPv6 address"
        }
    }
}
