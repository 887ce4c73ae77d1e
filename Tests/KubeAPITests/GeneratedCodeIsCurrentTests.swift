import Foundation
import Testing

/// `scripts/generate-api.py --check` passes: the committed Swift matches api/**.yaml.
@Suite struct GeneratedCodeIsCurrentTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `python3 arguments...` in the package root; returns the exit status and combined output.
    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = packageRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static var pythonWithPyYAML: Bool {
        (try? python(["-c", "import yaml"]).status) == 0
    }

    @Test(.enabled(if: pythonWithPyYAML, "python3 with PyYAML is not installed; skipping the generated-code check"))
    func generatedCodeIsCurrent() async throws {
        // The generator runs on a thread of its own, never blocking the cooperative pool.
        let result = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<(status: Int32, output: String), any Error>) in
            Thread { continuation.resume(with: Result { try Self.python(["scripts/generate-api.py", "--check"]) }) }.start()
        }
        #expect(result.status == 0, "generated code is stale:\n\(result.output)")
    }
}
