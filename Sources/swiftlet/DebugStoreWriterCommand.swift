import ArgumentParser
import Foundation
import KubeStorage
import Synchronization

/// `swiftlet debug store-writer`: writes to a SQLite store under load and prints one line per acknowledged
/// write (`ack <revision> <key> <value>`), after the write is durable. The crash-safety test kills it with
/// SIGKILL at random moments and checks that every acknowledged write survived.
///
/// Runs until killed (or until `--writes` is reached).
struct DebugStoreWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-writer",
        abstract: "Write to a store under load, printing each acknowledged write (crash testing).",
        shouldDisplay: false)

    @Option(help: "Path of the SQLite database.")
    var database: String

    @Option(help: "Concurrent writers.")
    var writers: Int = 16

    @Option(help: "Stop after this many acknowledged writes (0 = run until killed).")
    var writes: Int = 0

    @Option(help: "Compact to (current - 20) every N acknowledged writes (0 = never).")
    var compactEvery: Int = 0

    func run() async throws {
        var configuration = StoreConfiguration()
        configuration.autoCompaction = nil
        configuration.compactionBatchSize = 7  // many small batches: kills land inside compaction too
        let store = try SQLiteStore(path: database, configuration: configuration)
        let out = AckPrinter()
        out.line("ready")
        let acknowledged = AckCounter()
        let run = UInt64.random(in: 0..<UInt64.max)
        let writes = self.writes
        let compactEvery = self.compactEvery
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var counter = 0
                    var mine: [(key: String, revision: Revision)] = []
                    while writes == 0 || acknowledged.value.load(ordering: .relaxed) < writes {
                        counter += 1
                        let value = "r\(run)-w\(writer)-n\(counter)"
                        let key: String
                        let outcome: WriteOutcome
                        if mine.isEmpty || counter % 3 == 0 {
                            key = "/crash/\(run)/w\(writer)/k\(counter)"
                            outcome = try await store.create(key, value: Array(value.utf8))
                            if case .committed(let revision, _) = outcome { mine.append((key, revision)) }
                        } else {
                            let index = counter % mine.count
                            key = mine[index].key
                            outcome = try await store.update(
                                key, value: Array(value.utf8), expectedModRevision: mine[index].revision)
                            if case .committed(let revision, _) = outcome { mine[index].revision = revision }
                        }
                        guard case .committed(let revision, _) = outcome else {
                            throw StorageError.backend("unexpected conflict on \(key): \(outcome)")
                        }
                        out.line("ack \(revision) \(key) \(value)")
                        let total = acknowledged.value.add(1, ordering: .relaxed).newValue
                        if compactEvery > 0, total % compactEvery == 0 {
                            let current = try await store.currentRevision()
                            let compacted = try await store.compactRevision()
                            if current - 20 > compacted {
                                do {
                                    try await store.compact(to: current - 20)
                                } catch StorageError.compacted {
                                    // Another writer compacted past this target first.
                                }
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        await store.close()
    }
}

/// A shared count of acknowledged writes.
///
/// Thread-safe (atomic).
final class AckCounter: Sendable {
    let value = Atomic(0)
}

/// Writes whole lines to standard output with one `write(2)` each, so lines never interleave.
///
/// Thread-safe: `write(2)` of a short buffer to a pipe is atomic.
struct AckPrinter: Sendable {
    func line(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
