import KubeStorage
import Testing

/// storage.md §5 "Revisions and basic CRUD" (items 1–8), plus argument validation and close.
@Suite("Conformance: revisions and CRUD")
struct ConformanceCRUDTests {
    /// §5.1 revision_starts_at_1
    @Test(arguments: StoreBackend.allCases)
    func revisionStartsAt1(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.currentRevision() == 1)
            #expect(try await store.compactRevision() == 0)
            let empty = try await store.get("/registry/cm/default/a", at: nil)
            #expect(empty == ReadResult(kvs: [], more: false, count: 0, revision: 1))

            let outcome = try await store.create("/registry/cm/default/a", value: bytes("v1"))
            #expect(outcome == .committed(revision: 2, previous: nil))
            #expect(try await store.currentRevision() == 2)
        }
    }

    /// Revision 0 means "current" (as in etcd); a negative revision is an invalid argument.
    @Test(arguments: StoreBackend.allCases)
    func revisionZeroReadsCurrent(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let first = try committed(try await store.create(key, value: bytes("v1")))
            _ = try committed(try await store.update(key, value: bytes("v2"), expectedModRevision: first))
            #expect(try await store.get(key, at: 0).kvs.first?.value == bytes("v2"))
            #expect(try await store.range(.prefix("/registry/"), at: 0, limit: nil, keysOnly: false).kvs.count == 1)
            let error = await storageError { _ = try await store.get(key, at: -1) }
            guard case .invalidArgument = error else {
                Issue.record("expected invalidArgument, got \(String(describing: error))")
                return
            }
        }
    }

    /// §5.2 create_sets_metadata
    @Test(arguments: StoreBackend.allCases)
    func createSetsMetadata(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            _ = try await store.create("/registry/other", value: bytes("x"))
            let r0 = try await store.currentRevision()
            let key = "/registry/cm/default/a"
            let rev = try committed(try await store.create(key, value: bytes("v1")))
            #expect(rev == r0 + 1)

            let read = try await store.get(key, at: nil)
            #expect(read.kvs == [KeyValue(key: key, value: bytes("v1"), createRevision: rev, modRevision: rev, version: 1, lease: 0)])
            #expect(read.count == 1)
            #expect(read.more == false)
            #expect(read.revision == rev)
        }
    }

    /// §5.3 update_bumps_version
    @Test(arguments: StoreBackend.allCases)
    func updateBumpsVersion(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let r0 = try await store.currentRevision()
            let key = "/registry/cm/default/a"
            let r1 = try committed(try await store.create(key, value: bytes("v1")))
            let first = try #require(try await store.get(key))

            let outcome2 = try await store.update(key, value: bytes("v2"), expectedModRevision: r1)
            #expect(outcome2 == .committed(revision: r0 + 2, previous: first))
            let second = try #require(try await store.get(key))
            #expect(second == KeyValue(key: key, value: bytes("v2"), createRevision: r1, modRevision: r0 + 2, version: 2))

            let outcome3 = try await store.update(key, value: bytes("v3"), expectedModRevision: r0 + 2)
            #expect(outcome3 == .committed(revision: r0 + 3, previous: second))
            let third = try #require(try await store.get(key))
            #expect(third.version == 3)
            #expect(third.createRevision == r0 + 1)
            #expect(third.modRevision == r0 + 3)
            #expect(third.value == bytes("v3"))
            #expect(try await store.currentRevision() == r0 + 3)
        }
    }

    /// §5.4 create_existing_conflicts
    @Test(arguments: StoreBackend.allCases)
    func createExistingConflicts(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let rev = try committed(try await store.create(key, value: bytes("v1")))
            let existing = try #require(try await store.get(key))

            let second = try await store.create(key, value: bytes("v2"))
            #expect(second == .conflict(current: existing, revision: rev))
            #expect(try await store.currentRevision() == rev)
            #expect(try await store.get(key) == existing)
        }
    }

    /// §5.5 recreate_after_delete
    @Test(arguments: StoreBackend.allCases)
    func recreateAfterDelete(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let r0 = try await store.currentRevision()
            let key = "/registry/cm/default/a"
            let r1 = try committed(try await store.create(key, value: bytes("v1")))
            _ = try await store.update(key, value: bytes("v1b"), expectedModRevision: r1)
            let deleted = try committed(try await store.delete(key, expectedModRevision: nil))
            #expect(deleted == r0 + 3)
            #expect(try await store.get(key) == nil)

            let recreated = try committed(try await store.create(key, value: bytes("v2")))
            #expect(recreated == r0 + 4)
            let kv = try #require(try await store.get(key))
            #expect(kv == KeyValue(key: key, value: bytes("v2"), createRevision: r0 + 4, modRevision: r0 + 4, version: 1))
            #expect(try await store.currentRevision() == r0 + 4)

            // History still shows the first incarnation and the gap between them.
            let old = try await store.get(key, at: r0 + 2)
            #expect(old.kvs.first?.createRevision == r0 + 1)
            #expect(old.kvs.first?.version == 2)
            #expect(try await store.get(key, at: r0 + 3).kvs.isEmpty)
        }
    }

    /// §5.6 read_header_is_current_revision
    @Test(arguments: StoreBackend.allCases)
    func readHeaderIsCurrentRevision(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let r1 = try committed(try await store.create(key, value: bytes("v1")))
            let r2 = try committed(try await store.update(key, value: bytes("v2"), expectedModRevision: r1))
            let r3 = try committed(try await store.create("/registry/cm/default/b", value: bytes("b")))

            let old = try await store.get(key, at: r1)
            #expect(old.kvs.map(\.value) == [bytes("v1")])
            #expect(old.kvs.first?.modRevision == r1)
            #expect(old.revision == r3)

            let middle = try await store.get(key, at: r2)
            #expect(middle.kvs.map(\.value) == [bytes("v2")])
            #expect(middle.revision == r3)

            let range = try await store.range(.prefix("/registry/cm/"), at: r1, limit: nil, keysOnly: false)
            #expect(range.kvs.map(\.key) == [key])
            #expect(range.revision == r3)

            let count = try await store.count(.prefix("/registry/cm/"), at: r1)
            #expect(count == CountResult(count: 1, revision: r3))
        }
    }

    /// §5.7 future_revision_rejected
    @Test(arguments: StoreBackend.allCases)
    func futureRevisionRejected(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let rev = try committed(try await store.create(key, value: bytes("v1")))
            let expected = StorageError.futureRevision(requested: rev + 1, current: rev)

            #expect(await storageError { try await store.get(key, at: rev + 1) } == expected)
            #expect(
                await storageError {
                    try await store.range(.prefix("/registry/"), at: rev + 1, limit: nil, keysOnly: false)
                } == expected)
            #expect(await storageError { try await store.count(.prefix("/registry/"), at: rev + 1) } == expected)
            #expect(try await store.get(key, at: rev).kvs.count == 1)
            #expect(try await store.currentRevision() == rev)
        }
    }

    /// §5.8 value_size_limit: exactly 1.5 MiB is accepted, one byte more is rejected, on every backend.
    @Test(arguments: StoreBackend.allCases)
    func valueSizeLimit(backend: StoreBackend) async throws {
        #expect(StoreLimits.maxValueSize == 1_572_864)
        try await withStore(backend) { store in
            let key = "/registry/cm/default/big"
            let largest = (0..<1_572_864).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let rev = try committed(try await store.create(key, value: largest))
            let stored = try #require(try await store.get(key))
            #expect(stored.value.count == largest.count)
            #expect(stored.value == largest)

            let tooLarge = [UInt8](repeating: 7, count: 1_572_865)
            let expected = StorageError.valueTooLarge(size: 1_572_865, limit: 1_572_864)
            #expect(await storageError { try await store.create("/registry/cm/default/big2", value: tooLarge) } == expected)
            #expect(
                await storageError { try await store.update(key, value: tooLarge, expectedModRevision: rev) } == expected)
            #expect(try await store.currentRevision() == rev)
            #expect(try await store.get("/registry/cm/default/big2") == nil)
            #expect(try await store.get(key)?.modRevision == rev)
        }
    }

    /// Invalid arguments fail with `.invalidArgument` and use no revision.
    @Test(arguments: StoreBackend.allCases)
    func invalidArgumentsRejected(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let rev = try committed(try await store.create("/registry/cm/default/a", value: bytes("v")))

            let negativeLimit = await storageError {
                try await store.range(.prefix("/registry/"), at: nil, limit: -1, keysOnly: false)
            }
            #expect(negativeLimit?.isInvalidArgument == true, "negative limit: \(String(describing: negativeLimit))")

            let emptyKey = await storageError { try await store.create("", value: bytes("v")) }
            #expect(emptyKey?.isInvalidArgument == true, "empty key: \(String(describing: emptyKey))")

            let zeroTTL = await storageError { try await store.create("/registry/cm/default/b", value: bytes("v"), ttlSeconds: 0) }
            #expect(zeroTTL?.isInvalidArgument == true, "ttl 0: \(String(describing: zeroTTL))")

            let negativeTTL = await storageError {
                try await store.update("/registry/cm/default/a", value: bytes("v"), expectedModRevision: rev, ttlSeconds: -5)
            }
            #expect(negativeTTL?.isInvalidArgument == true, "ttl -5: \(String(describing: negativeTTL))")

            let reader = WatchReader(store.watch(.prefix("/registry/"), from: -1, prevKV: false))
            let negativeStart = try await reader.drain().error
            #expect(negativeStart?.isInvalidArgument == true, "watch from -1: \(String(describing: negativeStart))")

            #expect(try await store.currentRevision() == rev)
            #expect(try await store.get("/registry/cm/default/a")?.modRevision == rev)
        }
    }

    /// `close()` while writes are in flight: every write either commits (and, for SQLite, survives a
    /// reopen at exactly its revision) or fails with `.unavailable`; revisions stay dense.
    @Test(arguments: StoreBackend.allCases)
    func closeWithWritesInFlight(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let r0 = try await store.currentRevision()
            let started = Signal()
            let outcomes = try await withThrowingTaskGroup(of: (String, Result<Revision, StorageError>).self) { group in
                for i in 0..<64 {
                    group.addTask {
                        let key = "/registry/cm/closing/k\(i)"
                        if i == 8 { started.fire() }
                        do {
                            return (key, .success(try committed(try await store.create(key, value: bytes(key)))))
                        } catch let error as StorageError {
                            return (key, .failure(error))
                        }
                    }
                }
                try await withTimeout(defaultTimeout, "the writers to start") { await started.wait() }
                await store.close()
                return try await group.reduce(into: [(String, Result<Revision, StorageError>)]()) { $0.append($1) }
            }

            var committedRevisions: [String: Revision] = [:]
            for (key, result) in outcomes {
                switch result {
                case .success(let revision): committedRevisions[key] = revision
                case .failure(let error): #expect(error.isUnavailable, "\(key): \(error)")
                }
            }
            #expect(committedRevisions.values.sorted() == Array((r0 + 1)..<(r0 + 1 + Revision(committedRevisions.count))))

            if let sqlite = store as? SQLiteStore {
                try await withSQLiteStore(at: sqlite.path) { reopened in
                    #expect(try await reopened.currentRevision() == r0 + Revision(committedRevisions.count))
                    let stored = try await reopened.range(.prefix("/registry/cm/closing/"))
                    #expect(Dictionary(uniqueKeysWithValues: stored.kvs.map { ($0.key, $0.modRevision) }) == committedRevisions)
                }
            }
        }
    }

    /// `close()` ends open watches with `.unavailable`, later calls fail with `.unavailable`, and a second
    /// close is harmless.
    @Test(arguments: StoreBackend.allCases)
    func closeEndsWatchesAndRejectsCalls(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let reader = WatchReader(store.watch(.prefix("/registry/"), from: 0, prevKV: false))
            let rev = try committed(try await store.create("/registry/cm/default/a", value: bytes("v")))
            #expect(try await reader.nextEvents().map(\.revision) == [rev])

            await store.close()
            let end = try await reader.drain()
            #expect(end.messages.isEmpty)
            #expect(end.error?.isUnavailable == true, "watch ended with \(String(describing: end.error))")

            let write = await storageError { try await store.create("/registry/cm/default/b", value: bytes("v")) }
            #expect(write?.isUnavailable == true, "create after close: \(String(describing: write))")
            let read = await storageError { try await store.currentRevision() }
            #expect(read?.isUnavailable == true, "currentRevision after close: \(String(describing: read))")
            await store.close()
        }
    }
}
