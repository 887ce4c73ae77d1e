public import X509
import SwiftASN1

/// Who a verified client certificate names: the user is the subject's common name, the groups its
/// organizations (as kube-apiserver reads x509 client certificates).
///
/// Value type; Sendable.
public struct ClientIdentity: Sendable, Equatable {
    public var user: String
    public var groups: [String]

    public init(user: String, groups: [String]) {
        self.user = user
        self.groups = groups
    }

    public init(subject: DistinguishedName) {
        var user = ""
        var groups: [String] = []
        for rdn in subject {
            for attribute in rdn {
                guard let text = String(attribute.value) else { continue }
                switch attribute.type {
                case .RDNAttributeType.commonName: user = text
                case .RDNAttributeType.organizationName: groups.append(text)
                default: break
                }
            }
        }
        self.init(user: user, groups: groups)
    }

    /// The identity in a DER certificate (already verified by the TLS layer), nil when it cannot be parsed.
    public init?(certificateDER: [UInt8]) {
        guard let certificate = try? Certificate(derEncoded: certificateDER) else { return nil }
        self.init(subject: certificate.subject)
    }
}
