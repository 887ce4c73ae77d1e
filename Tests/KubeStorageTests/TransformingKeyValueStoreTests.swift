import KubeStorage
import Testing

/// `TransformingKeyValueStore` over a `MemoryStore`: values under the chosen prefixes are stored
/// transformed and read back (gets, ranges, write outcomes, watch events with previous values) as written;
/// other keys pass through; compare-and-swap still works; a value that cannot be read back is an error
/// naming its key. (The whole conformance suite also runs behind the wrapper: `StoreBackend.transformedMemory`.)
struct TransformingKeyValueStoreTests {
    static let tag = bytes("enc:")
    static let secret = "/registry/core/secrets/default/db"
    static let configMap = "/registry/core/configmaps/default/db"

    static func withStores(
        transformer: any ValueTransformer = XORTransformer(tag: tag),
        _ body: (_ wrapped: TransformingKeyValueStore, _ base: MemoryStore) async throws -> Void
    ) async throws {
        let base = MemoryStore(configuration: .conformance())
        let wrapped = TransformingKeyValueStore(
            base: base, transformer: transformer, keyPrefixes: ["/registry/core/secrets/"])
        do {
            try await body(wrapped, base)
        } catch {
            await wrapped.close()
            throw error
        }
        await wrapped.close()
    }

    @Test func storesTransformedAndReadsPlain() async throws {
        try await Self.withStores { wrapped, base in
            _ = try committed(try await wrapped.create(Self.secret, value: bytes("hunter2")))
            _ = try committed(try await wrapped.create(Self.configMap, value: bytes("plain")))
            let raw = try #require(try await base.get(Self.secret))
            #expect(raw.value.starts(with: Self.tag))
            #expect(raw.value != bytes("hunter2"))
            #expect(try await base.get(Self.configMap)?.value == bytes("plain"))
            #expect(try await wrapped.get(Self.secret)?.value == bytes("hunter2"))
            #expect(try await wrapped.get(Self.configMap)?.value == bytes("plain"))

            let all = try await wrapped.range(.prefix("/registry/"))
            #expect(all.kvs.map(\.value) == [bytes("plain"), bytes("hunter2")])
            #expect(all.count == 2)
            let keysOnly = try await wrapped.range(.prefix("/registry/"), at: nil, limit: nil, keysOnly: true)
            #expect(keysOnly.kvs.map(\.key) == [Self.configMap, Self.secret])
            #expect(keysOnly.kvs.allSatisfy { $0.value.isEmpty })
        }
    }

    @Test func revisionsAndCompareAndSwapAreTheBaseStores() async throws {
        try await Self.withStores { wrapped, base in
            let created = try committed(try await wrapped.create(Self.secret, value: bytes("v1")))
            #expect(try await base.currentRevision() == created)

            // A create of an existing key conflicts and returns the current value in plaintext.
            let again = try await wrapped.create(Self.secret, value: bytes("other"))
            guard case .conflict(let current?, let revision) = again else {
                Issue.record("expected a conflict, got \(again)")
                return
            }
            #expect(current.value == bytes("v1"))
            #expect(revision == created)

            // An update at a stale revision conflicts; at the right one it commits and returns the old value.
            let stale = try await wrapped.update(Self.secret, value: bytes("v2"), expectedModRevision: created - 1)
            #expect(!stale.isCommitted)
            let updated = try await wrapped.update(Self.secret, value: bytes("v2"), expectedModRevision: created)
            guard case .committed(let updatedAt, let previous?) = updated else {
                Issue.record("expected a commit, got \(updated)")
                return
            }
            #expect(previous.value == bytes("v1"))
            #expect(try await wrapped.get(Self.secret)?.version == 2)

            let deleted = try await wrapped.delete(Self.secret, expectedModRevision: updatedAt)
            guard case .committed(_, let last?) = deleted else {
                Issue.record("expected a commit, got \(deleted)")
                return
            }
            #expect(last.value == bytes("v2"))
            // History reads are plaintext too.
            #expect(try await wrapped.get(Self.secret, at: created).kvs.first?.value == bytes("v1"))
        }
    }

    @Test func watchEventsAndPreviousValuesArePlain() async throws {
        try await Self.withStores { wrapped, _ in
            let first = try committed(try await wrapped.create(Self.secret, value: bytes("v1")))
            // Replayed history and live events alike.
            let reader = WatchReader(wrapped.watch(.prefix("/registry/"), from: first, prevKV: true))
            let replayed = try await reader.events(through: first)
            #expect(replayed.map(\.kv.value) == [bytes("v1")])

            let second = try committed(try await wrapped.update(Self.secret, value: bytes("v2"), expectedModRevision: first))
            _ = try committed(try await wrapped.create(Self.configMap, value: bytes("cm")))
            let third = try committed(try await wrapped.delete(Self.secret, expectedModRevision: second))
            let live = try await reader.events(through: third)
            #expect(live.map(\.kind) == [.put, .put, .delete])
            #expect(live[0].kv.value == bytes("v2"))
            #expect(live[0].previous?.value == bytes("v1"))
            #expect(live[1].kv.value == bytes("cm"))
            #expect(live[2].kv.value.isEmpty)
            #expect(live[2].previous?.value == bytes("v2"))
        }
    }

    @Test func plaintextWrittenBeforeTheWrapperStaysReadable() async throws {
        try await Self.withStores { wrapped, base in
            _ = try committed(try await base.create(Self.secret, value: bytes("old plaintext")))
            #expect(try await wrapped.get(Self.secret)?.value == bytes("old plaintext"))
        }
    }

    @Test func anUnreadableValueFailsTheReadAndEndsTheWatchNamingTheKey() async throws {
        try await Self.withStores(transformer: RefusingTransformer()) { wrapped, base in
            let start = try await base.currentRevision() + 1
            let reader = WatchReader(wrapped.watch(.prefix("/registry/"), from: start, prevKV: false))
            _ = try committed(try await base.create(Self.configMap, value: bytes("cm")))
            _ = try committed(try await base.create(Self.secret, value: bytes("x")))
            let error = await storageError { try await wrapped.get(Self.secret) }
            #expect(error == .transformFailed(
                key: Self.secret, reason: "the test transformer refuses to read; restore the key"))
            #expect(error?.description.hasPrefix("unable to transform key \"\(Self.secret)\"") == true)
            // Other keys still read.
            #expect(try await wrapped.get(Self.configMap)?.value == bytes("cm"))

            let (messages, ended) = try await reader.drain()
            #expect(messages.count <= 1)
            guard case .transformFailed(let key, _)? = ended else {
                Issue.record("expected transformFailed, got \(String(describing: ended))")
                return
            }
            #expect(key == Self.secret)
        }
    }
}
