import KubeStorage
import Testing

/// storage.md §5 "Compare-and-swap" (items 9–13) and "Delete with preconditions" (items 14–16).
@Suite("Conformance: compare-and-swap and delete preconditions")
struct ConformanceCASTests {
    static let writers = 32

    /// §5.9 cas_update_stale_fails
    @Test(arguments: StoreBackend.allCases)
    func casUpdateStaleFails(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let r1 = try committed(try await store.create(key, value: bytes("v1")))
            let r2 = try committed(try await store.update(key, value: bytes("v2"), expectedModRevision: r1))
            let current = try #require(try await store.get(key))

            let stale = try await store.update(key, value: bytes("v3"), expectedModRevision: r1)
            #expect(stale == .conflict(current: current, revision: r2))
            let future = try await store.update(key, value: bytes("v3"), expectedModRevision: r2 + 10)
            #expect(future == .conflict(current: current, revision: r2))
            let missing = try await store.update("/registry/cm/default/none", value: bytes("v"), expectedModRevision: r1)
            #expect(missing == .conflict(current: nil, revision: r2))

            #expect(try await store.currentRevision() == r2)
            #expect(try await store.get(key) == current)
        }
    }

    /// §5.10 concurrent_cas_exactly_one_wins
    @Test(arguments: StoreBackend.allCases)
    func concurrentCASExactlyOneWins(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let r1 = try committed(try await store.create(key, value: bytes("v1")))
            let expected = try #require(try await store.get(key)).modRevision

            let outcomes = try await withThrowingTaskGroup(of: (Int, WriteOutcome).self) { group in
                for writer in 0..<Self.writers {
                    group.addTask {
                        (writer, try await store.update(key, value: bytes("w\(writer)"), expectedModRevision: expected))
                    }
                }
                return try await group.reduce(into: [(Int, WriteOutcome)]()) { $0.append($1) }
            }

            let winners = outcomes.filter { $0.1.isCommitted }
            #expect(winners.count == 1)
            #expect(outcomes.count - winners.count == Self.writers - 1)
            let winner = try #require(winners.first)
            #expect(winner.1.committedRevision == r1 + 1)

            let final = try #require(try await store.get(key))
            #expect(final.version == 2)
            #expect(final.modRevision == r1 + 1)
            #expect(final.value == bytes("w\(winner.0)"))
            for (writer, outcome) in outcomes where writer != winner.0 {
                // A compare can only fail once the winner committed, so every loser sees the winner's KV.
                #expect(outcome == .conflict(current: final, revision: r1 + 1), "writer \(writer)")
            }
            #expect(try await store.currentRevision() == r1 + 1)
        }
    }

    /// §5.11 concurrent_create_exactly_one_wins
    @Test(arguments: StoreBackend.allCases)
    func concurrentCreateExactlyOneWins(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let r0 = try await store.currentRevision()
            let key = "/registry/cm/default/a"

            let outcomes = try await withThrowingTaskGroup(of: (Int, WriteOutcome).self) { group in
                for writer in 0..<Self.writers {
                    group.addTask { (writer, try await store.create(key, value: bytes("w\(writer)"))) }
                }
                return try await group.reduce(into: [(Int, WriteOutcome)]()) { $0.append($1) }
            }

            let winners = outcomes.filter { $0.1.isCommitted }
            #expect(winners.count == 1)
            let winner = try #require(winners.first)
            #expect(winner.1 == .committed(revision: r0 + 1, previous: nil))
            let winnerKV = KeyValue(
                key: key, value: bytes("w\(winner.0)"), createRevision: r0 + 1, modRevision: r0 + 1, version: 1)
            #expect(try await store.get(key) == winnerKV)

            for (writer, outcome) in outcomes where writer != winner.0 {
                #expect(outcome == .conflict(current: winnerKV, revision: r0 + 1), "writer \(writer)")
            }
            #expect(try await store.currentRevision() == r0 + 1)
        }
    }

    /// §5.12 guaranteed_update_loop_converges
    @Test(arguments: StoreBackend.allCases)
    func guaranteedUpdateLoopConverges(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/counter"
            let created = try committed(try await store.create(key, value: bytes("0")))

            let commits = try await withThrowingTaskGroup(of: Revision.self) { group in
                for _ in 0..<Self.writers {
                    group.addTask {
                        // Read, modify, compare-and-swap; on conflict retry from the returned current KV.
                        var current = try #require(try await store.get(key))
                        while true {
                            let counter = Int(String(decoding: current.value, as: UTF8.self))!
                            let outcome = try await store.update(
                                key, value: bytes("\(counter + 1)"), expectedModRevision: current.modRevision)
                            switch outcome {
                            case .committed(let revision, _):
                                return revision
                            case .conflict(let latest, _):
                                current = try #require(latest)
                            }
                        }
                    }
                }
                return try await group.reduce(into: [Revision]()) { $0.append($1) }
            }

            let final = try #require(try await store.get(key))
            #expect(final.value == bytes("\(Self.writers)"))
            #expect(final.version == Int64(Self.writers) + 1)
            #expect(commits.sorted() == Array((created + 1)...(created + Revision(Self.writers))))
            #expect(try await store.currentRevision() == created + Revision(Self.writers))
        }
    }

    /// §5.13 revisions_are_dense_and_unique: 1000 writes over 100 keys from concurrent tasks.
    @Test(arguments: StoreBackend.allCases)
    func revisionsAreDenseAndUnique(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let r0 = try await store.currentRevision()
            let keys = 100
            let writesPerKey = 10

            let commits = try await withThrowingTaskGroup(of: [Revision].self) { group in
                for k in 0..<keys {
                    group.addTask {
                        let key = "/registry/cm/dense/k\(k)"
                        var revisions: [Revision] = []
                        var last = try committed(try await store.create(key, value: bytes("\(k)-0")))
                        revisions.append(last)
                        for i in 1..<writesPerKey {
                            last = try committed(
                                try await store.update(key, value: bytes("\(k)-\(i)"), expectedModRevision: last))
                            revisions.append(last)
                        }
                        return revisions
                    }
                }
                return try await group.reduce(into: [Revision]()) { $0 += $1 }
            }

            #expect(commits.count == keys * writesPerKey)
            #expect(commits.sorted() == Array((r0 + 1)...(r0 + Revision(keys * writesPerKey))))
            #expect(try await store.currentRevision() == r0 + Revision(keys * writesPerKey))
            let all = try await store.range(.prefix("/registry/cm/dense/"))
            #expect(all.count == Int64(keys))
            #expect(all.kvs.allSatisfy { $0.version == Int64(writesPerKey) })
        }
    }

    /// §5.14 delete_with_matching_rev
    @Test(arguments: StoreBackend.allCases)
    func deleteWithMatchingRev(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let r1 = try committed(try await store.create(key, value: bytes("v1")))
            let r2 = try committed(try await store.update(key, value: bytes("v2"), expectedModRevision: r1))
            let old = try #require(try await store.get(key))
            let reader = WatchReader(store.watch(.prefix("/registry/cm/"), from: 0, prevKV: true))

            let outcome = try await store.delete(key, expectedModRevision: r2)
            #expect(outcome == .committed(revision: r2 + 1, previous: old))
            #expect(try await store.get(key) == nil)
            #expect(try await store.currentRevision() == r2 + 1)
            #expect(try await store.get(key, at: r2).kvs == [old])

            let events = try await reader.nextEvents()
            #expect(events.count == 1)
            let tombstone = try #require(events.first)
            #expect(tombstone.kind == .delete)
            #expect(tombstone.kv.key == key)
            #expect(tombstone.kv.modRevision == r2 + 1)
            #expect(tombstone.kv.value.isEmpty)
            #expect(tombstone.previous == old)
        }
    }

    /// §5.15 delete_with_stale_rev
    @Test(arguments: StoreBackend.allCases)
    func deleteWithStaleRev(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let r1 = try committed(try await store.create(key, value: bytes("v1")))
            let r2 = try committed(try await store.update(key, value: bytes("v2"), expectedModRevision: r1))
            let current = try #require(try await store.get(key))

            let outcome = try await store.delete(key, expectedModRevision: r1)
            #expect(outcome == .conflict(current: current, revision: r2))
            #expect(try await store.get(key) == current)
            #expect(try await store.currentRevision() == r2)
        }
    }

    /// §5.16 delete_missing_key
    @Test(arguments: StoreBackend.allCases)
    func deleteMissingKey(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let rev = try committed(try await store.create("/registry/cm/default/other", value: bytes("x")))

            #expect(try await store.delete("/registry/cm/default/a", expectedModRevision: nil) == .conflict(current: nil, revision: rev))
            #expect(try await store.delete("/registry/cm/default/a", expectedModRevision: rev) == .conflict(current: nil, revision: rev))

            // A key that existed and was deleted is missing too.
            _ = try await store.delete("/registry/cm/default/other", expectedModRevision: rev)
            #expect(
                try await store.delete("/registry/cm/default/other", expectedModRevision: nil)
                    == .conflict(current: nil, revision: rev + 1))
            #expect(try await store.currentRevision() == rev + 1)
        }
    }
}
