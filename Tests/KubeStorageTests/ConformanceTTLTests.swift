import KubeStorage
import Testing

/// storage.md §5 item 27 (TTL expiry) and item 35 (restart preserves compaction and TTLs, SQLite).
///
/// TTLs are wall-clock deadlines, so these tests take a few seconds. They wait for the expiry's DELETE
/// event on a watch (bounded by a timeout), never by sleeping.
@Suite("Conformance: TTL and restart")
struct ConformanceTTLTests {
    /// §5.27 ttl_expiry_emits_delete
    @Test(arguments: StoreBackend.allCases)
    func ttlExpiryEmitsDelete(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/leases/"
            let key = base + "short"
            let reader = WatchReader(store.watch(.prefix(base), from: 0, prevKV: true))

            let before = wallClock()
            let rev = try committed(try await store.create(key, value: bytes("v"), ttlSeconds: 2))
            // Built from the outcome rather than read back: on a loaded machine a read could come after expiry.
            let created = KeyValue(key: key, value: bytes("v"), createRevision: rev, modRevision: rev, version: 1, lease: 2)

            // Deadline + 8 s at most (§5.27: "within 2–8 s the key is gone").
            let events = try await reader.events(timeout: 10, "the TTL delete of \(key)") {
                $0.kind == .delete && $0.kv.key == key
            }
            let observed = wallClock()
            #expect(observed >= before + 2 - 0.5, "expired \(observed - before) s after the create, before its TTL")
            #expect(events.map(\.kind) == [.put, .delete])
            #expect(events.first?.kv == created)
            let tombstone = try #require(events.last)
            #expect(tombstone.kv.modRevision == rev + 1)
            #expect(tombstone.previous == created)

            // The expiry used exactly one revision and left history intact.
            #expect(try await store.get(key) == nil)
            #expect(try await store.currentRevision() == rev + 1)
            #expect(try await store.get(key, at: rev).kvs == [created])
        }
    }

    /// An update without a TTL clears the deadline, an update with one sets it, and a re-created key does
    /// not inherit the deadline of its earlier incarnation.
    @Test(arguments: StoreBackend.allCases)
    func ttlFollowsTheLatestWrite(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/leases/"
            let reader = WatchReader(store.watch(.prefix(base), from: 0, prevKV: false))

            // The deadlines a later write must cancel are 20 s away, so that the later write surely comes
            // first even on a heavily loaded machine.
            // cleared: TTL 20 s, then updated without a TTL.
            let cleared = try committed(try await store.create(base + "cleared", value: bytes("0"), ttlSeconds: 20))
            _ = try committed(try await store.update(base + "cleared", value: bytes("1"), expectedModRevision: cleared))
            // reborn: TTL 20 s, deleted, re-created without a TTL.
            _ = try committed(try await store.create(base + "reborn", value: bytes("0"), ttlSeconds: 20))
            _ = try committed(try await store.delete(base + "reborn", expectedModRevision: nil))
            _ = try committed(try await store.create(base + "reborn", value: bytes("1")))
            // armed: no TTL, then updated with a 2 s TTL.
            let armed = try committed(try await store.create(base + "armed", value: bytes("0")))
            _ = try committed(try await store.update(base + "armed", value: bytes("1"), expectedModRevision: armed, ttlSeconds: 2))
            // sentinel: expires last, after the cancelled 20 s deadlines would have passed.
            let last = try committed(try await store.create(base + "sentinel", value: bytes("s"), ttlSeconds: 22))

            let events = try await reader.events(timeout: 40, "the TTL delete of the sentinel") {
                $0.kind == .delete && $0.kv.key == base + "sentinel"
            }
            var leases: [String: Int64] = [:]
            for event in events where event.kind == .put { leases[event.kv.key] = event.kv.lease }
            #expect(leases[base + "cleared"] == 0)
            #expect(leases[base + "armed"] == 2)
            let expired = events.filter { $0.kind == .delete && $0.revision > last }.map(\.kv.key)
            #expect(Set(expired) == [base + "armed", base + "sentinel"])
            #expect(expired.count == 2)

            #expect(try await store.get(base + "cleared")?.value == bytes("1"))
            #expect(try await store.get(base + "reborn")?.value == bytes("1"))
            #expect(try await store.get(base + "armed") == nil)
            #expect(try await store.currentRevision() == last + 2)
        }
    }

    /// §5.35 restart_preserves_compact_and_ttl (SQLite): after a close and reopen of the same file the
    /// compact revision is preserved and a TTL keeps its original wall-clock deadline (not extended).
    @Test func restartPreservesCompactAndTTL() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.databasePath
        let base = "/registry/leases/"
        let key = base + "long"
        let ttl: Int64 = 10

        // First run: some history, a compaction, a 10 s TTL; wait for a 5 s sentinel TTL so the store is
        // down for a while after half the TTL has passed.
        let (compact, createdAt, closedRevision, original) = try await withSQLiteStore(at: path) { store in
            var rev = try committed(try await store.create("/registry/cm/a", value: bytes("0")))
            for i in 1...5 {
                rev = try committed(try await store.update("/registry/cm/a", value: bytes("\(i)"), expectedModRevision: rev))
            }
            let compact = rev - 2
            try await store.compact(to: compact)

            let reader = WatchReader(store.watch(.prefix(base), from: 0, prevKV: false))
            let createdAt = wallClock()
            _ = try committed(try await store.create(key, value: bytes("v"), ttlSeconds: ttl))
            let original = try #require(try await store.get(key))
            _ = try committed(try await store.create(base + "sentinel", value: bytes("s"), ttlSeconds: 5))
            let events = try await reader.events(timeout: 30, "the TTL delete of the sentinel") {
                $0.kind == .delete && $0.kv.key == base + "sentinel"
            }
            #expect(!events.contains { $0.kind == .delete && $0.kv.key == key }, "the 10 s TTL expired before the 5 s one")
            return (compact, createdAt, try await store.currentRevision(), original)
        }

        // Second run: same file.
        try await withSQLiteStore(at: path) { store in
            let reopenedAt = wallClock()
            #expect(try await store.compactRevision() == compact)
            #expect(try await store.currentRevision() == closedRevision)
            #expect(await storageError { try await store.get("/registry/cm/a", at: compact - 1) } == .compacted(requested: compact - 1, compactRevision: compact))
            #expect(try await store.get("/registry/cm/a", at: compact).kvs.first?.value == bytes("3"))
            #expect(try await store.get(base + "sentinel") == nil)

            // From the first revision after the restart, so a delete that already happened is replayed.
            let reader = WatchReader(store.watch(.prefix(base), from: closedRevision + 1, prevKV: false))
            let kv = try await store.get(key)
            let readAt = wallClock()
            if let kv {
                #expect(kv == original)
                #expect(kv.lease == ttl)
            } else {
                #expect(readAt >= createdAt + Double(ttl) - 0.5, "the TTL expired early, \(readAt - createdAt) s after create")
            }

            let events = try await reader.events(timeout: Double(ttl) + 5, "the TTL delete of \(key)") {
                $0.kind == .delete && $0.kv.key == key
            }
            let observed = wallClock()
            #expect(events.count == 1)
            #expect(events.first?.revision == closedRevision + 1)
            // Never before the original deadline, within the deadline + 5 s window...
            #expect(observed >= createdAt + Double(ttl) - 0.5, "expired \(observed - createdAt) s after create")
            #expect(observed <= createdAt + Double(ttl) + 5, "expired \(observed - createdAt) s after create")
            // ...and clearly before the deadline a restart-extended TTL would have (reopen + TTL).
            #expect(observed < reopenedAt + Double(ttl) - 2, "the TTL was extended by the restart")
            #expect(try await store.get(key) == nil)
            #expect(try await store.currentRevision() == closedRevision + 1)
        }
    }
}

/// Opens the SQLite store at `path`, runs `body`, and closes it, also when `body` throws.
func withSQLiteStore<T>(
    at path: String,
    configuration: StoreConfiguration = .conformance(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (SQLiteStore) async throws -> T
) async throws -> T {
    let store = try SQLiteStore(path: path, configuration: configuration)
    let result: T
    do {
        result = try await body(store)
    } catch {
        await store.close()
        throw error
    }
    await store.close()
    return result
}
