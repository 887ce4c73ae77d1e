#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// The files a container's shim and `RuncRuntime` share in `<state-dir>/<id>/`: the shim's pid, the
/// container's init pid, the start and exit records, runc's and the shim's own logs, and the container's
/// metadata. They outlive the node agent, so a restarted agent can find its containers again.
///
/// A value type; Sendable. File helpers are blocking (small files).
struct ContainerStateFiles: Sendable {
    let directory: String

    init(stateDirectory: String, containerID: String) {
        directory = stateDirectory + "/" + containerID
    }

    init(directory: String) {
        self.directory = directory
    }

    var metadata: String { directory + "/container.json" }
    var shimPID: String { directory + "/shim.pid" }
    var initPID: String { directory + "/init.pid" }
    var started: String { directory + "/started.json" }
    var exit: String { directory + "/exit.json" }
    var shimLog: String { directory + "/shim.log" }
    var runcLog: String { directory + "/runc.log" }
    /// The shim's attach socket (see `AttachFrame`).
    var attachSocket: String { directory + "/attach.sock" }

    /// Replaces `path` atomically (temporary file + rename), so readers see the old or the new content.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ContainerRuntimeError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("create \(temporary)", errno: errno) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                close(fd)
                unlink(temporary)
                throw .io("write \(temporary)", errno: code)
            }
            offset += count
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .io("rename \(temporary) to \(path)", errno: code)
        }
    }

    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    static func readPID(_ path: String) -> Int32? {
        guard let bytes = read(path) else { return nil }
        return Int32(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func writeJSON(_ value: some Encodable, to path: String) throws(ContainerRuntimeError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(value))
        } catch {
            throw .malformedFile(path: path, reason: "\(error)")
        }
        try writeAtomically(bytes, to: path)
    }

    static func readJSON<Value: Decodable>(_ type: Value.Type, from path: String) throws(ContainerRuntimeError) -> Value? {
        guard let bytes = read(path) else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw .malformedFile(path: path, reason: "\(error)")
        }
    }
}
