import Foundation
import Synchronization
import SwiftletBench
import Testing

/// The API benchmark runs against a real `swiftlet server` child and reports every figure. Speed is never
/// asserted here.
@Suite struct APIBenchmarkTests {
    @Test func quickRunReportsEveryFigure() async throws {
        var options = APIBenchmarkOptions.quick(serverBinary: try SwiftletCommand.binary())
        options.clientCounts = [1, 4]
        options.podCounts = [150, 300]
        let lines = Mutex<[String]>([])
        let report = try await APIBenchmark.run(options) { line in lines.withLock { $0.append(line) } }
        #expect(report.creates.map(\.clients) == [1, 4])
        #expect(report.gets.map(\.clients) == [1, 4])
        #expect(report.lists.map(\.clients) == [1, 4])
        #expect(report.watches.map(\.watchers) == [1, 4])
        for phase in report.creates + report.gets + report.lists {
            #expect(phase.operations > 0)
            #expect(phase.latency.p99 >= phase.latency.p50)
        }
        for (index, phase) in report.watches.enumerated() {
            #expect(phase.events == options.watchEvents * options.clientCounts[index])
        }
        #expect(report.openLoop.operations > 0)
        #expect(report.bigList.count == options.bigListRuns)
        #expect(report.memory.map(\.pods) == [150, 300])
        #expect(report.podJSONBytes > 1000)
        #expect(report.coldStart.count == options.coldStarts)
        #expect(report.forkExecPeer.count >= options.coldStarts)
        let table = report.formatted()
        for figure in ["create/s", "get p50 / p99", "list 20 pods/s", "watch delivery p50 / p99",
                       "creates at 200/s offered: p99", "list 150 pods p50", "RSS per stored pod at 300 pods",
                       "cold start to /readyz", "fork/exec /bin/true", "cold start / fork-exec ratio"] {
            #expect(table.contains(figure), "missing \(figure)")
        }
        #expect(!lines.withLock { $0 }.isEmpty)
    }

    @Test func benchAPICommandPrintsTheTable() async throws {
        let (status, text) = try await SwiftletCommand.run(["bench", "api", "--quick"])
        #expect(status == 0)
        for figure in ["create p50 / p99 (ms), 64 clients", "list 300 pods p50", "RSS per stored pod at 600 pods",
                       "cold start to /readyz"] {
            #expect(text.contains(figure), "missing \(figure)")
        }
    }
}
