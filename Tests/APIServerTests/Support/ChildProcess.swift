import Foundation

/// Runs a program to completion and collects its output (standard output and error together), waiting on a
/// thread of its own so the cooperative pool is never blocked.
///
/// Stateless; Sendable.
enum ChildProcess {
    struct Output: Sendable {
        var status: Int32
        var text: String
    }

    static func run(_ executable: String, _ arguments: [String], includeStandardError: Bool = true) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = arguments
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    process.standardError = includeStandardError ? pipe : FileHandle.nullDevice
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return Output(status: process.terminationStatus, text: String(decoding: data, as: UTF8.self))
                })
            }.start()
        }
    }
}
