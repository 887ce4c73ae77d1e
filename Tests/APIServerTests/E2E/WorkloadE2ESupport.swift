import Foundation
import Testing

/// Shared steps of the Workload*E2ETests suites: a `swiftlet server --simulated-nodes 3` whose nodes are
/// Ready, and small readers over kubectl's jsonpath output.
///
/// Stateless; Sendable.
enum WorkloadE2E {
    /// Runs `body` against a server with three simulated nodes, once every node is Ready.
    static func withCluster(_ body: (SwiftletServerProcess, Kubectl) async throws -> Void) async throws {
        try await withSwiftletServer(arguments: { _ in ["--simulated-nodes", "3"] }) { server in
            let kubectl = try Kubectl(server: server)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "node", "--all", "--timeout=60s"])
            try await body(server, kubectl)
        }
    }

    /// The non-empty lines of `text`.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// The whitespace-separated fields of `line`.
    static func fields(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// One object's resource version.
    static func resourceVersion(_ kubectl: Kubectl, _ object: String) async throws -> Int {
        let text = try await kubectl.ok(["get", object, "-o", "jsonpath={.metadata.resourceVersion}"])
        return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// `kind/name` → resourceVersion for every object `kubectl get <resources> <selector>` lists.
    static func resourceVersions(_ kubectl: Kubectl, _ arguments: [String]) async throws -> [String: Int] {
        let text = try await kubectl.ok(["get"] + arguments + [
            "-o", #"jsonpath={range .items[*]}{.kind}/{.metadata.name} {.metadata.resourceVersion}{"\n"}{end}"#,
        ])
        var versions: [String: Int] = [:]
        for line in lines(text) {
            let parts = fields(line)
            guard parts.count == 2, let version = Int(parts[1]) else { continue }
            versions[parts[0]] = version
        }
        return versions
    }

    /// Runs `kubectl <arguments>` (a `-w` stream) and reads its output lines until `done(lines so far)`
    /// holds, then stops it; throws if the stream ends first or `timeout` seconds pass. `afterFirstLine`
    /// runs once the stream printed its first line (the watch is then established).
    static func watch(_ kubectl: Kubectl, _ arguments: [String], timeout: Double = 60,
                      afterFirstLine: (() async throws -> Void)? = nil,
                      until done: ([String]) -> Bool) async throws -> [String] {
        let process = kubectl.process(arguments)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let (stream, continuation) = AsyncStream<String>.makeStream()
        try process.run()
        let reader = Thread {
            var buffer = ""
            while true {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                buffer += String(decoding: data, as: UTF8.self)
                while let newline = buffer.firstIndex(of: "\n") {
                    continuation.yield(String(buffer[..<newline]))
                    buffer = String(buffer[buffer.index(after: newline)...])
                }
            }
            continuation.finish()
        }
        reader.start()
        let deadline = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
        defer {
            deadline.cancel()
            if process.isRunning { process.terminate() }
        }
        var lines: [String] = []
        var pending = afterFirstLine
        for await line in stream {
            lines.append(line)
            if let action = pending {
                pending = nil
                try await action()
            }
            if done(lines) { return lines }
        }
        throw WatchError.ended(arguments: arguments, lines: lines)
    }

    enum WatchError: Error, CustomStringConvertible {
        case ended(arguments: [String], lines: [String])

        var description: String {
            switch self {
            case .ended(let arguments, let lines):
                "kubectl \(arguments.joined(separator: " ")) ended before its condition held; it printed:\n"
                    + lines.joined(separator: "\n")
            }
        }
    }
}
