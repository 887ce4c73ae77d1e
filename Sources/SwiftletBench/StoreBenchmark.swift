import Foundation
import KubeStorage

/// Measures Swiftlet's durable SQLite store, and etcd side by side when an etcd binary is available:
/// closed-loop creates and compare-and-swap updates with 1, 8 and 64 writers, an open-loop write rate, get
/// and list latency, and commits (WAL fsyncs) per write.
///
/// Concurrency contract: stateless; `run` may be called from any task. It creates its own stores, etcd
/// process and temporary directories, and removes them before returning or throwing. Run one benchmark at a
/// time: concurrent runs would measure each other.
public enum StoreBenchmark {
    /// Runs every workload and returns the figures. `output` receives one progress line per phase, always on
    /// the calling task.
    public static func run(
        _ options: StoreBenchmarkOptions, output: (String) -> Void = { _ in }
    ) async throws -> StoreBenchmarkReport {
        try options.validate()
        let parent = TemporaryDirectory.parent(options.directory)
        let swiftlet = try await runSwiftlet(options, parent: parent, output: output)
        var etcd: StoreBackendFigures?
        var skipped: String?
        if !options.compareEtcd {
            skipped = "the etcd comparison is turned off"
        } else if let binary = options.etcdBinary {
            etcd = try await runEtcd(options, binary: binary, parent: parent, output: output)
        } else {
            skipped = "no etcd binary found in PATH"
        }
        return StoreBenchmarkReport(options: options, swiftlet: swiftlet, etcd: etcd, etcdSkippedReason: skipped)
    }

    /// The durable SQLite store in a temporary directory.
    static func runSwiftlet(_ options: StoreBenchmarkOptions, parent: String, output: (String) -> Void)
        async throws -> StoreBackendFigures
    {
        let directory = try TemporaryDirectory.make(in: parent, prefix: "sqlite")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = StoreConfiguration()
        configuration.autoCompaction = nil  // keep the measurement free of background work
        output("swiftlet: SQLiteStore (synchronous=FULL) in \(directory)")
        let store = try SQLiteStore(
            path: directory + "/swiftlet.db", options: SQLiteStoreOptions(durability: .full),
            configuration: configuration)
        let backend = StoreBenchmarkBackend(name: "swiftlet", store: store, commits: { store.commitCount })
        do {
            let figures = try await BenchmarkWorkloads.run(on: backend, options, output: output)
            await backend.close()
            return figures
        } catch {
            await backend.close()
            throw error
        }
    }

    /// A throwaway etcd through its JSON gateway.
    static func runEtcd(_ options: StoreBenchmarkOptions, binary: String, parent: String,
                        output: (String) -> Void) async throws -> StoreBackendFigures {
        output("etcd: starting \(binary) on 127.0.0.1")
        let etcd = try await EtcdProcess(binary: binary, parent: parent)
        output("etcd: client port \(etcd.clientPort), data in \(etcd.directory)")
        do {
            let backend = try await EtcdBenchmarkBackend(etcd: etcd)
            do {
                let figures = try await BenchmarkWorkloads.run(on: backend, options, output: output)
                await backend.close()
                await etcd.stop()
                return figures
            } catch {
                await backend.close()
                throw error
            }
        } catch {
            await etcd.stop()
            throw error
        }
    }
}
