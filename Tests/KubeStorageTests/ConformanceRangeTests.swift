import KubeStorage
import Testing

/// storage.md §5 "Range, limit and continue" (items 17–19, 21; item 20 is RegistryStore level).
@Suite("Conformance: range, limit and continue")
struct ConformanceRangeTests {
    /// §5.17 range_prefix_ordering: byte order (not Unicode order); the prefix end excludes `/registry/cm0…`.
    @Test(arguments: StoreBackend.allCases)
    func rangePrefixOrdering(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let inside = ["z", "a0", "é", "B", "a/x", "~", "a", "A-1", "b", "😀"].map { "/registry/cm/" + $0 }
            let outside = ["/registry/cm0/x", "/registry/cm", "/registry/cm.x", "/registry/cm0", "/registry/cn/a", "/a"]
            for key in (inside + outside).shuffled() {
                _ = try committed(try await store.create(key, value: bytes(key)))
            }
            let middle = try await store.currentRevision()
            _ = try await store.create("/registry/cm/late", value: bytes("/registry/cm/late"))

            // Byte order of the UTF-8 encodings: uppercase < lowercase, "a" < "a/x" < "a0", ASCII < é < 😀.
            let expected = ["A-1", "B", "a", "a/x", "a0", "b", "z", "~", "é", "😀"].map { "/registry/cm/" + $0 }
            let expectedNow = ["A-1", "B", "a", "a/x", "a0", "b", "late", "z", "~", "é", "😀"].map { "/registry/cm/" + $0 }

            let now = try await store.range(.prefix("/registry/cm/"))
            #expect(now.kvs.map(\.key) == expectedNow)
            #expect(now.count == Int64(expectedNow.count))
            #expect(now.more == false)
            #expect(now.kvs.allSatisfy { $0.value == bytes($0.key) })

            let historical = try await store.range(.prefix("/registry/cm/"), at: middle, limit: nil, keysOnly: false)
            #expect(historical.kvs.map(\.key) == expected)

            #expect(try await store.range(.key("/registry/cm/a")).kvs.map(\.key) == ["/registry/cm/a"])
            #expect(
                try await store.range(.between("/registry/cm/a", and: "/registry/cm/b")).kvs.map(\.key)
                    == ["/registry/cm/a", "/registry/cm/a/x", "/registry/cm/a0"])
            let cm0 = try await store.range(.prefix("/registry/cm0"))
            #expect(cm0.kvs.map(\.key) == ["/registry/cm0", "/registry/cm0/x"])
            let everything = try await store.range(.prefix(""))
            #expect(everything.count == Int64(inside.count + outside.count + 1))
            #expect(everything.kvs.first?.key == "/a")
        }
    }

    /// Prefix ends are computed on bytes: a prefix ending in a multi-byte character gets an end that is not
    /// valid UTF-8, and ranges still compare raw bytes (current and historical reads alike).
    @Test(arguments: StoreBackend.allCases)
    func rangePrefixOnNonASCIIBytes(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            for key in ["/registry/ê", "/registry/é/x", "/registry/e", "/registry/éa", "/registry/é", "/registry/f"] {
                _ = try committed(try await store.create(key, value: bytes(key)))
            }
            let rev = try await store.currentRevision()
            _ = try await store.create("/registry/éz", value: bytes("late"))

            let expected = ["/registry/é", "/registry/é/x", "/registry/éa"]
            #expect(try await store.range(.prefix("/registry/é"), at: rev, limit: nil, keysOnly: false).kvs.map(\.key) == expected)
            #expect(try await store.range(.prefix("/registry/é")).kvs.map(\.key) == expected + ["/registry/éz"])
            #expect(try await store.count(.prefix("/registry/é"), at: nil).count == 4)

            let everything = try await store.range(.prefix(""), at: rev, limit: nil, keysOnly: true)
            #expect(everything.kvs.map(\.key) == ["/registry/e", "/registry/f", "/registry/é", "/registry/é/x", "/registry/éa", "/registry/ê"])
        }
    }

    /// §5.18 limit_more_count
    @Test(arguments: StoreBackend.allCases)
    func limitMoreCount(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let prefix = KeyRange.prefix("/registry/cm/default/")
            for name in ["k1", "k2", "k3", "k4", "k5"] {
                _ = try committed(try await store.create("/registry/cm/default/" + name, value: bytes(name)))
            }
            _ = try await store.create("/registry/cm/other/k0", value: bytes("x"))

            let page1 = try await store.range(prefix, at: nil, limit: 2, keysOnly: false)
            #expect(page1.kvs.map(\.key) == ["/registry/cm/default/k1", "/registry/cm/default/k2"])
            #expect(page1.more == true)
            #expect(page1.count == 5)
            let pinned = page1.revision

            let page2 = try await store.range(prefix.continuing(after: page1.kvs.last!.key), at: pinned, limit: 2, keysOnly: false)
            #expect(page2.kvs.map(\.key) == ["/registry/cm/default/k3", "/registry/cm/default/k4"])
            #expect(page2.more == true)
            #expect(page2.count == 3)

            let page3 = try await store.range(prefix.continuing(after: page2.kvs.last!.key), at: pinned, limit: 2, keysOnly: false)
            #expect(page3.kvs.map(\.key) == ["/registry/cm/default/k5"])
            #expect(page3.more == false)
            #expect(page3.count == 1)

            let exact = try await store.range(prefix, at: nil, limit: 5, keysOnly: false)
            #expect(exact.kvs.count == 5)
            #expect(exact.more == false)
            #expect(exact.count == 5)

            let unlimited = try await store.range(prefix, at: nil, limit: 0, keysOnly: false)
            #expect(unlimited.kvs.count == 5)
            #expect(unlimited.more == false)

            // The same paging works on a historical revision.
            let historical = try await store.range(prefix, at: pinned - 1, limit: 2, keysOnly: false)
            #expect(historical.kvs.count == 2)
            #expect(historical.more == true)
            #expect(historical.count == 5)
        }
    }

    /// §5.19 paging_is_snapshot_consistent
    @Test(arguments: StoreBackend.allCases)
    func pagingIsSnapshotConsistent(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/cm/default/"
            let prefix = KeyRange.prefix(base)
            for name in ["k1", "k2", "k3", "k4", "k5", "k6"] {
                _ = try committed(try await store.create(base + name, value: bytes("\(name)@0")))
            }
            let snapshot = try await store.range(prefix)

            let page1 = try await store.range(prefix, at: nil, limit: 2, keysOnly: false)
            let r = page1.revision
            #expect(page1.kvs.map(\.key) == [base + "k1", base + "k2"])

            // Mutate the later pages.
            let k4 = try #require(try await store.get(base + "k4"))
            _ = try committed(try await store.update(base + "k4", value: bytes("k4@1"), expectedModRevision: k4.modRevision))
            _ = try committed(try await store.delete(base + "k5", expectedModRevision: nil))
            _ = try committed(try await store.create(base + "k35", value: bytes("new")))
            _ = try committed(try await store.create(base + "k9", value: bytes("new")))
            _ = try committed(try await store.delete(base + "k1", expectedModRevision: nil))

            var pages = page1.kvs
            var last = page1
            while last.more {
                last = try await store.range(prefix.continuing(after: pages.last!.key), at: r, limit: 2, keysOnly: false)
                #expect(last.revision > r)
                pages += last.kvs
            }
            #expect(pages == snapshot.kvs)
            #expect(pages.first { $0.key == base + "k4" }?.value == bytes("k4@0"))

            let now = try await store.range(prefix)
            #expect(now.kvs.map(\.key) == ["k2", "k3", "k35", "k4", "k6", "k9"].map { base + $0 })
        }
    }

    /// §5.21 keys_only_and_count_only
    @Test(arguments: StoreBackend.allCases)
    func keysOnlyAndCountOnly(backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let base = "/registry/cm/default/"
            let prefix = KeyRange.prefix(base)
            for name in ["a", "b", "c"] {
                _ = try committed(try await store.create(base + name, value: bytes("value of \(name)")))
            }
            let b = try #require(try await store.get(base + "b"))
            _ = try committed(try await store.update(base + "b", value: bytes("b2"), expectedModRevision: b.modRevision))
            _ = try await store.create("/registry/cm/other/x", value: bytes("x"))
            let current = try await store.currentRevision()

            let full = try await store.range(prefix)
            let keys = try await store.range(prefix, at: nil, limit: nil, keysOnly: true)
            #expect(keys.kvs.map(\.key) == full.kvs.map(\.key))
            #expect(keys.kvs.allSatisfy { $0.value.isEmpty })
            #expect(keys.kvs.map(\.modRevision) == full.kvs.map(\.modRevision))
            #expect(keys.kvs.map(\.createRevision) == full.kvs.map(\.createRevision))
            #expect(keys.kvs.map(\.version) == full.kvs.map(\.version))
            #expect(keys.count == 3)
            #expect(keys.revision == current)

            let limited = try await store.range(prefix, at: nil, limit: 1, keysOnly: true)
            #expect(limited.kvs.map(\.key) == [base + "a"])
            #expect(limited.more == true)
            #expect(limited.count == 3)

            #expect(try await store.count(prefix, at: nil) == CountResult(count: 3, revision: current))
            #expect(try await store.count(.prefix("/registry/cm/"), at: nil) == CountResult(count: 4, revision: current))
            #expect(try await store.count(.prefix("/registry/none/"), at: nil) == CountResult(count: 0, revision: current))
            #expect(try await store.count(prefix, at: b.modRevision - 1) == CountResult(count: 1, revision: current))

            _ = try committed(try await store.delete(base + "a", expectedModRevision: nil))
            #expect(try await store.count(prefix, at: nil) == CountResult(count: 2, revision: current + 1))
            #expect(try await store.count(prefix, at: current) == CountResult(count: 3, revision: current + 1))
        }
    }
}
