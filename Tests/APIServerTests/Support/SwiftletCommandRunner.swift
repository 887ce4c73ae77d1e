import Foundation

/// Runs the `swiftlet` binary beside the tests with some arguments (a one-shot command such as
/// `secrets-encrypt status`) and collects its exit status and output.
///
/// Stateless; Sendable. The blocking wait runs on a thread of its own, never on the cooperative pool.
enum SwiftletCommandRunner {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) async throws -> Result {
        let binary = try SwiftletServerProcess.binary()
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Swift.Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: binary)
                    process.arguments = arguments
                    let out = Pipe()
                    let err = Pipe()
                    process.standardOutput = out
                    process.standardError = err
                    process.standardInput = FileHandle.nullDevice
                    try process.run()
                    let stderrData = LockedData()
                    let stderrReader = Thread { stderrData.set(err.fileHandleForReading.readDataToEndOfFile()) }
                    stderrReader.start()
                    let stdout = out.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return Result(
                        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                        stderr: String(decoding: stderrData.waitForValue(), as: UTF8.self))
                })
            }.start()
        }
    }
}
