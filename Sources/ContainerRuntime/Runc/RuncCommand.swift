import Foundation
import HostSystem

/// Builds and runs `runc --root <root> [--log <file> --log-format json] <subcommand> …` and turns a failure
/// into `ContainerRuntimeError.runcFailed` carrying runc's own message.
///
/// A value type; Sendable.
struct RuncCommand: Sendable {
    let runcPath: String
    let root: String

    func arguments(_ subcommand: [String], logFile: String? = nil) -> [String] {
        var arguments = ["--root", root]
        if let logFile { arguments += ["--log", logFile, "--log-format", "json"] }
        return arguments + subcommand
    }

    /// Runs runc and returns its output whatever the status.
    func run(_ subcommand: [String], logFile: String? = nil) async throws(ContainerRuntimeError) -> HostCommand.Output {
        do {
            return try await HostCommand.run(runcPath, arguments(subcommand, logFile: logFile))
        } catch {
            throw .host(error)
        }
    }

    /// Runs runc and throws `runcFailed` (with runc's message) unless it exits 0.
    @discardableResult
    func runChecked(_ subcommand: [String], containerID: String, logFile: String? = nil)
        async throws(ContainerRuntimeError) -> HostCommand.Output
    {
        let output = try await run(subcommand, logFile: logFile)
        guard output.status.succeeded else {
            throw .runcFailed(
                operation: subcommand.first ?? "", containerID: containerID,
                message: Self.errorMessage(standardError: output.standardErrorText, logFile: logFile, status: output.status))
        }
        return output
    }

    /// runc's message for a failure: the last error in its JSON log file, else its last stderr line, else the
    /// exit status.
    static func errorMessage(standardError: String, logFile: String?, status: ExitStatus) -> String {
        if let logFile, let data = FileManager.default.contents(atPath: logFile) {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").reversed()
            for line in lines {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      object["level"] as? String == "error" || object["level"] as? String == "fatal",
                      let message = object["msg"] as? String
                else { continue }
                return message
            }
        }
        let lines = standardError.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let last = lines.last {
            // runc logs as `time="…" level=error msg="…"` on stderr when no log file is set.
            if let range = last.range(of: "msg=\"") {
                var message = String(last[range.upperBound...])
                if message.hasSuffix("\"") { message.removeLast() }
                return message.replacingOccurrences(of: "\\\"", with: "\"")
            }
            return last
        }
        return "runc \(status)"
    }
}
