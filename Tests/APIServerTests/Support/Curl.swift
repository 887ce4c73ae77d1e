import Foundation

/// HTTPS requests to a test server with curl, for what kubectl never sends (oversized or odd bodies), as the
/// cluster admin (the server's CA and admin client certificate under `<data-dir>/pki`) or with no credentials.
///
/// Value type; Sendable. The blocking wait runs on a thread of its own.
struct Curl: Sendable {
    let baseURL: String
    let credentials: [String]

    init(server: SwiftletServerProcess, asAdmin: Bool = true) {
        baseURL = "https://127.0.0.1:\(server.port)"
        let pki = server.dataDirectory.appendingPathComponent("pki").path
        credentials = ["--cacert", pki + "/ca.crt"]
            + (asAdmin ? ["--cert", pki + "/admin.crt", "--key", pki + "/admin.key"] : [])
    }

    struct Reply: Sendable {
        var status: Int
        var body: String
    }

    /// A GET with extra headers (`Name: value`), returning the status and response body.
    func get(_ path: String, headers: [String] = []) async throws -> Reply {
        try await run(credentials + ["-sS"] + headers.flatMap { ["-H", $0] } + ["-w", "\n%{http_code}", baseURL + path])
    }

    /// Sends `body` (from a file, so large bodies stream) and returns the status and response body.
    func send(_ method: String, _ path: String, body: Data, contentType: String) async throws -> Reply {
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("curl-body-\(UUID().uuidString)")
        try body.write(to: bodyFile)
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        let arguments = credentials + ["-sS", "-X", method, "-H", "Content-Type: \(contentType)", "--data-binary", "@\(bodyFile.path)",
                         "-w", "\n%{http_code}", baseURL + path]
        return try await run(arguments)
    }

    private func run(_ arguments: [String]) async throws -> Reply {
        let output: String = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                    process.arguments = arguments
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    return String(decoding: data, as: UTF8.self)
                })
            }.start()
        }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return Reply(status: Int(lines.last ?? "") ?? 0, body: lines.dropLast().joined(separator: "\n"))
    }
}
