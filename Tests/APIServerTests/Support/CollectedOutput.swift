import Foundation

/// Runs a child process and collects its combined stdout and stderr on a reader thread of its own, for tests
/// that wait on what a long-running tool (`kubectl get -w`, `kubectl attach`, a registry) prints.
///
/// Thread-safe: the output is guarded by an `NSCondition`; waits run on threads of their own so the
/// cooperative pool never blocks.
final class CollectedOutput: @unchecked Sendable {
    // SAFETY: `output` and `ended` are only touched while holding `condition`.
    private let condition = NSCondition()
    private var output = ""
    private var ended = false

    /// Routes `process`'s stdout and stderr into one pipe, runs it, and starts reading.
    init(running process: Process) throws {
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        Thread { [self] in
            while true {
                let chunk = pipe.fileHandleForReading.availableData
                condition.lock()
                if chunk.isEmpty { ended = true } else { output += String(decoding: chunk, as: UTF8.self) }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }.start()
    }

    /// Everything printed so far.
    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return output
    }

    /// Waits until `match` finds something in the output; nil when the output ends or `timeout` passes first.
    func wait<Found: Sendable>(timeout: TimeInterval, until match: @escaping @Sendable (String) -> Found?) async -> Found? {
        await withCheckedContinuation { continuation in
            Thread { [self] in
                let deadline = Date(timeIntervalSinceNow: timeout)
                condition.lock()
                var found = match(output)
                while found == nil, !ended, condition.wait(until: deadline) { found = match(output) }
                found = found ?? match(output)
                condition.unlock()
                continuation.resume(returning: found)
            }.start()
        }
    }

    /// Waits until the output contains `needle` (true), or it ends or `timeout` passes (false).
    func waitFor(_ needle: String, timeout: TimeInterval = 30) async -> Bool {
        await wait(timeout: timeout) { $0.contains(needle) ? true : nil } ?? false
    }
}
