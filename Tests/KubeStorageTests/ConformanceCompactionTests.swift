import KubeStorage
import Testing

/// storage.md §5 "Compaction → 410" (items 28–31, 33).
@Suite("Conformance: compaction")
struct ConformanceCompactionTests {
    /// §5.28 compact_then_historical_read
    @Test(arguments: StoreBackend.allCases)
    func compactThenHistoricalRead(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let r1 = try committed(try await store.create(key, value: bytes("v1")))
            let c = try committed(try await store.update(key, value: bytes("v2"), expectedModRevision: r1))
            let r3 = try committed(try await store.update(key, value: bytes("v3"), expectedModRevision: c))

            try await store.compact(to: c)
            #expect(try await store.compactRevision() == c)

            let expired = StorageError.compacted(requested: c - 1, compactRevision: c)
            #expect(await storageError { try await store.get(key, at: c - 1) } == expired)
            #expect(await storageError { try await store.range(.prefix("/registry/"), at: c - 1, limit: nil, keysOnly: false) } == expired)
            #expect(await storageError { try await store.count(.prefix("/registry/"), at: c - 1) } == expired)

            let atCompact = try await store.get(key, at: c)
            #expect(atCompact.kvs.map(\.value) == [bytes("v2")])
            #expect(atCompact.kvs.first?.modRevision == c)
            #expect(atCompact.kvs.first?.createRevision == r1)
            #expect(atCompact.revision == r3)

            let now = try #require(try await store.get(key))
            #expect(now == KeyValue(key: key, value: bytes("v3"), createRevision: r1, modRevision: r3, version: 3))
            #expect(try await store.currentRevision() == r3)

            // Writes keep working after a compaction.
            #expect(try await store.update(key, value: bytes("v4"), expectedModRevision: r3) == .committed(revision: r3 + 1, previous: now))
        }
    }

    /// §5.29 compact_then_watch_old: below the compact revision fails; exactly at it works.
    @Test(arguments: StoreBackend.allCases)
    func compactThenWatchOld(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/cm/default/"
            let r1 = try committed(try await store.create(base + "a", value: bytes("a1")))
            let r2 = try committed(try await store.create(base + "b", value: bytes("b1")))
            let c = try committed(try await store.update(base + "a", value: bytes("a2"), expectedModRevision: r1))
            let r4 = try committed(try await store.update(base + "b", value: bytes("b2"), expectedModRevision: r2))
            try await store.compact(to: c)

            let tooOld = WatchReader(store.watch(.prefix(base), from: c - 1, prevKV: false))
            let failure = try await tooOld.drain()
            #expect(failure.messages.isEmpty)
            #expect(failure.error == .compacted(requested: c - 1, compactRevision: c))

            let veryOld = WatchReader(store.watch(.prefix(base), from: 1, prevKV: false))
            #expect(try await veryOld.drain().error == .compacted(requested: 1, compactRevision: c))

            let atCompact = WatchReader(store.watch(.prefix(base), from: c, prevKV: true))
            let replayed = try await atCompact.events(through: r4)
            #expect(revisions(replayed) == [c, r4])
            #expect(replayed.first?.kv.value == bytes("a2"))
            #expect(replayed.last?.kv.value == bytes("b2"))
            // The previous value of b (written at r2 < c and superseded at r4 > c) is still history at c.
            #expect(replayed.last?.previous?.value == bytes("b1"))

            let r5 = try committed(try await store.create(base + "c", value: bytes("c1")))
            #expect(revisions(try await atCompact.nextEvents()) == [r5])
        }
    }

    /// §5.30 compact_twice_same_rev, plus compaction below the compact revision and beyond the current one.
    @Test(arguments: StoreBackend.allCases)
    func compactTwiceSameRev(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            var rev = try committed(try await store.create(key, value: bytes("0")))
            for i in 1...4 {
                rev = try committed(try await store.update(key, value: bytes("\(i)"), expectedModRevision: rev))
            }
            let c = rev - 1

            try await store.compact(to: c)
            #expect(await storageError { try await store.compact(to: c) } == .compacted(requested: c, compactRevision: c))
            #expect(await storageError { try await store.compact(to: c - 1) } == .compacted(requested: c - 1, compactRevision: c))
            #expect(await storageError { try await store.compact(to: rev + 1) } == .futureRevision(requested: rev + 1, current: rev))
            #expect(try await store.compactRevision() == c)
            #expect(try await store.currentRevision() == rev)

            // Compacting to the current revision is allowed.
            try await store.compact(to: rev)
            #expect(try await store.compactRevision() == rev)
            #expect(try await store.get(key, at: rev).kvs.map(\.value) == [bytes("4")])
        }
    }

    /// §5.31 compact_preserves_latest_below: for each key the latest version at or below c survives;
    /// deleted keys stay deleted. Run with a tiny batch size so the compaction takes many batches.
    @Test(arguments: StoreBackend.allCases)
    func compactPreservesLatestBelow(backend: StoreBackend) async throws {
        try await withStore(backend, configuration: .conformance(compactionBatchSize: 3)) { store in
            let base = "/registry/cm/default/"
            let once = try committed(try await store.create(base + "once", value: bytes("once")))
            var twice = try committed(try await store.create(base + "twice", value: bytes("t0")))
            twice = try committed(try await store.update(base + "twice", value: bytes("t1"), expectedModRevision: twice))
            let gone = try committed(try await store.create(base + "gone", value: bytes("g")))
            _ = try committed(try await store.delete(base + "gone", expectedModRevision: gone))
            var reborn = try committed(try await store.create(base + "reborn", value: bytes("r0")))
            _ = try committed(try await store.delete(base + "reborn", expectedModRevision: reborn))
            reborn = try committed(try await store.create(base + "reborn", value: bytes("r1")))
            var churn = try committed(try await store.create(base + "churn", value: bytes("c0")))
            for i in 1...10 {
                churn = try committed(try await store.update(base + "churn", value: bytes("c\(i)"), expectedModRevision: churn))
            }
            let c = try committed(try await store.create("/registry/other/marker", value: bytes("m")))
            // Changes after c must not disturb the state at c.
            _ = try committed(try await store.update(base + "once", value: bytes("once-later"), expectedModRevision: once))
            _ = try committed(try await store.delete(base + "twice", expectedModRevision: twice))
            let before = try await store.range(.prefix(base), at: c, limit: nil, keysOnly: false)
            let current = try await store.range(.prefix(base))

            try await store.compact(to: c)
            #expect(try await store.compactRevision() == c)

            let after = try await store.range(.prefix(base), at: c, limit: nil, keysOnly: false)
            #expect(after.kvs == before.kvs)
            #expect(after.kvs.map(\.key) == ["churn", "once", "reborn", "twice"].map { base + $0 })
            #expect(try await store.get(base + "once", at: c).kvs.first?.modRevision == once)
            #expect(try await store.get(base + "twice", at: c).kvs.first?.value == bytes("t1"))
            #expect(try await store.get(base + "reborn", at: c).kvs.first?.createRevision == reborn)
            #expect(try await store.get(base + "churn", at: c).kvs.first?.version == 11)
            #expect(try await store.get(base + "gone", at: c).kvs.isEmpty)
            #expect(try await store.range(.prefix(base)).kvs == current.kvs)
            #expect(try await store.count(.prefix(base), at: c) == CountResult(count: 4, revision: try await store.currentRevision()))
        }
    }

    /// §5.33 compaction_under_load, scaled down: compact ~20k revisions in batches while a writer keeps
    /// writing. No write fails, the compact revision only moves forward and reaches the target, and (SQLite)
    /// it is persisted. No latency assertions.
    @Test(arguments: StoreBackend.allCases)
    func compactionUnderLoad(backend: StoreBackend) async throws {
        try await withStore(backend, configuration: .conformance(compactionBatchSize: 500)) { store in
            let base = "/registry/load/"
            let keys = 100
            let writesPerKey = 200
            // Build the history: 100 keys × 200 writes, concurrent so commits group.
            let finals = try await withThrowingTaskGroup(of: (String, Revision).self) { group in
                for k in 0..<keys {
                    group.addTask {
                        let key = base + "k\(k)"
                        var last = try committed(try await store.create(key, value: bytes("0")))
                        for i in 1..<writesPerKey {
                            last = try committed(try await store.update(key, value: bytes("\(i)"), expectedModRevision: last))
                        }
                        return (key, last)
                    }
                }
                return try await group.reduce(into: [String: Revision]()) { $0[$1.0] = $1.1 }
            }
            let target = try await store.currentRevision()
            #expect(target >= Revision(keys * writesPerKey))

            let compactionDone = Flag()
            let (writes, observed) = try await withThrowingTaskGroup(of: ([Revision], [Revision]).self) { group in
                // The writer under load: sequential CAS updates of its own key until compaction is over.
                group.addTask {
                    let key = "/registry/writer/w"
                    var last = try committed(try await store.create(key, value: bytes("0")))
                    var revisions = [last]
                    var i = 1
                    while (!compactionDone.isSet || revisions.count < 20) && !Task.isCancelled {
                        last = try committed(try await store.update(key, value: bytes("\(i)"), expectedModRevision: last))
                        revisions.append(last)
                        i += 1
                    }
                    return (revisions, [])
                }
                // An observer of the compaction's progress.
                group.addTask {
                    var seen: [Revision] = []
                    while !compactionDone.isSet && !Task.isCancelled {
                        let compact = try await store.compactRevision()
                        if seen.last != compact { seen.append(compact) }
                        await Task.yield()
                    }
                    return ([], seen)
                }
                do {
                    try await store.compact(to: target)
                    compactionDone.set()
                } catch {
                    compactionDone.set()
                    throw error
                }
                return try await group.reduce(into: ([Revision](), [Revision]())) {
                    $0.0 += $1.0
                    $0.1 += $1.1
                }
            }

            #expect(writes.count >= 20)
            #expect(strictlyIncreasing(writes))
            #expect(writes.allSatisfy { $0 > target })
            #expect(strictlyIncreasing(observed), "compact revision went backwards: \(observed)")
            #expect(observed.allSatisfy { $0 <= target })
            #expect(try await store.compactRevision() == target)

            // History below the target is gone; the state at the target and now is intact.
            #expect(await storageError { try await store.get(base + "k0", at: target - 1) } == .compacted(requested: target - 1, compactRevision: target))
            let atTarget = try await store.range(.prefix(base), at: target, limit: nil, keysOnly: false)
            #expect(atTarget.count == Int64(keys))
            for kv in atTarget.kvs {
                #expect(kv.modRevision == finals[kv.key])
                #expect(kv.version == Int64(writesPerKey))
                #expect(kv.value == bytes("\(writesPerKey - 1)"))
            }
            let writer = try #require(try await store.get("/registry/writer/w"))
            #expect(writer.modRevision == writes.last)
            #expect(writer.version == Int64(writes.count))
            let current = try await store.currentRevision()
            #expect(current == target + Revision(writes.count))

            // A watch from the compact revision still replays everything after it.
            let reader = WatchReader(store.watch(.prefix("/registry/writer/"), from: target, prevKV: false))
            #expect(revisions(try await reader.events(through: current)) == writes)

            if let sqlite = store as? SQLiteStore {
                await store.close()
                let reopened = try SQLiteStore(path: sqlite.path, configuration: .conformance())
                let compact = try await reopened.compactRevision()
                let reopenedCurrent = try await reopened.currentRevision()
                let kv = try await reopened.get(base + "k0")
                await reopened.close()
                #expect(compact == target)
                #expect(reopenedCurrent == current)
                #expect(kv?.version == Int64(writesPerKey))
            }
        }
    }
}
