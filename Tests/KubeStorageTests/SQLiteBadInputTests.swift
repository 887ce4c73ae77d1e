import Foundation
import GRDB
import KubeStorage
import Testing

/// Bad input to the SQLite backend: each case gives a clear typed error and loses nothing acknowledged.
@Suite struct SQLiteBadInputTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func quietConfiguration() -> StoreConfiguration {
        var configuration = StoreConfiguration()
        configuration.autoCompaction = nil
        return configuration
    }

    @Test func fileThatIsNotADatabase_isReportedCorrupt() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path
        try Data("this is not a database, just some text that happens to be here\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SQLiteStore(path: path, configuration: quietConfiguration())
        } throws: { error in
            guard case .corruptDatabase(let p, _) = error as? StorageError else { return false }
            return p == path && "\(error)".contains("restore it from a backup")
        }
        // The file is left as it was.
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).starts(with: Data("this is not".utf8)))
    }

    @Test func damagedPages_areReportedCorrupt() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path
        let store = try SQLiteStore(path: path, configuration: quietConfiguration())
        for i in 0..<200 {
            _ = try await store.create("/registry/cm/ns/c\(i)", value: Array(repeating: UInt8(i % 200), count: 2000))
        }
        await store.close()
        // Overwrite everything after the first page with garbage.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.count > 8192)
        for i in 4096..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try bytes.write(to: URL(fileURLWithPath: path))

        var failure: (any Error)?
        do {
            let reopened = try SQLiteStore(path: path, configuration: quietConfiguration())
            do { _ = try await reopened.range(.prefix("/registry/")) } catch { failure = error }
            await reopened.close()
        } catch {
            failure = error
        }
        let storageError = try #require(failure as? StorageError, "damage went unnoticed: \(String(describing: failure))")
        guard case .corruptDatabase = storageError else {
            Issue.record("expected corruptDatabase, got \(storageError)")
            return
        }
    }

    @Test func databaseOfAnotherProgram_isReportedForeign() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path
        let other = try DatabaseQueue(path: path)
        try other.write { db in
            try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
            try db.execute(sql: "INSERT INTO users(name) VALUES ('ada')")
        }
        try other.close()
        #expect {
            _ = try SQLiteStore(path: path, configuration: quietConfiguration())
        } throws: { error in
            guard case .foreignDatabase(_, let detail) = error as? StorageError else { return false }
            return detail.contains("users")
        }
        // The other program's data is untouched.
        let check = try DatabaseQueue(path: path)
        #expect(try check.read { try String.fetchOne($0, sql: "SELECT name FROM users") } == "ada")
        try check.close()
    }

    @Test func secondOpenOfTheSameDatabase_isLockedAndNamesTheHolder() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path
        let first = try SQLiteStore(path: path, configuration: quietConfiguration())
        _ = try await first.create("/a", value: [1])
        #expect {
            _ = try SQLiteStore(path: path, configuration: quietConfiguration())
        } throws: { error in
            guard case .dataDirectoryLocked(_, let pid) = error as? StorageError else { return false }
            return pid == getpid() && "\(error)".contains("process \(getpid())")
        }
        // The first store is unaffected, and the lock is free once it closes.
        #expect(try await first.get("/a")?.value == [1])
        await first.close()
        let second = try SQLiteStore(path: path, configuration: quietConfiguration())
        #expect(try await second.get("/a")?.value == [1])
        await second.close()
    }

    @Test func fullDisk_failsTheWriteAndKeepsEverythingAcknowledged() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.db").path
        var options = SQLiteStoreOptions()
        options.quotaBytes = 512 * 1024
        let store = try SQLiteStore(path: path, options: options, configuration: quietConfiguration())
        var acknowledged: [String: Int64] = [:]
        var fullError: StorageError?
        for i in 0..<1000 {
            do {
                let outcome = try await store.create("/registry/cm/ns/c\(i)", value: Array(repeating: 7, count: 4000))
                acknowledged["/registry/cm/ns/c\(i)"] = outcome.committedRevision
            } catch let error as StorageError {
                fullError = error
                break
            }
        }
        let error = try #require(fullError, "the quota was never reached")
        guard case .spaceExceeded = error else {
            Issue.record("expected spaceExceeded, got \(error)")
            await store.close()
            return
        }
        #expect(!acknowledged.isEmpty)
        // Reads still work and nothing acknowledged is lost; the revision did not move for the failed write.
        let current = try await store.currentRevision()
        #expect(current == acknowledged.values.max())
        for (key, revision) in acknowledged {
            #expect(try await store.get(key)?.modRevision == revision)
        }
        await store.close()
        let reopened = try SQLiteStore(path: path, configuration: quietConfiguration())
        #expect(try await reopened.count(.prefix("/registry/cm/"), at: nil).count == Int64(acknowledged.count))
        // Without the quota the same write now succeeds.
        _ = try await reopened.create("/registry/cm/ns/after", value: [1])
        await reopened.close()
    }

    /// A real full disk: a 3 MiB tmpfs mounted for the test (needs root; CI runs as root).
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func realFullDisk_failsTheWriteAndKeepsEverythingAcknowledged() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let mountPoint = directory.path
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=3m", "swiftlet-test", mountPoint]) == 0 else {
            Issue.record("mount -t tmpfs failed")
            return
        }
        defer { _ = run("/bin/umount", ["-l", mountPoint]) }
        let path = mountPoint + "/state.db"
        let store = try SQLiteStore(path: path, configuration: quietConfiguration())
        var acknowledged: [String: Int64] = [:]
        var fullError: (any Error)?
        for i in 0..<10_000 {
            do {
                let outcome = try await store.create("/registry/cm/ns/c\(i)", value: Array(repeating: 9, count: 4000))
                acknowledged["/registry/cm/ns/c\(i)"] = outcome.committedRevision
            } catch {
                fullError = error
                break
            }
        }
        let error = try #require(fullError as? StorageError, "no StorageError: \(String(describing: fullError))")
        guard case .spaceExceeded = error else {
            Issue.record("expected spaceExceeded, got \(error)")
            await store.close()
            return
        }
        #expect(acknowledged.count > 50)
        for (key, revision) in acknowledged {
            #expect(try await store.get(key)?.modRevision == revision)
        }
        await store.close()
        // After a restart on the still-full disk every acknowledged write is there.
        let reopened = try SQLiteStore(path: path, configuration: quietConfiguration())
        #expect(try await reopened.count(.prefix("/registry/cm/"), at: nil).count == Int64(acknowledged.count))
        #expect(try await reopened.currentRevision() == acknowledged.values.max())
        await reopened.close()
    }

    private func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        do {
            try process.run()
        } catch {
            return -1
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
