import Foundation
import KubeSecurity
import Testing
@testable import APIServer

/// `ClientIdentityCache` answers what parsing the certificate answers, once per certificate, within its bound.
@Suite struct ClientIdentityCacheTests {
    static func der(_ pem: String) -> [UInt8] {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return [UInt8](Data(base64Encoded: body)!)
    }

    @Test func namesTheCertificatesUserAndGroupsEachTime() throws {
        let authority = try CertificateAuthority.create(commonName: "test-ca")
        let alice = try authority.issueKeyPair(commonName: "alice", organizations: ["dev", "ops"], usage: .client,
                                               validity: 3600)
        let bob = try authority.issueKeyPair(commonName: "bob", usage: .client, validity: 3600)
        let cache = ClientIdentityCache(capacity: 8)
        for _ in 0..<3 {
            #expect(cache.identity(certificateDER: Self.der(alice.certificatePEM))
                == ClientIdentity(user: "alice", groups: ["dev", "ops"]))
            #expect(cache.identity(certificateDER: Self.der(bob.certificatePEM)) == ClientIdentity(user: "bob", groups: []))
        }
        #expect(cache.count == 2)
    }

    @Test func unparsableBytesAreNoIdentityAndTheCacheStaysBounded() throws {
        let cache = ClientIdentityCache(capacity: 4)
        for index in 0..<10 {
            #expect(cache.identity(certificateDER: [0x30, 0x03, 0x02, 0x01, UInt8(index)]) == nil)
        }
        #expect(cache.count <= 4)
    }
}
