import ArgumentParser
import Foundation
import KubeSecurity
import KubeStorage
import Logging

/// `swiftlet secrets-encrypt`: the keys of encryption at rest for Secrets. Every verb works on a stopped
/// server's data directory (it takes the data directory lock, so a running server is reported, not raced).
struct SecretsEncryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets-encrypt",
        abstract: "Show and rotate the keys that encrypt Secrets at rest (run while the server is stopped).",
        subcommands: [
            SecretsEncryptStatusCommand.self, SecretsEncryptRotateKeysCommand.self,
            SecretsEncryptPruneKeysCommand.self,
        ])
}

/// The options every `secrets-encrypt` verb takes.
struct SecretsEncryptOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The data directory of the (stopped) server.", valueName: "path"))
    var dataDir: String = ServerCommand.defaultDataDirectory

    @OptionGroup var logging: LoggingOptions
}

/// The store and key file of a stopped server, opened by one `secrets-encrypt` verb.
///
/// Use from one task; call `close()` when done.
struct OfflineSecretsStore {
    let dataDirectory: DataDirectory
    let store: SQLiteStore
    let keyFile: EncryptionKeyFile

    /// Opens `<data-dir>/db/state.db`; throws `SecretsEncryptError` when there is no database or a server
    /// holds the directory.
    static func open(_ options: SecretsEncryptOptions, verb: String, logger: Logger) throws -> OfflineSecretsStore {
        let dataDirectory = DataDirectory(options.dataDir)
        guard FileManager.default.fileExists(atPath: dataDirectory.databasePath) else {
            throw SecretsEncryptError.noDatabase(path: dataDirectory.databasePath)
        }
        var configuration = StoreConfiguration()
        configuration.autoCompaction = nil
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: dataDirectory.databasePath, configuration: configuration, logger: logger)
        } catch StorageError.dataDirectoryLocked(_, let pid) {
            throw SecretsEncryptError.serverRunning(dataDirectory: dataDirectory.path, pid: pid, verb: verb)
        }
        return OfflineSecretsStore(
            dataDirectory: dataDirectory, store: store, keyFile: EncryptionKeyFile(path: dataDirectory.encryptionKeyFile))
    }

    /// Runs `body`, then closes the store (also when `body` throws).
    func use<T>(_ body: (OfflineSecretsStore) async throws -> T) async throws -> T {
        let result: T
        do {
            result = try await body(self)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        return result
    }

    /// The key ring in the key file; throws `.noKeyFile` when there is none.
    func requireKeyRing() throws -> EncryptionKeyRing {
        guard let ring = try keyFile.load() else { throw SecretsEncryptError.noKeyFile(path: keyFile.path) }
        return ring
    }
}

/// Failures of `swiftlet secrets-encrypt` outside the store and the key file.
enum SecretsEncryptError: Error, CustomStringConvertible {
    case noDatabase(path: String)
    case serverRunning(dataDirectory: String, pid: Int32?, verb: String)
    case noKeyFile(path: String)

    var description: String {
        switch self {
        case .noDatabase(let path):
            "no Swiftlet database at \(path); pass the --data-dir the server uses"
        case .serverRunning(let dataDirectory, let pid, let verb):
            "the data directory \(dataDirectory) is in use by "
                + (pid.map { "process \($0)" } ?? "another process")
                + " (a running swiftlet server); stop the server, run `swiftlet secrets-encrypt \(verb)` again, "
                + "then start it"
        case .noKeyFile(let path):
            "there is no encryption key file at \(path); `swiftlet server` creates it on its first start"
        }
    }
}
