import Foundation
import KubeStorage
import Testing

/// Crash safety (storage.md §5, case 34): SIGKILL a writing process at random moments, 50 rounds, and check
/// after each restart that every acknowledged write is present at its exact revision with no holes.
@Suite struct StoreCrashTests {
    @Test func kill9_losesNoAcknowledgedWrite_fiftyRounds() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftlet-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("state.db").path
        var generator = SystemRandomNumberGenerator()
        var totalAcks = 0
        var latestAcked: [String: CrashChild.Ack] = [:]

        for round in 0..<50 {
            // Every third round compacts in small batches, so some kills land inside compaction.
            let compactEvery = round % 3 == 2 ? 25 : 0
            let (acks, bySignal) = try await CrashChild.runAndKill(
                database: database, killAfter: Int.random(in: 1...300, using: &generator),
                extraDelayMicroseconds: UInt32.random(in: 0...3000, using: &generator), compactEvery: compactEvery)
            #expect(bySignal, "round \(round): the writer should have died by SIGKILL")
            #expect(!acks.isEmpty, "round \(round): the writer acknowledged nothing")
            totalAcks += acks.count
            for ack in acks { latestAcked[ack.key] = ack }

            var configuration = StoreConfiguration()
            configuration.autoCompaction = nil
            let store = try SQLiteStore(path: database, configuration: configuration)
            do {
                try await verify(store: store, acks: acks, latestAcked: latestAcked, round: round)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
        #expect(totalAcks >= 50)
    }

    private func verify(
        store: SQLiteStore, acks: [CrashChild.Ack], latestAcked: [String: CrashChild.Ack], round: Int
    ) async throws {
        let current = try await store.currentRevision()
        let compact = try await store.compactRevision()
        let highest = acks.map(\.revision).max() ?? 0
        #expect(current >= highest, "round \(round): current \(current) is below acknowledged \(highest)")

        // Every acknowledged write of this round is readable at its exact revision (unless compacted away).
        for ack in acks where ack.revision >= compact {
            let read = try await store.get(ack.key, at: ack.revision)
            let kv = try #require(read.kvs.first, "round \(round): \(ack.key) missing at revision \(ack.revision)")
            #expect(kv.modRevision == ack.revision, "round \(round): \(ack.key)")
            #expect(String(decoding: kv.value, as: UTF8.self) == ack.value, "round \(round): \(ack.key)")
        }
        // Every key ever acknowledged still exists, at least as new as its last acknowledged write.
        for ack in latestAcked.values {
            let kv = try #require(try await store.get(ack.key), "round \(round): \(ack.key) lost")
            #expect(kv.modRevision >= ack.revision, "round \(round): \(ack.key) went back in time")
        }
        // No holes: replaying history from the compact revision yields every revision up to current once.
        let start = max(compact, 2)
        guard start <= current else { return }
        var revisions: [Int64] = []
        for try await message in store.watch(.prefix(""), from: start, prevKV: false) {
            if case .events(let events) = message { revisions += events.map(\.revision) }
            if revisions.last ?? 0 >= current { break }
        }
        #expect(revisions == Array(start...current), "round \(round): history has holes or duplicates")
    }
}
