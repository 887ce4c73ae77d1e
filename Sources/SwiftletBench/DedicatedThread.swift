import Foundation

/// One OS thread that runs submitted blocking jobs in order, so that blocking socket calls never occupy
/// Swift's cooperative thread pool (two threads on a two-core machine).
///
/// Concurrency contract: thread-safe; `run` may be called from any task and suspends the caller until its
/// job has finished on the dedicated thread. Jobs run one at a time, in submission order. `stop()` ends
/// the thread after the queued jobs.
final class DedicatedThread: @unchecked Sendable {
    // SAFETY: `jobs` and `stopping` are only touched while holding `condition`.
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopping = false

    init(name: String) {
        let thread = Thread { [self] in
            // Named from inside: on Linux a name set before `start()` is not applied (at most 15 bytes).
            Thread.current.name = name
            self.loop()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Runs `job` on the thread and returns its result.
    func run<Result: Sendable>(_ job: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            condition.lock()
            guard !stopping else {
                condition.unlock()
                continuation.resume(throwing: StoreBenchmarkError.unexpected("worker thread already stopped"))
                return
            }
            jobs.append { continuation.resume(with: Swift.Result { try job() }) }
            condition.signal()
            condition.unlock()
        }
    }

    /// Lets the thread finish its queued jobs and exit.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll()
            condition.unlock()
            for job in batch { job() }
        }
    }
}
