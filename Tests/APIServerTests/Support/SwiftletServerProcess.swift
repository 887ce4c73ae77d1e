import Foundation
import Synchronization

/// A `swiftlet server` child process on a temporary data directory and a free port on 127.0.0.1.
///
/// `start()` returns once the server logged "Server ready" (an event, not a sleep); `stop()` sends SIGTERM,
/// waits for the exit and removes the directory. Use from one task.
final class SwiftletServerProcess: @unchecked Sendable {
    // SAFETY: mutated only by the owning test task (start/stop); the log buffer is behind a Mutex.
    let dataDirectory: URL
    private let process = Process()
    private let log = LogBuffer()
    private(set) var kubeconfig = ""
    private(set) var port = 0
    /// Whether this server holds one of the test process's ``ServerSlots``.
    private let holdsSlot = Mutex(false)

    init() throws {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
    }

    /// A server on an existing data directory (a restart of an earlier one's).
    init(dataDirectory: URL) {
        self.dataDirectory = dataDirectory
    }

    static func binary() throws -> String {
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("swiftlet").path
    }

    /// Starts the server and waits (at most `timeout` seconds) until it is ready.
    func start(timeout: Double = 60, arguments: [String] = []) async throws {
        await ServerSlots.shared.acquire()
        holdsSlot.withLock { $0 = true }
        process.executableURL = URL(fileURLWithPath: try Self.binary())
        process.arguments = ["server", "--data-dir", dataDirectory.path, "--port", "0"]
            + (arguments.contains("--enable-agent") ? [] : ["--disable-agent"])
            + arguments.filter { $0 != "--enable-agent" }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let ready = AsyncStream<String>.makeStream()
        let log = self.log
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                ready.continuation.finish()
                handle.readabilityHandler = nil
                return
            }
            let text = String(decoding: data, as: UTF8.self)
            log.text.withLock { $0 += text }
            for line in text.split(separator: "\n") where line.contains("Server ready") {
                ready.continuation.yield(String(line))
            }
        }
        do {
            try process.run()
        } catch {
            stop()
            throw error
        }
        let line = try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                for await line in ready.stream { return line }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let line, let portText = line.split(separator: "port=").last?.split(separator: " ").first,
              let port = Int(portText) else {
            stop()
            throw ServerProcessError.notReady(log.text.withLock { $0 })
        }
        self.port = port
        kubeconfig = dataDirectory.appendingPathComponent("kubeconfig.yaml").path
    }

    /// Everything the server logged so far.
    var output: String { log.text.withLock { $0 } }

    /// SIGTERM, wait for exit, remove the data directory unless `keepingData`. Returns the exit status.
    @discardableResult
    func stop(keepingData: Bool = false) -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        if !keepingData { try? FileManager.default.removeItem(at: dataDirectory) }
        let held = holdsSlot.withLock { held in
            defer { held = false }
            return held
        }
        if held { ServerSlots.shared.release() }
        return process.isRunning ? -1 : process.terminationStatus
    }

    /// `stop` with the wait for the exit on a thread of its own, so the cooperative pool is never blocked.
    func stopped(keepingData: Bool = false) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.stop(keepingData: keepingData)) }.start()
        }
    }
}

enum ServerProcessError: Error, CustomStringConvertible {
    case notReady(String)

    var description: String {
        switch self {
        case .notReady(let log): "swiftlet server did not become ready; its log:\n\(log)"
        }
    }
}

/// Text collected from a child's output.
///
/// Thread-safe (a Mutex).
final class LogBuffer: Sendable {
    let text = Mutex("")
}
