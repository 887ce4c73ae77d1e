import Foundation
@testable import KubeStorage
import Testing

/// The SQLite backend copies its write-ahead log into the database file while it runs (not only at close), so
/// the log stays short and reads stay fast however many writes the store takes.
@Suite struct WALCheckpointTests {
    /// A directory of its own for one test's database, removed when `body` returns or throws.
    private func withDatabasePath(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("state.db").path)
    }

    /// A store without automatic compaction, so only the test's own writes reach the log.
    private func openStore(path: String, options: SQLiteStoreOptions = SQLiteStoreOptions()) throws -> SQLiteStore {
        var configuration = StoreConfiguration()
        configuration.autoCompaction = nil
        return try SQLiteStore(path: path, options: options, configuration: configuration)
    }

    @Test func theLogIsCheckpointedIntoTheDatabaseWhileTheStoreRuns() async throws {
        try await withDatabasePath { path in
            let store = try openStore(path: path)
            let engine = try #require(store.core.engine as? SQLiteEngine)
            let before = engine.checkpointer.completedCount
            // One commit per write: more than the checkpointer's threshold of 200.
            for index in 0..<260 {
                _ = try await store.create(
                    "/registry/configmaps/default/c\(index)", value: Array("{\"data\":\"\(index)\"}".utf8), ttlSeconds: nil)
            }
            let outcome = try #require(engine.checkpointer.waitForCheckpoint(after: before, timeout: .seconds(30)))
            #expect(outcome.walFrames > 0, "the checkpoint connection did not see a WAL database")
            #expect(outcome.checkpointedFrames == outcome.walFrames)
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            #expect(size > 4096, "the database file still holds only its header")
            await store.close()
        }
    }

    /// Under a steady stream of concurrent writes a background checkpoint never finds the log fully copied
    /// before the next commit, so SQLite would append to the log forever. The writer restarts it instead: the
    /// log file stays near its restart size rather than growing with every write.
    @Test func theLogStartsOverUnderASteadyStreamOfWrites() async throws {
        try await withDatabasePath { path in
            var options = SQLiteStoreOptions()
            options.checkpointEveryCommits = 50
            options.walRestartFrames = 512
            let store = try openStore(path: path, options: options)
            let value = [UInt8](repeating: UInt8(ascii: "x"), count: 3000)
            let writers = 8
            let perWriter = 1500
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<perWriter {
                            _ = try await store.create("/registry/pods/default/p\(writer)-\(index)", value: value, ttlSeconds: nil)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let commits = try #require(store.core.engine as? SQLiteEngine).commitCount
            let walSize = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
            // Each 3,000-byte value fills a page of its own (4,096 bytes). Without restarts the log holds every
            // page version of every commit (about 290 MB here, six times this bound); with them, about 14 MB.
            let valuePages = writers * perWriter * 4096
            #expect(commits >= 200, "expected many commits, saw \(commits)")
            #expect(walSize < valuePages, "the write-ahead log grew to \(walSize) bytes over \(commits) commits")
            await store.close()
        }
    }
}
