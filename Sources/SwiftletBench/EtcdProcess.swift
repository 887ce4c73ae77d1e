import Foundation
import Glibc

/// A throwaway single-member etcd started from a binary, listening only on 127.0.0.1 with free ports and a
/// temporary data directory.
///
/// Concurrency contract: thread-safe to share (Sendable) but meant to be driven by one task: `start` once,
/// then `stop()` exactly once (also on error paths); `stop()` terminates the process and removes its
/// directory.
final class EtcdProcess: @unchecked Sendable {
    // SAFETY: `process` and `directory` are set in `init` and only read afterwards; `Process` itself is
    // thread-safe for `isRunning`, `terminate` and `processIdentifier`.
    let clientPort: UInt16
    let peerPort: UInt16
    let directory: String
    private let process: Process

    /// Starts etcd from `binary` in a fresh subdirectory of `parent` and waits until `/health` answers.
    init(binary: String, parent: String) async throws {
        (clientPort, peerPort) = try FreePort.pair()
        directory = try TemporaryDirectory.make(in: parent, prefix: "etcd")
        let client = "http://127.0.0.1:\(clientPort)"
        let peer = "http://127.0.0.1:\(peerPort)"
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--name", "default", "--data-dir", directory + "/data",
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "default=\(peer)",
        ]
        let logPath = directory + "/etcd.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
            try? log.close()
            try await waitUntilHealthy()
        } catch {
            try? log.close()
            await stop()
            throw error
        }
    }

    /// Polls `/health` a bounded number of times (readiness wait); fails when etcd exits or never answers.
    private func waitUntilHealthy() async throws {
        let checker = DedicatedThread(name: "etcd-health")  // connect and recv block
        defer { checker.stop() }
        let port = clientPort
        for _ in 0..<150 {
            guard process.isRunning else {
                throw StoreBenchmarkError.etcd("exited with status \(process.terminationStatus) while starting: "
                    + logTail())
            }
            let healthy = try await checker.run { () -> Bool in
                guard let client = try? EtcdGatewayClient(port: port, timeoutSeconds: 1) else { return false }
                defer { client.close() }
                return client.isHealthy()
            }
            if healthy { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw StoreBenchmarkError.etcd("did not become healthy after 150 tries: " + logTail())
    }

    /// SIGTERM, up to 5 s for a clean exit, then SIGKILL; removes the data directory.
    func stop() async {
        if process.processIdentifier > 0 {
            if process.isRunning { process.terminate() }
            for _ in 0..<50 where process.isRunning {
                try? await Task.sleep(for: .milliseconds(100))
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                for _ in 0..<50 where process.isRunning {
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func logTail() -> String {
        let text = (try? String(contentsOfFile: directory + "/etcd.log", encoding: .utf8)) ?? ""
        return String(text.suffix(800))
    }
}

/// Free TCP ports on 127.0.0.1, found by binding port 0 and reading the port the kernel chose.
///
/// Concurrency contract: stateless; callable from any thread. Another process could take a port between
/// the check and its use; that only makes the start fail.
enum FreePort {
    static func pair() throws -> (UInt16, UInt16) {
        let first = try find()
        var second = try find()
        while second == first { second = try find() }
        return (first, second)
    }

    static func find() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StoreBenchmarkError.etcd("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw StoreBenchmarkError.etcd("cannot find a free port on 127.0.0.1") }
        return UInt16(bigEndian: address.sin_port)
    }
}

/// Creates and names unique temporary directories.
///
/// Concurrency contract: stateless; callable from any thread.
enum TemporaryDirectory {
    /// A new directory `parent/swiftlet-bench-<prefix>-<random>`.
    static func make(in parent: String, prefix: String) throws -> String {
        let path = "\(parent)/swiftlet-bench-\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The parent for benchmark directories: `directory`, or the system's temporary directory.
    static func parent(_ directory: String?) -> String {
        if let directory { return directory }
        var path = FileManager.default.temporaryDirectory.path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
