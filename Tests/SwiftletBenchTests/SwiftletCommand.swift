import Foundation

/// Runs the built `swiftlet` binary (beside the test bundle) with arguments and collects its standard output,
/// waiting for it on a thread of its own, never on the cooperative pool.
///
/// Stateless; Sendable.
enum SwiftletCommand {
    static func binary() throws -> String {
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("swiftlet").path
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let binary = try binary()
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: binary)
                    process.arguments = arguments
                    let output = Pipe()
                    process.standardOutput = output
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    return (process.terminationStatus, text)
                })
            }.start()
        }
    }
}
