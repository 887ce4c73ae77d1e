import Foundation

/// A long-running kubectl (`get -w`, `logs -f`) whose output the test waits on.
///
/// Thread-safe: output is appended by a reader thread and read under a condition; waits run on threads of
/// their own so the cooperative pool is never blocked.
final class KubectlStream: @unchecked Sendable {
    private let process: Process
    private let collected: CollectedOutput

    init(_ kubectl: Kubectl, _ arguments: [String]) throws {
        process = kubectl.process(arguments)
        process.standardInput = FileHandle.nullDevice
        collected = try CollectedOutput(running: process)
    }

    /// Everything printed so far.
    var text: String { collected.text }

    /// Waits until the output contains `needle` (true), or the stream ends or `timeout` passes (false).
    func waitFor(_ needle: String, timeout: TimeInterval = 30) async -> Bool {
        await collected.waitFor(needle, timeout: timeout)
    }

    /// Stops kubectl and reaps it.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { stop() }
}
