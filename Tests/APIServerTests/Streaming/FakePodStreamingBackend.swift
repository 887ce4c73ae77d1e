@testable import APIServer
import Foundation
import Synchronization

/// A `PodStreamingBackend` without a node: fixed logs per container and a few scripted commands.
///
/// Logs: container `a` has `a1\na2\n`, `b` has `b1\nb2\nb3\n` (tailLines honoured), `waiting` throws
/// `containerNotRunning("waiting to start: ContainerCreating")`, `previous=true` throws `previousNotFound`.
/// Exec: `echo ARGS...` writes the arguments and a newline to stdout; `fail CODE` writes `failing` to stderr
/// and exits CODE; `cat` copies stdin to stdout until EOF; `size` waits for one resize event and prints
/// `WxH`; `missing` throws `commandFailed`. Attach writes `attached\n` and exits 0.
///
/// Thread-safe: records the targets it was asked for behind a `Mutex`.
final class FakePodStreamingBackend: PodStreamingBackend {
    private let calls = Mutex<[String]>([])

    /// One line per call: `logs ns/pod/container`, `exec ns/pod/container cmd...`, `attach ns/pod/container`.
    var recordedCalls: [String] { calls.withLock { $0 } }

    private func record(_ line: String) {
        calls.withLock { $0.append(line) }
    }

    func logs(_ target: PodStreamTarget, options: PodLogStreamOptions) async throws
        -> AsyncThrowingStream<[UInt8], any Error>
    {
        record("logs \(target.namespace)/\(target.podName)/\(target.containerName) node=\(target.nodeName)")
        if target.containerName == "waiting" {
            throw PodStreamingError.containerNotRunning(reason: "waiting to start: ContainerCreating")
        }
        if options.previous { throw PodStreamingError.previousNotFound }
        var lines: [String] = switch target.containerName {
        case "a": ["a1", "a2"]
        case "b": ["b1", "b2", "b3"]
        default: ["\(target.containerName) log"]
        }
        if let tail = options.tailLines { lines = Array(lines.suffix(Int(tail))) }
        let chunks = lines.map { Array(($0 + "\n").utf8) }
        return AsyncThrowingStream { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
    }

    func exec(_ target: PodStreamTarget, command: [String], streams: ContainerStreamOptions, io: ContainerStreamIO)
        async throws -> ContainerStreamExit
    {
        record("exec \(target.namespace)/\(target.podName)/\(target.containerName) \(command.joined(separator: " "))")
        switch command.first {
        case "echo":
            await io.stdout(Array((command.dropFirst().joined(separator: " ") + "\n").utf8))
            return ContainerStreamExit(exitCode: 0)
        case "fail":
            await io.stderr(Array("failing\n".utf8))
            return ContainerStreamExit(exitCode: Int32(command.dropFirst().first ?? "1") ?? 1)
        case "cat":
            for await chunk in io.stdin { await io.stdout(chunk) }
            return ContainerStreamExit(exitCode: 0)
        case "size":
            for await size in io.resize {
                await io.stdout(Array("\(size.width)x\(size.height)\n".utf8))
                return ContainerStreamExit(exitCode: 0)
            }
            return ContainerStreamExit(exitCode: 1)
        case "missing":
            throw PodStreamingError.commandFailed(
                message: "exec: \"missing\": executable file not found in $PATH")
        default:
            return ContainerStreamExit(exitCode: 127)
        }
    }

    func attach(_ target: PodStreamTarget, streams: ContainerStreamOptions, io: ContainerStreamIO)
        async throws -> ContainerStreamExit
    {
        record("attach \(target.namespace)/\(target.podName)/\(target.containerName)")
        await io.stdout(Array("attached\n".utf8))
        return ContainerStreamExit(exitCode: 0)
    }
}
