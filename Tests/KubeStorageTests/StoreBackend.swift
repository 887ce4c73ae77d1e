import Foundation
import KubeStorage

/// The backends the conformance suite runs against. Every conformance test takes one of these as its
/// argument (`@Test(arguments: StoreBackend.allCases)`), so one test body checks every backend.
/// `transformedMemory` is a `MemoryStore` behind a `TransformingKeyValueStore` that rewrites every value,
/// which shows the wrapper keeps revisions, compare-and-swap and watches exactly as they are.
enum StoreBackend: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory
    case sqlite
    case transformedMemory

    var description: String { rawValue }

    /// A fresh, empty store. SQLite stores live in a new directory under the system temporary directory;
    /// `dispose(_:)` (called by `withStore`) closes the store and removes that directory.
    func make(configuration: StoreConfiguration = .conformance()) throws -> any KeyValueStore {
        switch self {
        case .memory:
            return MemoryStore(configuration: configuration)
        case .transformedMemory:
            return TransformingKeyValueStore(
                base: MemoryStore(configuration: configuration), transformer: XORTransformer(tag: []), keyPrefixes: [""])
        case .sqlite:
            let directory = try TemporaryDirectory()
            do {
                return try SQLiteStore(path: directory.databasePath, configuration: configuration)
            } catch {
                directory.remove()
                throw error
            }
        }
    }

    /// Closes `store` and removes the files `make` created for it.
    static func dispose(_ store: any KeyValueStore) async {
        await store.close()
        if let sqlite = store as? SQLiteStore {
            TemporaryDirectory(containing: sqlite.path)?.remove()
        }
    }
}

extension StoreConfiguration {
    /// The configuration the suite uses: no automatic compaction (tests compact explicitly).
    static func conformance(
        watchBufferCapacity: Int = 4096, compactionBatchSize: Int = 1000, maxWritesPerCommit: Int = 512
    ) -> StoreConfiguration {
        var configuration = StoreConfiguration()
        configuration.autoCompaction = nil
        configuration.watchBufferCapacity = watchBufferCapacity
        configuration.compactionBatchSize = compactionBatchSize
        configuration.maxWritesPerCommit = maxWritesPerCommit
        return configuration
    }
}

/// A uniquely named directory under the system temporary directory, for one SQLite database.
struct TemporaryDirectory: Sendable {
    static let namePrefix = "swiftlet-conformance-"

    let url: URL

    /// Creates a new, empty directory.
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent(Self.namePrefix + UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    }

    /// The directory holding `databasePath`, if it is one this type created (never anything else).
    init?(containing databasePath: String) {
        let parent = URL(fileURLWithPath: databasePath).deletingLastPathComponent()
        guard parent.lastPathComponent.hasPrefix(Self.namePrefix) else { return nil }
        url = parent
    }

    /// Where the store's database file goes.
    var databasePath: String { url.appendingPathComponent("state.db").path }

    /// Deletes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs `body` with a fresh store of `backend`, then closes the store and removes its files, also when
/// `body` throws.
func withStore<T>(
    _ backend: StoreBackend,
    configuration: StoreConfiguration = .conformance(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (any KeyValueStore) async throws -> T
) async throws -> T {
    let store = try backend.make(configuration: configuration)
    let result: T
    do {
        result = try await body(store)
    } catch {
        await StoreBackend.dispose(store)
        throw error
    }
    await StoreBackend.dispose(store)
    return result
}
