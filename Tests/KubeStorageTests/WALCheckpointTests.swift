import Foundation
@testable import KubeStorage
import Testing

/// The SQLite backend copies its write-ahead log into the database file while it runs (not only at close), so
/// the log stays short and reads stay fast however many writes the store takes.
@Suite struct WALCheckpointTests {
    @Test func theLogIsCheckpointedIntoTheDatabaseWhileTheStoreRuns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path
        var configuration = StoreConfiguration()
        configuration.autoCompaction = nil
        let store = try SQLiteStore(path: path, configuration: configuration)
        let engine = try #require(store.core.engine as? SQLiteEngine)
        let before = engine.checkpointer.completedCount
        // One commit per write: more than the checkpointer's threshold of 200.
        for index in 0..<260 {
            _ = try await store.create("/registry/configmaps/default/c\(index)", value: Array("{\"data\":\"\(index)\"}".utf8),
                                       ttlSeconds: nil)
        }
        let outcome = try #require(engine.checkpointer.waitForCheckpoint(after: before, timeout: .seconds(30)))
        #expect(outcome.walFrames > 0, "the checkpoint connection did not see a WAL database")
        #expect(outcome.checkpointedFrames == outcome.walFrames)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size > 4096, "the database file still holds only its header")
        await store.close()
    }
}
