import Foundation

/// Runs `openssl` for test key material (keys and certificate requests), waiting on a thread of its own.
///
/// Stateless; Sendable.
enum OpenSSL {
    static let path = "/usr/bin/openssl"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs `openssl <arguments>` and returns its standard output; throws on a non-zero exit.
    @discardableResult
    static func run(_ arguments: [String]) async throws -> String {
        let result = try await ChildProcess.run(path, arguments, includeStandardError: false)
        guard result.status == 0 else {
            throw KubectlError.failed(arguments: ["openssl"] + arguments, status: result.status, stderr: "")
        }
        return result.text
    }

    /// A new P-256 key and a certificate request for `/O=<group>.../CN=<user>`, both PEM files in `directory`.
    static func keyAndRequest(user: String, groups: [String], in directory: URL) async throws -> (key: String, request: String) {
        let key = directory.appendingPathComponent("\(user).key").path
        let request = directory.appendingPathComponent("\(user).csr").path
        try await run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
        let subject = groups.map { "/O=\($0)" }.joined() + "/CN=\(user)"
        try await run(["req", "-new", "-key", key, "-subj", subject, "-out", request])
        return (key, request)
    }
}
