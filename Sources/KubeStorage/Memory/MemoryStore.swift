public import Logging

/// A `KeyValueStore` in memory, with exactly the semantics of `SQLiteStore` (same writer, watch hub and
/// conformance suite). For tests and for throwaway clusters; nothing survives the process.
///
/// Thread-safe; call from any task. Call `close()` when done.
public final class MemoryStore: RevisionedStoreBacked {
    let core: RevisionedStore

    /// Durable transactions committed since the store opened (one WAL fsync each with `durability: .full`).
    public var commitCount: Int { core.engine.commitCount }

    /// Watches currently open.
    public var openWatchCount: Int { core.hub.watcherCount }

    public init(configuration: StoreConfiguration = StoreConfiguration(),
                logger: Logger = Logger(label: "swiftlet.store.memory")) {
        // The memory engine cannot fail to load.
        core = try! RevisionedStore(engine: MemoryEngine(), configuration: configuration, logger: logger)
    }
}
