public import KubeSecurity
public import KubeStorage

/// The offline work behind `swiftlet secrets-encrypt`: counting which key encrypts each Secret,
/// re-encrypting Secrets with the write key, and dropping history that still holds old ciphertext.
/// Runs against the unwrapped store while the server is stopped; every rewrite is a compare-and-swap, so a
/// concurrent writer is never overwritten.
///
/// Stateless namespace; call from one task.
public enum SecretEncryptionMaintenance {
    /// How the current Secrets are stored.
    public struct Usage: Sendable, Equatable {
        /// Secrets per key name (also names the ring no longer has).
        public var secretsByKey: [String: Int] = [:]
        /// Secrets stored without encryption.
        public var plaintext = 0
        /// Secrets stored by a provider Swiftlet does not implement.
        public var otherProvider = 0

        public init() {}

        /// Every Secret counted.
        public var total: Int { secretsByKey.values.reduce(0, +) + plaintext + otherProvider }
    }

    static let pageSize = 500

    /// Counts the current Secrets in `base` (the raw store) by the key that encrypts them.
    public static func usage(of base: any KeyValueStore) async throws -> Usage {
        var usage = Usage()
        try await forEachStoredSecret(in: base) { kv in
            switch try? EncryptionKeyRing.classify(kv.value) {
            case .aesGCM(let name, _)?: usage.secretsByKey[name, default: 0] += 1
            case .plaintext?: usage.plaintext += 1
            case .otherProvider?, nil: usage.otherProvider += 1
            }
        }
        return usage
    }

    /// Rewrites every Secret in `base` that the ring's write key does not encrypt yet (older keys and
    /// plaintext), through the encrypting store with compare-and-swap. Returns how many it rewrote. A value
    /// the ring cannot decrypt stops the run with `StorageError.transformFailed` naming the key.
    public static func reencrypt(_ base: any KeyValueStore, keyRing: EncryptionKeyRing) async throws -> Int {
        let encrypting = SecretEncryption.store(base, keyRing: keyRing)
        var stale: [KeyValue] = []
        try await forEachStoredSecret(in: base) { kv in
            if EncryptionKeyRing.keyName(of: kv.value) != keyRing.writeKey.name { stale.append(kv) }
        }
        var rewritten = 0
        for kv in stale {
            var expected = kv.modRevision
            var plaintext = try encrypting.readable(kv).value
            var ttl = kv.lease > 0 ? kv.lease : nil
            while true {
                let outcome = try await encrypting.update(
                    kv.key, value: plaintext, expectedModRevision: expected, ttlSeconds: ttl)
                guard case .conflict(let current?, _) = outcome else {
                    if outcome.isCommitted { rewritten += 1 }
                    break
                }
                // Written meanwhile: rewrite what is there now.
                expected = current.modRevision
                plaintext = current.value
                ttl = current.lease > 0 ? current.lease : nil
            }
        }
        return rewritten
    }

    /// Compacts `store` to its current revision, so no older version of any value (and no ciphertext of an
    /// older key, nor plaintext from before encryption) stays in its history. Returns the revision.
    @discardableResult
    public static func compactHistory(_ store: any KeyValueStore) async throws -> Revision {
        let current = try await store.currentRevision()
        if try await store.compactRevision() < current {
            try await store.compact(to: current)
        }
        return current
    }

    /// Calls `body` with every current Secret as stored, page by page in key order.
    static func forEachStoredSecret(
        in base: any KeyValueStore, _ body: (KeyValue) throws -> Void
    ) async throws {
        for prefix in SecretEncryption.keyPrefixes {
            var range = KeyRange.prefix(prefix)
            var revision: Revision? = nil
            while true {
                let page = try await base.range(range, at: revision, limit: pageSize, keysOnly: false)
                revision = revision ?? page.revision
                for kv in page.kvs { try body(kv) }
                guard page.more, let last = page.kvs.last else { break }
                range = range.continuing(after: last.key)
            }
        }
    }
}
