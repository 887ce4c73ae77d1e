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

    init(_ name: String = "kubectl", server: SwiftletServerProcess) throws {
        guard let binary = Self.path(name) else { throw KubectlError.missing(name) }
        self.binary = binary
        kubeconfig = server.kubeconfig
        cacheDirectory = server.dataDirectory.appendingPathComponent("kube-cache-\(name)").path
    }

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `kubectl <arguments>` (with `stdin` as input) and waits for it.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory] + arguments
        var env = ProcessInfo.processInfo.environment
        env["KUBECONFIG"] = kubeconfig
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs and requires exit status 0; returns stdout.
    func ok(_ arguments: [String], stdin: String? = nil) throws -> String {
        let result = try run(arguments, stdin: stdin)
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

/// Starts a server, runs `body`, and always stops it.
func withSwiftletServer(_ body: (SwiftletServerProcess) async throws -> Void) async throws {
    let server = try SwiftletServerProcess()
    try await server.start()
    do {
        try await body(server)
    } catch {
        server.stop()
        throw error
    }
    let status = server.stop()
    if status != 0 { throw ServerProcessError.notReady("server exited \(status) on SIGTERM:\n\(server.output)") }
}
