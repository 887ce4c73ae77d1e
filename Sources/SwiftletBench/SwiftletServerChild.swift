import Foundation
import Glibc
import Synchronization

/// A `swiftlet server` child process on its own temporary data directory and a free port on 127.0.0.1
/// (`--port 0`; the port is read from the "Server ready … port=N" log line).
///
/// Concurrency contract: Sendable; driven by one task: `start` once, then `stop()` exactly once (also on
/// error paths), which sends SIGTERM, waits for the exit on a dedicated thread and removes the directory.
final class SwiftletServerChild: Sendable {
    let binary: String
    let directory: String
    private let process: Mutex<Process?> = Mutex(nil)
    private let logTail = Mutex("")
    private let readyLine: Mutex<(String?, CheckedContinuation<String?, Never>?)> = Mutex((nil, nil))

    init(binary: String, parent: String) throws {
        self.binary = binary
        directory = try TemporaryDirectory.make(in: parent, prefix: "server")
    }

    /// The server's process id (for /proc/PID/status).
    var pid: Int32 { process.withLock { $0?.processIdentifier ?? 0 } }

    /// Starts the server and returns its port once it logged "Server ready" (at most `timeout`).
    func start(timeout: Duration = .seconds(60)) async throws -> Int {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: binary)
        // The API server alone: no scheduler patching the benchmark's unschedulable pods, no controller caches.
        child.arguments = ["server", "--data-dir", directory, "--port", "0", "--bind-address", "127.0.0.1",
                           "--disable-control-loops"]
        let errors = Pipe()
        child.standardError = errors
        child.standardOutput = FileHandle.nullDevice
        child.standardInput = FileHandle.nullDevice
        errors.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                deliverReady(nil)
                return
            }
            let text = String(decoding: data, as: UTF8.self)
            logTail.withLock { $0 = String(($0 + text).suffix(4000)) }
            for line in text.split(separator: "\n") where line.contains("Server ready") {
                deliverReady(String(line))
            }
        }
        process.withLock { $0 = child }
        try child.run()
        let line = await withTaskGroup(of: String?.self) { group in
            group.addTask { await self.waitForReadyLine() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.deliverReady(nil)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let line, let portText = line.split(separator: "port=").last?.split(separator: " ").first,
              let port = Int(portText)
        else {
            throw APIBenchmarkError.server("did not become ready: " + logTail.withLock { $0 })
        }
        return port
    }

    private func waitForReadyLine() async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let ready = readyLine.withLock { state -> String?? in
                if let line = state.0 { return .some(line) }
                state.1 = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Records the ready line (or nil: the server's output ended or the wait timed out) once.
    private func deliverReady(_ line: String?) {
        let waiter = readyLine.withLock { state -> CheckedContinuation<String?, Never>? in
            if state.0 == nil, let line { state.0 = line }
            defer { state.1 = nil }
            return state.1
        }
        waiter?.resume(returning: line)
    }

    /// SIGTERM, wait for the exit (SIGKILL after 10 s), remove the data directory.
    func stop() async {
        if let child = process.withLock({ $0 }), child.processIdentifier > 0 {
            let waiter = DedicatedThread(name: "server-exit")
            defer { waiter.stop() }
            _ = try? await waiter.run {
                if child.isRunning { child.terminate() }
                for _ in 0..<1000 where child.isRunning { usleep(10_000) }
                if child.isRunning { kill(child.processIdentifier, SIGKILL) }
                child.waitUntilExit()
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The server's resident set size in bytes (VmRSS of /proc/PID/status).
    func residentBytes() throws -> Int {
        try ProcessMemory.residentBytes(pid: pid)
    }
}

/// Reads a process's memory figures from procfs.
///
/// Concurrency contract: stateless.
enum ProcessMemory {
    static func residentBytes(pid: Int32) throws -> Int {
        try bytes("VmRSS", of: "/proc/\(pid)/status")
    }

    /// `VmHWM` (peak resident set) and `VmRSS` of this process, in bytes.
    static func ownPeakAndResidentBytes() throws -> (peak: Int, current: Int) {
        (try bytes("VmHWM", of: "/proc/self/status"), try bytes("VmRSS", of: "/proc/self/status"))
    }

    /// The kilobyte field `key` of a procfs status file, in bytes.
    private static func bytes(_ key: String, of path: String) throws -> Int {
        let status = try String(contentsOfFile: path, encoding: .utf8)
        for line in status.split(separator: "\n") where line.hasPrefix(key + ":") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        throw APIBenchmarkError.server("no \(key) in \(path)")
    }
}
