import Foundation
import Testing

/// `swiftlet bench scheduler` and `bench deployment` run (quick sizes) and print every figure. How fast they
/// were is not judged here.
@Suite struct ClusterBenchmarkTests {
    @Test func benchSchedulerPrintsItsFigures() async throws {
        let (status, text) = try await SwiftletCommand.run(["bench", "scheduler", "--nodes", "20", "--pods", "60"])
        #expect(status == 0, "\(text)")
        for figure in ["registered 20 nodes", "created 60 pods", "nodes / pods", "20 / 60", "pods scheduled/s",
                       "≥ 2,000/s on 2 cores", "peak RSS (MiB)"] {
            #expect(text.contains(figure), "missing \(figure) in:\n\(text)")
        }
    }

    @Test func benchDeploymentPrintsItsFigures() async throws {
        let (status, text) = try await SwiftletCommand.run(["bench", "deployment", "--nodes", "3", "--replicas", "12"])
        #expect(status == 0, "\(text)")
        for figure in ["3 simulated nodes Ready", "12 pods Running after", "simulated nodes / replicas", "3 / 12",
                       "Deployment create to all pods Running (s)", "peak RSS (MiB)"] {
            #expect(text.contains(figure), "missing \(figure) in:\n\(text)")
        }
    }

    @Test func benchSchedulerRejectsNonsense() async throws {
        let (status, _) = try await SwiftletCommand.run(["bench", "scheduler", "--nodes", "0"])
        #expect(status != 0)
    }
}
