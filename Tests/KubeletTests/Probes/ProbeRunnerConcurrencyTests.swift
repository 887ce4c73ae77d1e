import Dispatch
import Foundation
import KubeAPI
import KubeCore
import Synchronization
import Testing
@testable import Kubelet

/// Holds every request until `count` requests have arrived (or 10 s passed). Thread-safe.
final class RequestBarrier: Sendable {
    private let count: Int
    private let arrived = Mutex(0)
    private let gate = DispatchSemaphore(value: 0)

    init(count: Int) { self.count = count }

    /// Blocks the calling server thread; true if all requests arrived.
    func arriveAndWait() -> Bool {
        let number = arrived.withLock { value -> Int in
            value += 1
            return value
        }
        if number == count {
            for _ in 0..<count { gate.signal() }
        }
        return gate.wait(timeout: .now() + 10) == .success
    }
}

@Suite("ProbeRunner concurrency")
struct ProbeRunnerConcurrencyTests {
    /// Blocking socket work must not be limited to a couple of threads: eight probes whose responses
    /// are held until all eight requests arrived must all succeed.
    @Test func manySlowProbes_runAtTheSameTime() async throws {
        let probes = 8
        let barrier = RequestBarrier(count: probes)
        let server = try ProbeTestHTTPServer { _ in barrier.arriveAndWait() ? .respond(status: 200) : .respond(status: 503) }
        defer { server.stop() }
        let runner = ProbeRunner(executor: ProbeTestExecutor())
        let container = ProbeFixtures.container()
        let results = await withTaskGroup(of: ProbeResult.self) { group in
            for _ in 0..<probes {
                group.addTask {
                    await runner.runHTTPGet(
                        HTTPGetAction(path: "/", port: .int(Int32(server.port))), container: container,
                        podIP: "127.0.0.1", timeout: .seconds(3))
                }
            }
            var results: [ProbeResult] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(results.count == probes)
        #expect(results.allSatisfy { $0 == .success(output: "") })
    }
}
