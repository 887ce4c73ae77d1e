import Foundation
import Testing
@testable import Kubelet

/// `FallbackToLogsOnError`: a failed container without a termination message gets its log's tail (80
/// lines, 2048 bytes at most) as the message.
@Suite struct TerminationMessageFallbackBadInputTests {
    @Test func appliesOnlyToFailedRunsWithoutAMessageUnderThePolicy() {
        #expect(TerminationMessageFallback.applies(policy: "FallbackToLogsOnError", exitCode: 1, message: ""))
        #expect(!TerminationMessageFallback.applies(policy: "FallbackToLogsOnError", exitCode: 0, message: ""))
        #expect(!TerminationMessageFallback.applies(policy: "FallbackToLogsOnError", exitCode: 1, message: "written"))
        #expect(!TerminationMessageFallback.applies(policy: "File", exitCode: 1, message: ""))
        #expect(!TerminationMessageFallback.applies(policy: nil, exitCode: 1, message: ""))
    }

    @Test func theMessageIsTheLastEightyLinesCappedAt2048Bytes() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-fallback-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = (1...100).map { "2026-11-28T12:00:00.000000000Z stderr F line \($0)\n" }.joined()
        try lines.write(toFile: path, atomically: true, encoding: .utf8)
        let tail = await TerminationMessageFallback.logTail(logPath: path)
        #expect(tail.hasPrefix("line 21\n"))
        #expect(tail.hasSuffix("line 100\n"))

        let long = (1...10).map { "2026-11-28T12:00:00.000000000Z stdout F \(String(repeating: "x", count: 500)) \($0)\n" }.joined()
        try long.write(toFile: path, atomically: true, encoding: .utf8)
        let capped = await TerminationMessageFallback.logTail(logPath: path)
        #expect(capped.utf8.count == 2048)
        #expect(capped.hasSuffix(" 10\n"))
        #expect(await TerminationMessageFallback.logTail(logPath: path + ".absent") == "")
    }
}
