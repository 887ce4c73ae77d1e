import HostSystem
import Testing

@Suite struct HostCommandTests {
    @Test func collectsOutputAndExitCode() async throws {
        let output = try await HostCommand.run("/bin/sh", ["-c", "cat; echo err >&2; exit 3"], input: Array("in".utf8))
        #expect(output.standardOutputText == "in")
        #expect(output.standardErrorText == "err\n")
        #expect(output.status == .exited(3))
    }

    @Test func reportsSignals() async throws {
        let output = try await HostCommand.run("/bin/sh", ["-c", "kill -9 $$"])
        #expect(output.status == .signaled(9))
        #expect(output.status.code == 137)
    }

    @Test func missingExecutableIsAClearError() async {
        await #expect(throws: HostSystemError.self) {
            try await HostCommand.run("swiftlet-no-such-tool", [])
        }
    }

    @Test func checkedRunNamesTheCommand() async {
        do {
            try await HostCommand.runChecked("/bin/sh", ["-c", "echo nope >&2; exit 1"])
            Issue.record("expected a failure")
        } catch {
            #expect(error.description.contains("nope"))
            #expect(error.description.contains("/bin/sh"))
        }
    }
}
