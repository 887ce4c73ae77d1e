import ContainerRuntime
import Foundation
import Testing

/// Attach to real runc containers through their shims (root only; skipped otherwise): live output, stdin
/// with and without `stdinOnce`, a terminal with resize, and attaching from a new runtime object.
@Suite(.enabled(if: RuncTestEnvironment.isAvailable, "needs root, runc, /bin/busybox and the built swiftlet binary"))
struct AttachRuntimeTests {
    func withEnvironment(_ body: (RuncTestEnvironment) async throws -> Void) async throws {
        let environment = try RuncTestEnvironment()
        do {
            try await body(environment)
        } catch {
            await environment.cleanUp()
            throw error
        }
        await environment.cleanUp()
    }

    /// Collects a session's output; a watchdog detaches the session after a minute so a missing line fails
    /// the test instead of hanging it.
    final class OutputReader {
        private var iterator: AttachOutputStream.AsyncIterator
        private(set) var text = ""
        private let watchdog: Task<Void, Never>

        init(_ session: ContainerAttachSession, stream: AttachOutputStream? = nil) {
            iterator = (stream ?? session.output).makeAsyncIterator()
            watchdog = Task {
                try? await Task.sleep(for: .seconds(60))
                if !Task.isCancelled { session.detach() }
            }
        }

        deinit { watchdog.cancel() }

        /// Reads until the text contains `needle` (true) or the output ends (false).
        func read(until needle: String) async -> Bool {
            while !text.contains(needle) {
                guard let chunk = await iterator.next() else { return false }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return true
        }

        /// Reads to the end of the output.
        func readToEnd() async -> String {
            while let chunk = await iterator.next() { text += String(decoding: chunk, as: UTF8.self) }
            return text
        }
    }

    @Test func inputReachesAStdinContainerAndItsOutputComesBackUntilStdinEnds() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            var configuration = environment.configuration(
                "echo", args: ["sh", "-c", "while read line; do echo \"got $line\"; done; echo stdin-ended"])
            configuration.stdio = ContainerStdio(stdin: true)
            let handle = try await runtime.createAndStart(configuration)

            let first = try await runtime.attach(id: handle.id, ContainerAttachRequest(stdin: true))
            #expect(first.stdinOpen)
            #expect(!first.tty)
            let firstOutput = OutputReader(first)
            await first.writeInput(Array("hello\n".utf8))
            #expect(await firstOutput.read(until: "got hello\n"))
            // Without stdinOnce the end of the client's stdin ends its session; the container keeps its stdin.
            first.closeInput()
            #expect(await firstOutput.readToEnd() == "got hello\n")

            // A runtime object of a later process attaches through the same shim.
            let second = try await environment.runtime().attach(id: handle.id, ContainerAttachRequest(stdin: true))
            #expect(second.stdinOpen)
            let secondOutput = OutputReader(second)
            await second.writeInput(Array("again\n".utf8))
            #expect(await secondOutput.read(until: "got again\n"))
            second.detach()
            #expect(await secondOutput.readToEnd() == "got again\n")
            #expect(runtime.record(id: handle.id)?.status == .running)

