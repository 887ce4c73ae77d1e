import KubeStorage
import Testing

/// storage.md §5 "Watch" (items 22–26), progress notifications, and the bounded buffer (item 40 at the store
/// level).
@Suite("Conformance: watch")
struct ConformanceWatchTests {
    /// §5.22 watch_from_old_revision_replays
    @Test(arguments: StoreBackend.allCases)
    func watchFromOldRevisionReplays(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/cm/default/"
            let r0 = try await store.currentRevision()
            var written: [Revision: (String, [UInt8])] = [:]
            for i in 0..<5 {
                let rev = try committed(try await store.create(base + "k\(i)", value: bytes("v\(i)-0")))
                written[rev] = (base + "k\(i)", bytes("v\(i)-0"))
            }
            for i in 0..<5 {
                let rev = try committed(
                    try await store.update(base + "k\(i)", value: bytes("v\(i)-1"), expectedModRevision: r0 + 1 + Revision(i)))
                written[rev] = (base + "k\(i)", bytes("v\(i)-1"))
            }
            #expect(try await store.currentRevision() == r0 + 10)

            let reader = WatchReader(store.watch(.prefix(base), from: r0 + 3, prevKV: true))
            let replayed = try await reader.events(through: r0 + 10)
            #expect(revisions(replayed) == Array((r0 + 3)...(r0 + 10)))

            for i in 0..<2 {
                let current = try #require(try await store.get(base + "k\(i)"))
                let rev = try committed(
                    try await store.update(base + "k\(i)", value: bytes("v\(i)-2"), expectedModRevision: current.modRevision))
                written[rev] = (base + "k\(i)", bytes("v\(i)-2"))
            }
            let live = try await reader.events(through: r0 + 12)
            let all = replayed + live
            #expect(revisions(all) == Array((r0 + 3)...(r0 + 12)))
            for event in all {
                #expect(event.kind == .put)
                #expect(event.kv.key == written[event.revision]?.0)
                #expect(event.kv.value == written[event.revision]?.1)
            }
            // prevKV on replayed and live updates: the value before.
            let update = try #require(all.first { $0.revision == r0 + 6 })
            #expect(update.kv.version == 2)
            #expect(update.previous?.value == bytes("v0-0"))
            #expect(update.previous?.modRevision == r0 + 1)
            let liveUpdate = try #require(all.first { $0.revision == r0 + 11 })
            #expect(liveUpdate.previous?.value == bytes("v0-1"))
            // A create inside the replay has no previous value.
            let create = try #require(all.first { $0.revision == r0 + 3 })
            #expect(create.kv.version == 1)
            #expect(create.previous == nil)
        }
    }

    /// A replay longer than one history page (and with many out-of-range revisions in between) is
    /// complete and in order.
    @Test(arguments: StoreBackend.allCases)
    func watchReplaySpansManyPages(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let r0 = try await store.currentRevision()
            let perPrefix = 700
            let log = WriteLog()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for prefix in ["/registry/a/", "/registry/b/"] {
                    for chain in 0..<10 {
                        group.addTask {
                            let key = prefix + "k\(chain)"
                            var last: Revision = 0
                            for i in 0..<(perPrefix / 10) {
                                let value = bytes("\(i)")
                                last = try committed(
                                    i == 0
                                        ? try await store.create(key, value: value)
                                        : try await store.update(key, value: value, expectedModRevision: last))
                                log.record(last, key: key, value: value)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let current = try await store.currentRevision()
            #expect(current == r0 + Revision(2 * perPrefix))
            let writes = log.snapshot
            let expectedA = writes.filter { $0.value.key.hasPrefix("/registry/a/") }.keys.sorted()

            let onlyA = WatchReader(store.watch(.prefix("/registry/a/"), from: r0 + 1, prevKV: true))
            let eventsA = try await onlyA.events(through: try #require(expectedA.last))
            #expect(revisions(eventsA) == expectedA)
            #expect(eventsA.allSatisfy { $0.kv.value == writes[$0.revision]?.value })
            #expect(eventsA.allSatisfy { $0.kv.version == 1 || $0.previous?.modRevision ?? 0 > r0 })

            let all = WatchReader(store.watch(.prefix("/registry/"), from: r0 + 1, prevKV: false))
            #expect(revisions(try await all.events(through: current)) == Array((r0 + 1)...current))
        }
    }

    /// §5.23 watch_no_gap_at_handoff: watches opened while 1000 writes are in flight see exactly the writes
    /// from their start on, with no gap and no duplicate across replay and live delivery.
    @Test(arguments: StoreBackend.allCases)
    func watchNoGapAtHandoff(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/load/"
            let r0 = try await store.currentRevision()
            let log = WriteLog()
            let halfway = Signal()
            let chains = 4
            let writesPerChain = 250
            let total = Revision(chains * writesPerChain)

            try await withThrowingTaskGroup(of: Void.self) { group in
                for chain in 0..<chains {
                    group.addTask {
                        let key = base + "k\(chain)"
                        var last: Revision = 0
                        for i in 0..<writesPerChain {
                            let value = bytes("\(chain)-\(i)")
                            let outcome = i == 0
                                ? try await store.create(key, value: value)
                                : try await store.update(key, value: value, expectedModRevision: last)
                            last = try committed(outcome)
                            if log.record(last, key: key, value: value) == 200 { halfway.fire() }
                        }
                    }
                }

                try await withTimeout(defaultTimeout, "200 writes") { await halfway.wait() }
                // Opened while the writers keep going: one replays from before, one starts now.
                let start = r0 + 100
                let replaying = WatchReader(store.watch(.prefix(base), from: start, prevKV: false))
                let fromNow = WatchReader(store.watch(.prefix(base), from: 0, prevKV: false))
                let fromNext = try await store.currentRevision() + 1
                let exact = WatchReader(store.watch(.prefix(base), from: fromNext, prevKV: false))

                let replayed = try await replaying.events(through: r0 + total)
                let live = try await fromNow.events(through: r0 + total)
                let exactEvents = try await exact.events(through: r0 + total)
                try await group.waitForAll()

                let writes = log.snapshot
                #expect(writes.count == Int(total))
                #expect(writes.keys.sorted() == Array((r0 + 1)...(r0 + total)))

                #expect(revisions(replayed) == Array(start...(r0 + total)))
                for event in replayed {
                    #expect(event.kv.key == writes[event.revision]?.key)
                    #expect(event.kv.value == writes[event.revision]?.value)
                }

                let first = try #require(live.first).revision
                #expect(first > r0 + 200, "a watch from 0 must not replay history")
                #expect(revisions(live) == Array(first...(r0 + total)))
                #expect(live.allSatisfy { $0.kv.value == writes[$0.revision]?.value })

                #expect(revisions(exactEvents) == Array(fromNext...(r0 + total)))
            }
        }
    }

    /// §5.24 watch_delete_event_shape: key and modRevision; `previous` only with prevKV; live and replayed
    /// alike.
    @Test(arguments: StoreBackend.allCases)
    func watchDeleteEventShape(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let key = "/registry/cm/default/a"
            let withPrev = WatchReader(store.watch(.prefix("/registry/cm/"), from: 0, prevKV: true))
            let withoutPrev = WatchReader(store.watch(.prefix("/registry/cm/"), from: 0, prevKV: false))

            let r1 = try committed(try await store.create(key, value: bytes("v1")))
            let r2 = try committed(try await store.update(key, value: bytes("v2"), expectedModRevision: r1))
            let last = try #require(try await store.get(key))
            let r3 = try committed(try await store.delete(key, expectedModRevision: nil))
            let replayWithPrev = WatchReader(store.watch(.prefix("/registry/cm/"), from: r1, prevKV: true))
            let replayWithoutPrev = WatchReader(store.watch(.prefix("/registry/cm/"), from: r1, prevKV: false))

            for (name, reader, prevKV) in [
                ("live+prevKV", withPrev, true), ("live", withoutPrev, false),
                ("replay+prevKV", replayWithPrev, true), ("replay", replayWithoutPrev, false),
            ] {
                let events = try await reader.events(through: r3)
                #expect(revisions(events) == [r1, r2, r3], "\(name)")
                #expect(events.map(\.kind) == [.put, .put, .delete], "\(name)")
                let tombstone = try #require(events.last)
                #expect(tombstone.kv.key == key, "\(name)")
                #expect(tombstone.kv.modRevision == r3, "\(name)")
                #expect(tombstone.kv.value.isEmpty, "\(name)")
                #expect(tombstone.previous == (prevKV ? last : nil), "\(name)")
                #expect(events[1].previous?.value == (prevKV ? bytes("v1") : nil), "\(name)")
                #expect(events[1].kv == last, "\(name)")
            }
        }
    }

    /// §5.25 watch_range_filtering: events outside the range never appear; progress still advances for a
    /// range without events.
    @Test(arguments: StoreBackend.allCases)
    func watchRangeFiltering(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let reader = WatchReader(store.watch(.prefix("/registry/a/"), from: 0, prevKV: false))
            let quiet = WatchReader(store.watch(.prefix("/registry/quiet/"), from: 0, prevKV: false))
            let single = WatchReader(store.watch(.key("/registry/a/x"), from: 0, prevKV: false))

            for key in ["/registry/b/x", "/registry/a0", "/registry/a", "/registry/a/x/y", "/registry/a/x", "/registry/A/x"] {
                _ = try committed(try await store.create(key, value: bytes(key)))
            }
            let sentinel = try committed(try await store.create("/registry/a/zz", value: bytes("end")))

            let events = try await reader.events(through: sentinel)
            #expect(events.map(\.kv.key) == ["/registry/a/x/y", "/registry/a/x", "/registry/a/zz"])
            #expect(strictlyIncreasing(revisions(events)))

            let singleEvents = try await single.nextEvents()
            #expect(singleEvents.map(\.kv.key) == ["/registry/a/x"])

            try await store.requestProgress()
            let progress = try await quiet.eventsUntilProgress()
            #expect(progress.events.isEmpty)
            #expect(progress.progress >= sentinel)
        }
    }

    /// §5.26 watch_from_zero_is_now
    @Test(arguments: StoreBackend.allCases)
    func watchFromZeroIsNow(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/cm/default/"
            for name in ["a", "b", "c"] {
                _ = try committed(try await store.create(base + name, value: bytes(name)))
            }
            let reader = WatchReader(store.watch(.prefix(base), from: 0, prevKV: false))
            let rev = try committed(try await store.create(base + "d", value: bytes("d")))
            let events = try await reader.nextEvents()
            #expect(events.map(\.kv.key) == [base + "d"])
            #expect(revisions(events) == [rev])
        }
    }

    /// A watch from a revision not yet written waits for it, skipping nothing and replaying nothing.
    @Test(arguments: StoreBackend.allCases)
    func watchFromFutureRevision(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/cm/default/"
            let r0 = try await store.currentRevision()
            let reader = WatchReader(store.watch(.prefix(base), from: r0 + 3, prevKV: false))
            for name in ["a", "b", "c", "d"] {
                _ = try committed(try await store.create(base + name, value: bytes(name)))
            }
            let events = try await reader.events(through: r0 + 4)
            #expect(revisions(events) == [r0 + 3, r0 + 4])
        }
    }

    /// `requestProgress()` delivers `.progress(r)` with r at or above the last write, after that write's
    /// event.
    @Test(arguments: StoreBackend.allCases)
    func requestProgressDeliversProgress(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/cm/default/"
            let reader = WatchReader(store.watch(.prefix(base), from: 0, prevKV: false))
            let other = WatchReader(store.watch(.prefix("/registry/other/"), from: 0, prevKV: false))
            let r1 = try committed(try await store.create(base + "a", value: bytes("a")))
            let r2 = try committed(try await store.create("/registry/elsewhere", value: bytes("x")))

            try await store.requestProgress()
            let (events, progress) = try await reader.eventsUntilProgress()
            #expect(revisions(events) == [r1])
            #expect(progress >= r2)

            let (otherEvents, otherProgress) = try await other.eventsUntilProgress()
            #expect(otherEvents.isEmpty)
            #expect(otherProgress >= r2)

            // Progress never goes backwards, and a later write still arrives after it.
            let r3 = try committed(try await store.create(base + "b", value: bytes("b")))
            try await store.requestProgress()
            let (later, laterProgress) = try await reader.eventsUntilProgress()
            #expect(revisions(later) == [r3])
            #expect(laterProgress >= r3)
            #expect(laterProgress >= progress)
        }
    }

    /// Item 40 at the store level: a watcher that never reads ends with `.watcherTooSlow` after its buffered
    /// messages; writers never block and a watcher that keeps up is unaffected.
    @Test(arguments: StoreBackend.allCases)
    func slowWatcherIsTerminated(backend: StoreBackend) async throws {
        let capacity = 8
        try await withStore(backend, configuration: .conformance(watchBufferCapacity: capacity)) { store in
            let base = "/registry/cm/default/"
            let r0 = try await store.currentRevision()
            let slow = WatchReader(store.watch(.prefix(base), from: 0, prevKV: false))
            let reader = WatchReader(store.watch(.prefix(base), from: 0, prevKV: false))

            var seen: [Revision] = []
            for i in 0..<50 {
                let rev = try committed(try await store.create(base + "k\(i)", value: bytes("\(i)")))
                #expect(rev == r0 + 1 + Revision(i))
                // The keeping-up watcher reads each write's event before the next write.
                seen += revisions(try await reader.events(through: rev))
            }
            #expect(seen == Array((r0 + 1)...(r0 + 50)))

            let (messages, error) = try await slow.drain()
            #expect(error == .watcherTooSlow(bufferLimit: capacity))
            var delivered: [Revision] = []
            for message in messages {
                guard case .events(let events) = message else {
                    Issue.record("unexpected message \(message)")
                    continue
                }
                delivered += revisions(events)
            }
            #expect(messages.count == capacity)
            #expect(delivered == Array((r0 + 1)...(r0 + Revision(capacity))))

            // The healthy watcher still works after the slow one was dropped.
            let rev = try committed(try await store.create(base + "after", value: bytes("x")))
            #expect(revisions(try await reader.nextEvents()) == [rev])
        }
    }
}
