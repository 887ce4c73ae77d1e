import Foundation

/// A long-running kubectl (`get -w`, `logs -f`) whose output the test waits on.
///
/// Thread-safe: output is appended by a reader thread and read under a condition; waits run on threads of
/// their own so the cooperative pool is never blocked.
final class KubectlStream: @unchecked Sendable {
    // SAFETY: `output` and `ended` are only touched while holding `condition`.
    private let condition = NSCondition()
    private var output = ""
    private var ended = false
    private let process: Process

    init(_ kubectl: Kubectl, _ arguments: [String]) throws {
        process = kubectl.process(arguments)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = Thread { [self] in
            while true {
                let chunk = out.fileHandleForReading.availableData
                condition.lock()
                if chunk.isEmpty { ended = true } else { output += String(decoding: chunk, as: UTF8.self) }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }
        reader.start()
    }

    /// Everything printed so far.
    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return output
    }

    /// Waits until the output contains `needle` (true), or the stream ends or `timeout` passes (false).
    func waitFor(_ needle: String, timeout: TimeInterval = 30) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread { [self] in
                let deadline = Date(timeIntervalSinceNow: timeout)
                condition.lock()
                while !output.contains(needle), !ended, condition.wait(until: deadline) {}
                let found = output.contains(needle)
                condition.unlock()
                continuation.resume(returning: found)
            }.start()
        }
    }

    /// Stops kubectl and reaps it.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { stop() }
}
