import Foundation
import Synchronization

/// Runs `swiftlet debug store-writer` as a child process and SIGKILLs it after a given number of
/// acknowledged writes (plus a random few hundred microseconds), collecting every `ack` line it printed.
///
/// The reading and the kill happen on a dedicated thread, so the kill lands while the child is still
/// writing, at a moment the test does not choose.
enum CrashChild {
    struct Ack: Sendable, Equatable {
        var revision: Int64
        var key: String
        var value: String
    }

    /// The `swiftlet` binary built beside the test bundle.
    static func swiftletBinary() throws -> String {
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let candidate = URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("swiftlet").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw CrashChildError.binaryMissing(candidate)
        }
        return candidate
    }

    /// Starts the writer on `database`, kills it once `killAfter` acks were read, and returns all acks.
    static func runAndKill(database: String, killAfter: Int, extraDelayMicroseconds: UInt32, compactEvery: Int)
        async throws -> (acks: [Ack], exitedBySignal: Bool)
    {
        let binary = try swiftletBinary()
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(
                        returning: try run(
                            binary: binary, database: database, killAfter: killAfter,
                            extraDelayMicroseconds: extraDelayMicroseconds, compactEvery: compactEvery))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    private static func run(
        binary: String, database: String, killAfter: Int, extraDelayMicroseconds: UInt32, compactEvery: Int
    ) throws -> (acks: [Ack], exitedBySignal: Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "debug", "store-writer", "--database", database, "--writers", "16", "--compact-every", "\(compactEvery)",
        ]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let reader = output.fileHandleForReading
        var acks: [Ack] = []
        var pending = Data()
        var killed = false
        // Safety net: a child that stops printing is killed after 60 s so the test cannot hang.
        let deadline = Date().addingTimeInterval(60)
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }  // EOF: the child is gone
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                let parts = line.split(separator: " ")
                if parts.count == 4, parts[0] == "ack", let revision = Int64(parts[1]) {
                    acks.append(Ack(revision: revision, key: String(parts[2]), value: String(parts[3])))
                }
            }
            if !killed && (acks.count >= killAfter || Date() > deadline) {
                if extraDelayMicroseconds > 0 { usleep(extraDelayMicroseconds) }
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if process.terminationReason != .uncaughtSignal && !stderr.isEmpty {
            throw CrashChildError.childFailed(stderr)
        }
        return (acks, process.terminationReason == .uncaughtSignal)
    }
}

enum CrashChildError: Error, CustomStringConvertible {
    case binaryMissing(String)
    case childFailed(String)

    var description: String {
        switch self {
        case .binaryMissing(let path): "the swiftlet binary is not at \(path); build it with `swift build`"
        case .childFailed(let stderr): "the store writer failed: \(stderr)"
        }
    }
}
