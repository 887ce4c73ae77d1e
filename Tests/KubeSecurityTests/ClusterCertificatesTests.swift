import Crypto
import SwiftASN1
import Foundation
import KubeSecurity
import Testing
import X509

/// The cluster PKI on disk: created once with private keys at 0600, reused on restart, leaves re-issued when
/// near expiry or when the serving names grow, and issued certificates verify against the CA.
struct ClusterCertificatesTests {
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test func createsOnceWithPrivateKeysThenReuses() throws {
        let directory = try Self.temporaryDirectory() + "/pki"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let names = ServingNames(dnsNames: ["localhost", "kubernetes"], ipAddresses: [[127, 0, 0, 1]])
        let first = try ClusterCertificates.loadOrCreate(directory: directory, servingNames: names)
        for key in ["ca.key", "apiserver.key", "admin.key"] {
            #expect(try Self.mode(directory + "/" + key) == 0o600, "\(key)")
        }
        #expect(try Self.mode(directory) == 0o700)
        let second = try ClusterCertificates.loadOrCreate(directory: directory, servingNames: names)
        #expect(second.serving == first.serving)
        #expect(second.admin == first.admin)
        #expect(try second.authority.certificatePEM == first.authority.certificatePEM)

        let admin = try Certificate(pemEncoded: first.admin.certificatePEM)
        #expect(ClientIdentity(subject: admin.subject) == ClientIdentity(user: "system:admin", groups: ["system:masters"]))
        #expect(first.authority.certificate.publicKey.isValidSignature(admin.signature, for: admin))
        let serving = try Certificate(pemEncoded: first.serving.certificatePEM)
        let sans = try #require(try serving.extensions.subjectAlternativeNames)
        #expect(sans.contains(.dnsName("kubernetes")))
        #expect(try serving.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
    }

    @Test func reissuesTheServingCertificateForNewNamesAndNearExpiry() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let names = ServingNames(dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]])
        let first = try ClusterCertificates.loadOrCreate(directory: directory, servingNames: names)
        var more = names
        more.add("api.example.com")
        more.add("10.0.0.7")
        let widened = try ClusterCertificates.loadOrCreate(directory: directory, servingNames: more)
        #expect(widened.serving != first.serving)
        #expect(widened.admin == first.admin)
        let sans = try #require(try Certificate(pemEncoded: widened.serving.certificatePEM).extensions.subjectAlternativeNames)
        #expect(sans.contains(.dnsName("api.example.com")))
        // Eleven months on, every leaf is within the renewal window; the CA stays.
        let later = Date().addingTimeInterval(330 * 24 * 3600)
        let renewed = try ClusterCertificates.loadOrCreate(directory: directory, servingNames: more, now: later)
        #expect(renewed.admin != widened.admin)
        #expect(renewed.serving != widened.serving)
        #expect(try renewed.authority.certificatePEM == widened.authority.certificatePEM)
    }

    @Test func damagedOrMismatchedKeyMaterialIsAClearError() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let names = ServingNames(dnsNames: ["localhost"], ipAddresses: [])
        _ = try ClusterCertificates.loadOrCreate(directory: directory, servingNames: names)
        try SecureFile.write(P256.Signing.PrivateKey().pemRepresentation, to: directory + "/ca.key")
        #expect(throws: PKIError.self) { try ClusterCertificates.loadOrCreate(directory: directory, servingNames: names) }
        try SecureFile.write("garbage", to: directory + "/ca.crt")
        do {
            _ = try ClusterCertificates.loadOrCreate(directory: directory, servingNames: names)
            Issue.record("garbage CA accepted")
        } catch let error as PKIError {
            #expect(error.description.contains("ca.crt"), "\(error)")
            #expect(error.description.contains("move it away"), "\(error)")
        }
    }

    @Test func parsesAddressesAndNames() {
        #expect(ServingNames.parseAddress("10.1.2.3") == [10, 1, 2, 3])
        #expect(ServingNames.parseAddress("::1")?.count == 16)
        #expect(ServingNames.parseAddress("kubernetes") == nil)
        let host = try? ServingNames.forThisHost(extra: ["192.0.2.1", "Example.COM"])
        #expect(host?.ipAddresses.contains([192, 0, 2, 1]) == true)
        #expect(host?.dnsNames.contains("example.com") == true)
        #expect(host?.dnsNames.contains("kubernetes.default.svc.cluster.local") == true)
    }
}
