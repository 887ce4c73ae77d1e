import Foundation

/// Runs the real kubectl against a test server, with its own discovery cache directory.
///
/// Value type; Sendable.
struct Kubectl: Sendable {
    let binary: String
    let kubeconfig: String
    let cacheDirectory: String

    /// The dispatcher (`kubectl`) or a fixed minor (`kubectl.1.32`) installed beside it.
    static func path(_ name: String = "kubectl") -> String? {
        for directory in ["/usr/lib/google-cloud-sdk/bin", "/usr/bin", "/usr/local/bin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static var isInstalled: Bool { path() != nil }

    /// kubectl against `server`, with the admin kubeconfig unless `kubeconfig` names another.
    init(_ name: String = "kubectl", server: SwiftletServerProcess, kubeconfig: String? = nil) throws {
        guard let binary = Self.path(name) else { throw KubectlError.missing(name) }
        self.binary = binary
        self.kubeconfig = kubeconfig ?? server.kubeconfig
        cacheDirectory = server.dataDirectory.appendingPathComponent("kube-cache-\(name)").path
    }

    /// kubectl with another user's kubeconfig (and its own discovery cache).
    init(_ name: String = "kubectl", server: SwiftletServerProcess, kubeconfig: String, cacheName: String) throws {
        guard let binary = Self.path(name) else { throw KubectlError.missing(name) }
        self.binary = binary
        self.kubeconfig = kubeconfig
        cacheDirectory = server.dataDirectory.appendingPathComponent("kube-cache-\(cacheName)").path
    }

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `kubectl <arguments>` (with `stdin` as input) and waits for it. The blocking waits happen on a
    /// thread of their own, so parallel tests never starve Swift's cooperative pool.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try runBlocking(arguments, stdin: stdin, environment: environment))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    /// A configured, not yet started kubectl process.
    func process(_ arguments: [String], environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory] + arguments
        var env = ProcessInfo.processInfo.environment
        env["KUBECONFIG"] = kubeconfig
        for (key, value) in environment { env[key] = value }
        process.environment = env
        return process
    }

    private func runBlocking(_ arguments: [String], stdin: String?, environment: [String: String]) throws -> Result {
        let process = process(arguments, environment: environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Drain stderr beside stdout so a full stderr pipe cannot block the child.
        let stderrData = LockedData()
        let stderrReader = Thread { stderrData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        stderrReader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = stderrData.waitForValue()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs and requires exit status 0; returns stdout.
    func ok(_ arguments: [String], stdin: String? = nil) async throws -> String {
        let result = try await run(arguments, stdin: stdin)
        guard result.status == 0 else {
            throw KubectlError.failed(arguments: arguments, status: result.status, stderr: result.stderr)
        }
        return result.stdout
    }
}

enum KubectlError: Error, CustomStringConvertible {
    case missing(String)
    case failed(arguments: [String], status: Int32, stderr: String)

    var description: String {
        switch self {
        case .missing(let name): "\(name) is not installed"
        case .failed(let arguments, let status, let stderr):
            "kubectl \(arguments.joined(separator: " ")) exited \(status): \(stderr)"
        }
    }
}

/// Starts a server (with `arguments(dataDirectory)` added to its command line), runs `body`, and always
/// stops it.
func withSwiftletServer(arguments: (URL) throws -> [String] = { _ in [] },
                        _ body: (SwiftletServerProcess) async throws -> Void) async throws {
    let server = try SwiftletServerProcess()
    try await server.start(arguments: try arguments(server.dataDirectory))
    do {
        try await body(server)
    } catch {
        _ = await server.stopped()
        throw error
    }
    let status = await server.stopped()
    if status != 0 { throw ServerProcessError.notReady("server exited \(status) on SIGTERM:\n\(server.output)") }
}

/// Data produced on one thread and awaited (blocking) on another.
///
/// Thread-safe (NSCondition).
final class LockedData: @unchecked Sendable {
    // SAFETY: `value` is read and written only while holding `condition`.
    private let condition = NSCondition()
    private var value: Data?

    func set(_ data: Data) {
        condition.lock()
        value = data
        condition.broadcast()
        condition.unlock()
    }

    func waitForValue() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value!
    }
}
