import ContainerRuntime
import Foundation
import HostSystem
import Testing

/// Real containers with runc and the `swiftlet container-shim` binary (root only; skipped otherwise).
@Suite(.enabled(if: RuncTestEnvironment.isAvailable, "needs root, runc, /bin/busybox and the built swiftlet binary"))
struct RuncRuntimeTests {
    /// Runs `body` in a fresh environment and always cleans up afterwards.
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

    static func logRecords(_ path: String) throws -> [CRILogRecord] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { CRILogRecord(line: Array($0.utf8)[...]) }
    }

    @Test func containerExitCodeAndLogsAreRecorded() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            let configuration = environment.configuration(
                "exit", args: ["/bin/sh", "-c", "echo one; echo two >&2; printf three; exit 3"])
            let handle = try await runtime.createAndStart(configuration)
            #expect(handle.pid > 0)
            let exit = try await runtime.waitForExit(id: handle.id)
            #expect(exit.exitCode == 3)
            #expect(exit.signal == nil)
            #expect(exit.oomKilled == false)
            #expect(exit.finishedAt >= exit.startedAt)

            let records = try Self.logRecords(configuration.logPath)
            #expect(Set(records.map { "\($0.stream.rawValue) \(String(decoding: $0.message, as: UTF8.self))" })
                == ["stdout one", "stderr two", "stdout three"])
            #expect(records.allSatisfy { !$0.isPartial })
            let raw = try String(contentsOfFile: configuration.logPath, encoding: .utf8)
            #expect(raw.contains(" stdout F one\n"))

            let listed = try await runtime.list()
            #expect(listed.map(\.id) == [handle.id])
            #expect(listed.first?.status == .exited(exit))
            #expect(listed.first?.logPath == configuration.logPath)

            try await runtime.remove(id: handle.id)
            try await runtime.remove(id: handle.id)
            #expect(try await runtime.list().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: configuration.bundleDirectory + "/config.json"))
            #expect(FileManager.default.fileExists(atPath: configuration.logPath))
        }
    }

    @Test func aMissingExecutableFailsWithRuncsMessage() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            let configuration = environment.configuration("nope", args: ["nope"])
            do {
                _ = try await runtime.createAndStart(configuration)
                Issue.record("expected the start to fail")
            } catch let error as ContainerRuntimeError {
                #expect(error.runtimeMessage.contains(#"exec: "nope": executable file not found in $PATH"#))
            }
            #expect(try await runtime.list().isEmpty)
        }
    }

    @Test func stopWithAGracePeriodKillsAContainerThatIgnoresTERM() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            // PID 1 without a TERM handler ignores SIGTERM.
            let handle = try await runtime.createAndStart(environment.configuration("sleep", args: ["sleep", "1000"]))
            #expect(runtime.record(id: handle.id)?.status == .running)
            await runtime.stop(id: handle.id, gracePeriod: .milliseconds(300))
            let exit = try await runtime.waitForExit(id: handle.id)
            #expect(exit.exitCode == 137)
            #expect(exit.signal == 9)
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func stopEndsAContainerThatHandlesTERM() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            let handle = try await runtime.createAndStart(environment.configuration(
                "trap", args: ["sh", "-c", "trap 'echo bye; exit 0' TERM; while true; do sleep 0.05; done"]))
            await runtime.stop(id: handle.id, gracePeriod: .seconds(30))
            let exit = try await runtime.waitForExit(id: handle.id)
            #expect(exit.exitCode == 0)
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func execCapturingReturnsOutputAndExitCodeAndTimesOut() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            let handle = try await runtime.createAndStart(environment.configuration("exec", args: ["sleep", "1000"]))
            let result = try await runtime.execCapturing(
                id: handle.id, command: ["sh", "-c", "echo $GREETING; echo err >&2; exit 4"], environment: ["GREETING=hi"],
                timeout: .seconds(30))
            #expect(result.exitCode == 4)
            // runc copies stdout and stderr separately, so their relative order is not kept.
            let lines = String(decoding: result.output, as: UTF8.self).split(separator: "\n").sorted()
            #expect(lines == ["err", "hi"])

            await #expect(throws: ContainerRuntimeError.self) {
                _ = try await runtime.execCapturing(id: handle.id, command: ["sleep", "100"], timeout: .milliseconds(200))
            }
            let missing = try await runtime.execCapturing(id: handle.id, command: ["nope"], timeout: .seconds(30))
            #expect(missing.exitCode != 0)
            #expect(String(decoding: missing.output, as: UTF8.self).contains("executable file not found"))

            await runtime.stop(id: handle.id, gracePeriod: .zero)
            await #expect(throws: ContainerRuntimeError.self) {
                _ = try await runtime.execCapturing(id: handle.id, command: ["true"], timeout: .seconds(5))
            }
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func streamingExecPassesStdinAndSeparatesStreams() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            let handle = try await runtime.createAndStart(environment.configuration("stream", args: ["sleep", "1000"]))
            let session = try await runtime.exec(
                id: handle.id, ContainerExecRequest(command: ["sh", "-c", "cat; echo done >&2; exit 7"], stdin: true))
            await session.writeInput(Array("ping\n".utf8))
            session.closeInput()
            async let output = session.output.reduce([UInt8]()) { $0 + $1 }
            async let errors = session.errorOutput.reduce([UInt8]()) { $0 + $1 }
            #expect(String(decoding: await output, as: UTF8.self) == "ping\n")
            #expect(String(decoding: await errors, as: UTF8.self) == "done\n")
            #expect(await session.exitCode() == 7)

            let terminal = try await runtime.exec(
                id: handle.id, ContainerExecRequest(command: ["sh", "-c", "echo hello; exit 2"], tty: true, stdin: true))
            terminal.resize(columns: 100, rows: 30)
            let terminalOutput = await terminal.output.reduce([UInt8]()) { $0 + $1 }
            // A terminal turns "\n" into "\r\n".
            #expect(String(decoding: terminalOutput, as: UTF8.self).contains("hello\r\n"))
            #expect(await terminal.exitCode() == 2)

            await runtime.stop(id: handle.id, gracePeriod: .zero)
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func aContainerOverItsMemoryLimitIsOOMKilled() async throws {
        try await withEnvironment { environment in
            let runtime = environment.runtime()
            var configuration = environment.configuration(
                "oom", args: ["sh", "-c", "head -c 134217728 /dev/zero | tail"])
            configuration.resources.memoryLimitBytes = 32 * 1024 * 1024
            let handle = try await runtime.createAndStart(configuration)
            let exit = try await runtime.waitForExit(id: handle.id)
            #expect(exit.oomKilled)
            #expect(exit.exitCode == 137)
            try await runtime.remove(id: handle.id)
        }
    }

    @Test func aContainerOutlivesItsRuntimeObjectAndIsAdoptedByANewOne() async throws {
        try await withEnvironment { environment in
            let configuration = environment.configuration(
                "adopt", args: ["sh", "-c", "echo started; exec sleep 1000"])
            var first: RuncRuntime? = environment.runtime()
            let handle = try await first!.createAndStart(configuration)
            first = nil

            let second = environment.runtime()
            let listed = try await second.list()
            #expect(listed.map(\.id) == [handle.id])
            #expect(listed.first?.status == .running)
            #expect(listed.first?.pid == handle.pid)

            async let exit = second.waitForExit(id: handle.id)
            await second.stop(id: handle.id, gracePeriod: .zero)
            #expect(try await exit.exitCode == 137)

            var output: [UInt8] = []
            for try await chunk in CRILogReader(path: configuration.logPath).read(.init()) { output += chunk }
            #expect(String(decoding: output, as: UTF8.self) == "started\n")
            try await second.remove(id: handle.id)
            #expect(try await second.list().isEmpty)
        }
    }
}
