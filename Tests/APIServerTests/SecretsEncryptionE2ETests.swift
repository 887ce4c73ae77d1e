import Foundation
import GRDB
import Testing

/// Encryption at rest through the real binary: a Secret created with kubectl reads back, is not in the
/// database file in any form, survives `secrets-encrypt rotate-keys` and `prune-keys` and a restart; the
/// key file is private; the maintenance verbs refuse to run beside a live server.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct SecretsEncryptionE2ETests {
    static let password = "hunter2-unique"
    static let passwordBase64 = Data(password.utf8).base64EncodedString()

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    /// Every table row of the database (read-only), each column as bytes, that contains `needle`.
    static func rowsContaining(_ needles: [String], databasePath: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            var hits: [String] = []
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                    for column in row.columnNames {
                        let value: DatabaseValue = row[column]
                        let text: String
                        switch value.storage {
                        case .blob(let data): text = String(decoding: data, as: UTF8.self)
                        case .string(let string): text = string
                        default: continue
                        }
                        if needles.contains(where: text.contains) { hits.append("\(table).\(column)") }
                    }
                }
            }
            return hits
        }
    }

    /// Whether any of the database's files holds one of `needles` anywhere (also in free pages and the WAL).
    static func filesContaining(_ needles: [String], databasePath: String) -> [String] {
        [databasePath, databasePath + "-wal"].filter { path in
            guard let data = FileManager.default.contents(atPath: path) else { return false }
            return needles.contains { data.range(of: Data($0.utf8)) != nil }
        }
    }

    @Test func secretsAreEncryptedOnDiskAndSurviveKeyRotation() async throws {
        let first = try SwiftletServerProcess()
        let dataDirectory = first.dataDirectory
        defer { try? FileManager.default.removeItem(at: dataDirectory) }
        let databasePath = dataDirectory.appendingPathComponent("db/state.db").path
        let keyFile = dataDirectory.appendingPathComponent("encryption/keys.json").path
        let jsonpath = ["get", "secret", "s", "-o", "jsonpath={.data.password}"]

        try await first.start()
        do {
            let kubectl = try Kubectl(server: first)
            _ = try await kubectl.ok(["create", "secret", "generic", "s", "--from-literal=password=\(Self.password)"])
            #expect(try await kubectl.ok(jsonpath) == Self.passwordBase64)

            // The maintenance verbs refuse to run beside the server and say what to do.
            let refused = try await SwiftletCommandRunner.run(["secrets-encrypt", "status", "--data-dir", dataDirectory.path])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("is in use by process"), "\(refused.stderr)")
            #expect(refused.stderr.contains("stop the server"), "\(refused.stderr)")
        } catch {
            first.stop(keepingData: true)
            throw error
        }
        #expect(first.stop(keepingData: true) == 0)

        #expect(try Self.mode(keyFile) == 0o600)
        #expect(try Self.mode(dataDirectory.appendingPathComponent("encryption").path) == 0o700)
        let needles = [Self.password, Self.passwordBase64]
        // Positive controls: the scans do see plaintext rows (Namespaces are not encrypted).
        #expect(!(try Self.rowsContaining(["kube-system"], databasePath: databasePath)).isEmpty)
        #expect(!Self.filesContaining(["kube-system"], databasePath: databasePath).isEmpty)
        #expect(try Self.rowsContaining(needles, databasePath: databasePath).isEmpty)
        #expect(Self.filesContaining(needles, databasePath: databasePath).isEmpty)

        let status = try await SwiftletCommandRunner.run(["secrets-encrypt", "status", "--data-dir", dataDirectory.path])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains(#/key1\s+write\s+1/#), "\(status.stdout)")

        let rotate = try await SwiftletCommandRunner.run(
            ["secrets-encrypt", "rotate-keys", "--data-dir", dataDirectory.path])
        #expect(rotate.status == 0, "\(rotate.stderr)")
        #expect(rotate.stdout.contains("Re-encrypted 1 Secrets with key2"), "\(rotate.stdout)")
        let rotated = try await SwiftletCommandRunner.run(["secrets-encrypt", "status", "--data-dir", dataDirectory.path])
        #expect(rotated.stdout.contains(#/key2\s+write\s+1/#), "\(rotated.stdout)")
        #expect(rotated.stdout.contains(#/key1\s+read\s+0/#), "\(rotated.stdout)")

        let prune = try await SwiftletCommandRunner.run(["secrets-encrypt", "prune-keys", "--data-dir", dataDirectory.path])
        #expect(prune.status == 0, "\(prune.stderr)")
        #expect(prune.stdout.contains("Removed keys key1"), "\(prune.stdout)")
        let keys = try String(contentsOfFile: keyFile, encoding: .utf8)
        #expect(keys.contains("\"key2\"") && !keys.contains("\"key1\""))
        #expect(try Self.mode(keyFile) == 0o600)
        #expect(try Self.rowsContaining(needles, databasePath: databasePath).isEmpty)

        let second = SwiftletServerProcess(dataDirectory: dataDirectory)
        try await second.start()
        do {
            #expect(try await Kubectl(server: second).ok(jsonpath) == Self.passwordBase64)
        } catch {
            second.stop(keepingData: true)
            throw error
        }
        #expect(second.stop(keepingData: true) == 0)
    }

    @Test func maintenanceVerbsExplainAMissingDatabase() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-none-\(UUID().uuidString)")
        let result = try await SwiftletCommandRunner.run(["secrets-encrypt", "rotate-keys", "--data-dir", missing.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no Swiftlet database at"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing.path))
    }
}
