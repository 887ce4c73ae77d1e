import KubeSecurity
import Synchronization

/// Client identities by the DER bytes of the (already verified) client certificate, so a keep-alive client's
/// requests do not parse its certificate again each time.
///
/// Thread-safe (a `Mutex`); bounded: at `capacity` distinct certificates it starts over.
final class ClientIdentityCache: Sendable {
    private let entries = Mutex<[[UInt8]: ClientIdentity?]>([:])
    let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The identity `certificateDER` names (nil when it cannot be parsed), parsed once per certificate.
    func identity(certificateDER der: [UInt8]) -> ClientIdentity? {
        if let cached = entries.withLock({ $0[der] }) { return cached }
        let parsed = ClientIdentity(certificateDER: der)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[der] = .some(parsed)
        }
        return parsed
    }

    /// Distinct certificates held now (tests).
    var count: Int { entries.withLock { $0.count } }

    /// The cache of the server's TLS connections.
    static let shared = ClientIdentityCache()
}
