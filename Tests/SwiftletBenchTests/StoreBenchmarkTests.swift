import Foundation
import Synchronization
import SwiftletBench
import Testing

/// The storage benchmark runs and reports every figure. Speed is never asserted here.
@Suite struct StoreBenchmarkTests {
    private static func tinyOptions() -> StoreBenchmarkOptions {
        var options = StoreBenchmarkOptions.quick
        options.writerCounts = [1, 4]
        options.operationsPerWriterCount = 40
        options.listSizes = [50]
        options.listRuns = 2
        options.getCount = 20
        options.offeredRate = 100
        options.openLoopDuration = .milliseconds(300)
        options.openLoopConcurrency = 4
        return options
    }

    @Test func swiftletFigures_areAllReported() async throws {
        var options = Self.tinyOptions()
        options.compareEtcd = false
        let lines = Mutex<[String]>([])
        let report = try await StoreBenchmark.run(options) { line in lines.withLock { $0.append(line) } }
        let swiftlet = report.swiftlet
        #expect(swiftlet.creates.map(\.writers) == [1, 4])
        #expect(swiftlet.updates.map(\.writers) == [1, 4])
        for phase in swiftlet.creates + swiftlet.updates {
            #expect(phase.operations > 0)
            #expect(phase.operationsPerSecond > 0)
            #expect(phase.latency.p99 >= phase.latency.p50)
            #expect(phase.conflicts == 0)
            let commitsPerWrite = try #require(phase.commitsPerWrite, "commits per write missing")
            #expect(commitsPerWrite > 0 && commitsPerWrite <= 1)
        }
        #expect(swiftlet.openLoop.operations > 0)
        #expect(swiftlet.get.count == 20)
        #expect(swiftlet.lists.map(\.keys) == [50])
        #expect(report.etcd == nil)
        let table = report.formatted()
        #expect(table.contains("create/s"))
        #expect(table.contains("list"))
        #expect(!lines.withLock { $0 }.isEmpty)
    }

    @Test(.enabled(if: StoreBenchmarkOptions.findInPath("etcd") != nil, "needs etcd (Debian etcd-server)"))
    func etcdComparison_reportsBothSidesAndTheRatio() async throws {
        let report = try await StoreBenchmark.run(Self.tinyOptions())
        let etcd = try #require(report.etcd, "etcd skipped: \(report.etcdSkippedReason ?? "?")")
        #expect(etcd.creates.map(\.writers) == [1, 4])
        #expect(etcd.creates.allSatisfy { $0.operationsPerSecond > 0 })
        #expect(etcd.lists.map(\.keys) == [50])
        #expect(report.formatted().contains("ratio"))
    }

    @Test func benchCommand_printsTheTable() async throws {
        let (status, text) = try await SwiftletCommand.run(["bench", "store", "--quick", "--no-etcd"])
        #expect(status == 0)
        #expect(text.contains("create/s"))
        #expect(text.contains("commits (WAL fsyncs) per write"))
    }
}
