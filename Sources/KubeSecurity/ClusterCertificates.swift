public import Foundation
import X509
import SwiftASN1

/// The server's key material under `<data-dir>/pki`: the cluster CA, the API server's serving certificate and
/// the cluster admin's client certificate (`system:admin` in `system:masters`). Created on first start, reused
/// after; leaf certificates are re-issued when they near expiry or (serving) no longer cover the wanted names.
///
/// Immutable value; Sendable.
public struct ClusterCertificates: Sendable {
    public let directory: String
    public let authority: CertificateAuthority
    public let serving: IssuedCertificate
    public let admin: IssuedCertificate

    public static let adminUser = "system:admin"
    public static let adminGroup = "system:masters"
    /// Leaf certificates live a year and are renewed when less than `renewBefore` remains.
    public static let leafValidity: TimeInterval = 365 * 24 * 3600
    public static let renewBefore: TimeInterval = 90 * 24 * 3600

    public var caPath: String { directory + "/ca.crt" }
    public var servingCertificatePath: String { directory + "/apiserver.crt" }
    public var servingKeyPath: String { directory + "/apiserver.key" }

    /// Loads what exists under `directory`, creating or renewing what is missing or stale.
    public static func loadOrCreate(directory: String, servingNames: ServingNames, now: Date = Date()) throws
        -> ClusterCertificates
    {
        try SecureFile.makePrivateDirectory(directory)
        let authority = try loadOrCreateAuthority(directory: directory, now: now)
        let serving = try loadOrIssueLeaf(
            directory: directory, name: "apiserver", authority: authority, now: now,
            isCurrent: { certificate in
                guard let names = try certificate.extensions.subjectAlternativeNames else { return false }
                let have = ServingNames(
                    dnsNames: names.compactMap { if case .dnsName(let name) = $0 { name } else { nil } },
                    ipAddresses: names.compactMap { if case .ipAddress(let octets) = $0 { Array(octets.bytes) } else { nil } })
                return have.covers(servingNames)
            },
            issue: {
                try authority.issueKeyPair(
                    commonName: "kube-apiserver", usage: .serving(dnsNames: servingNames.dnsNames,
                                                                  ipAddresses: servingNames.ipAddresses),
                    validity: leafValidity, now: now)
            })
        let admin = try loadOrIssueLeaf(
            directory: directory, name: "admin", authority: authority, now: now,
            isCurrent: { certificate in
                ClientIdentity(subject: certificate.subject) == ClientIdentity(user: adminUser, groups: [adminGroup])
            },
            issue: {
                try authority.issueKeyPair(commonName: adminUser, organizations: [adminGroup], usage: .client,
                                           validity: leafValidity, now: now)
            })
        return ClusterCertificates(directory: directory, authority: authority, serving: serving, admin: admin)
    }

    private static func loadOrCreateAuthority(directory: String, now: Date) throws -> CertificateAuthority {
        let certificatePath = directory + "/ca.crt"
        let keyPath = directory + "/ca.key"
        if let certificatePEM = try SecureFile.read(certificatePath) {
            guard let keyPEM = try SecureFile.read(keyPath) else {
                throw PKIError.unreadable(path: keyPath, reason: "the CA certificate exists but its key is missing")
            }
            let authority: CertificateAuthority
            do {
                authority = try CertificateAuthority(certificatePEM: certificatePEM, privateKeyPEM: keyPEM)
            } catch let error as PKIError {
                throw error
            } catch {
                throw PKIError.unreadable(path: certificatePath, reason: "not a PEM certificate and key pair (\(error))")
            }
            if authority.certificate.notValidAfter <= now {
                throw PKIError.unreadable(path: certificatePath, reason: "the cluster CA expired at \(authority.certificate.notValidAfter)")
            }
            return authority
        }
        let authority = try CertificateAuthority.create(commonName: "swiftlet-ca@\(Int(now.timeIntervalSince1970))", now: now)
        try SecureFile.write(authority.privateKeyPEM, to: keyPath)
        try SecureFile.write(try authority.certificatePEM, to: certificatePath, mode: 0o644)
        return authority
    }

    private static func loadOrIssueLeaf(
        directory: String, name: String, authority: CertificateAuthority, now: Date,
        isCurrent: (Certificate) throws -> Bool, issue: () throws -> IssuedCertificate
    ) throws -> IssuedCertificate {
        let certificatePath = directory + "/\(name).crt"
        let keyPath = directory + "/\(name).key"
        if let certificatePEM = try SecureFile.read(certificatePath), let keyPEM = try SecureFile.read(keyPath),
           let certificate = try? Certificate(pemEncoded: certificatePEM),
           certificate.issuer == authority.certificate.subject,
           authority.certificate.publicKey.isValidSignature(certificate.signature, for: certificate),
           certificate.notValidAfter.timeIntervalSince(now) > renewBefore,
           (try? isCurrent(certificate)) == true
        {
            return IssuedCertificate(certificatePEM: certificatePEM, privateKeyPEM: keyPEM)
        }
        let issued = try issue()
        try SecureFile.write(issued.privateKeyPEM, to: keyPath)
        try SecureFile.write(issued.certificatePEM, to: certificatePath, mode: 0o644)
        return issued
    }
}