            await runtime.stop(id: handle.id, gracePeriod: .zero)
            try await runtime.remove(id: handle.id)
            let log = try String(contentsOfFile: configuration.logPath, encoding: .utf8)
            #expect(log.contains("got hello") && log.contains("got again"))
        }
    }

    @Test func stdinOnceClosesTheContainersStdinWhenTheFirstSessionsStdinEnds() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            var configuration = environment.configuration("once", args: ["sh", "-c", "cat; echo stdin-closed; exit 4"])
            configuration.stdio = ContainerStdio(stdin: true, stdinOnce: true)
            let handle = try await runtime.createAndStart(configuration)
            let session = try await runtime.attach(id: handle.id, ContainerAttachRequest(stdin: true))
            let output = OutputReader(session)
            await session.writeInput(Array("abc\n".utf8))
            session.closeInput()
            // The session lasts until the container's output ends: everything arrives, in order.
            #expect(await output.readToEnd() == "abc\nstdin-closed\n")
            #expect(try await runtime.waitForExit(id: handle.id).exitCode == 4)
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func stdinOnceClosesTheContainersStdinWhenTheFirstClientDetaches() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            var configuration = environment.configuration("detach", args: ["sh", "-c", "cat; echo stdin-closed"])
            configuration.stdio = ContainerStdio(stdin: true, stdinOnce: true)
            let handle = try await runtime.createAndStart(configuration)
            let session = try await runtime.attach(id: handle.id, ContainerAttachRequest(stdin: true))
            let output = OutputReader(session)
            await session.writeInput(Array("x\n".utf8))
            #expect(await output.read(until: "x\n"))
            session.detach()
            #expect(try await runtime.waitForExit(id: handle.id).exitCode == 0)
            let log = try String(contentsOfFile: configuration.logPath, encoding: .utf8)
            #expect(log.contains("stdin-closed"))
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func outputOfAContainerWithoutStdinStreamsFromNowOnAndInputIsDropped() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            let configuration = environment.configuration(
                "ticks", args: ["sh", "-c", "echo before; read x; echo read-returned; i=0; while true; do echo tick $i >&2; i=$((i+1)); sleep 0.2; done"])
            let handle = try await runtime.createAndStart(configuration)
            let session = try await runtime.attach(id: handle.id, ContainerAttachRequest(stdin: true))
            #expect(!session.stdinOpen)
            await session.writeInput(Array("ignored\n".utf8))
            let errors = OutputReader(session, stream: session.errorOutput)
            #expect(await errors.read(until: "tick"))
            session.detach()
            _ = await errors.readToEnd()
            await session.waitUntilEnded()
            // stdin is /dev/null: `read` returned at once.
            let log = try String(contentsOfFile: configuration.logPath, encoding: .utf8)
            #expect(log.contains("before") && log.contains("read-returned"))
            await runtime.stop(id: handle.id, gracePeriod: .zero)
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func aTerminalContainerTakesInputAndResizes() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            var configuration = environment.configuration("tty", args: ["sh"])
            configuration.stdio = ContainerStdio(stdin: true, stdinOnce: true, tty: true)
            let handle = try await runtime.createAndStart(configuration)
            let session = try await runtime.attach(id: handle.id, ContainerAttachRequest(stdin: true))
            #expect(session.tty)
            let output = OutputReader(session)
            session.resize(columns: 132, rows: 50)
            await session.writeInput(Array("busybox stty size; echo done-$((6*7))\n".utf8))
            #expect(await output.read(until: "done-42"))
            #expect(output.text.contains("50 132"))
            await session.writeInput(Array("exit 3\n".utf8))
            _ = await output.readToEnd()
            #expect(try await runtime.waitForExit(id: handle.id).exitCode == 3)
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func attachWorksWhenTheStateDirectoryIsTooLongForASocketAddress() async throws {
        try await withEnvironment { environment in
            let deepState = environment.directory + "/" + String(repeating: "d", count: 90) + "/state"
            let runtime = RuncRuntime(runcRoot: environment.runcRoot, stateDirectory: deepState,
                                      shimCommand: [RuncTestEnvironment.shimExecutable, "container-shim"],
                                      logger: environment.logger)
            var configuration = environment.configuration("deep", args: ["sh"])
            configuration.stdio = ContainerStdio(stdin: true, tty: true)
            let handle = try await runtime.createAndStart(configuration)
            #expect((deepState + "/" + handle.id + "/attach.sock").utf8.count >= 108)
            let session = try await runtime.attach(id: handle.id, ContainerAttachRequest(stdin: true))
            let output = OutputReader(session)
            await session.writeInput(Array("echo deep-$((40+2)); exit 0\n".utf8))
            #expect(await output.read(until: "deep-42"))
            _ = await output.readToEnd()
            #expect(try await runtime.waitForExit(id: handle.id).exitCode == 0)
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func aClientThatDoesNotReadNeverBlocksTheContainerAndIsDropped() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            // 32 MiB of output, far more than the shim queues for a client and the agent holds unconsumed.
            let total = 32 << 20
            let configuration = environment.configuration(
                "flood", args: ["sh", "-c", "read go; dd if=/dev/zero bs=65536 count=512 2>/dev/null; echo flood-done"])
            var stdinConfiguration = configuration
            stdinConfiguration.stdio = ContainerStdio(stdin: true)
            let handle = try await runtime.createAndStart(stdinConfiguration)
            let session = try await runtime.attach(id: handle.id, ContainerAttachRequest(stdin: true))
            await session.writeInput(Array("go\n".utf8))
            // Nobody reads the session's output, yet the container runs to its end.
            let exit = try await Self.withTimeout(.seconds(120)) { try await runtime.waitForExit(id: handle.id) }
            #expect(exit?.exitCode == 0)
            let output = OutputReader(session)
            let received = await output.readToEnd().utf8.count
            #expect(received < total)
            let log = try String(contentsOfFile: configuration.logPath, encoding: .utf8)
            #expect(log.contains("flood-done"))
            try await runtime.remove(id: handle.id)
        }
    }

    /// `body`'s result, or nil when it did not finish within `timeout` (it is then cancelled).
    static func withTimeout<Value: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Value)
        async throws -> Value?
    {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test func attachingToAnUnknownOrExitedContainerFails() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            await #expect(throws: ContainerRuntimeError.self) {
                _ = try await runtime.attach(id: "missing", ContainerAttachRequest(stdin: false))
            }
            let handle = try await runtime.createAndStart(environment.configuration("done", args: ["true"]))
            _ = try await runtime.waitForExit(id: handle.id)
            await #expect(throws: ContainerRuntimeError.self) {
                _ = try await runtime.attach(id: handle.id, ContainerAttachRequest(stdin: false))
            }
            try await runtime.remove(id: handle.id)
        }
    }
}
