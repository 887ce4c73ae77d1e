@testable import ContainerRuntime
import Foundation
import HostSystem
import Logging
import Testing

@Suite struct RuncSupportTests {
    @Test func runcErrorsComeFromItsJSONLogThenItsStderr() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("runc-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        try """
            {"level":"warning","msg":"ignored","time":"2026-11-28T12:45:24Z"}
            {"level":"error","msg":"runc create failed: unable to start container process: exec: \\"nope\\": executable file not found in $PATH","time":"2026-11-28T12:45:24Z"}

            """.write(toFile: log, atomically: true, encoding: .utf8)
        #expect(RuncCommand.errorMessage(standardError: "", logFile: log, status: .exited(1))
            == #"runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH"#)
        #expect(RuncCommand.errorMessage(
            standardError: #"time="2026-11-28T12:00:00Z" level=error msg="container \"x\" does not exist""# + "\n",
            logFile: nil, status: .exited(1)) == #"container "x" does not exist"#)
        #expect(RuncCommand.errorMessage(standardError: "plain failure\n", logFile: nil, status: .exited(1)) == "plain failure")
        #expect(RuncCommand.errorMessage(standardError: "", logFile: nil, status: .exited(2)) == "runc exit status 2")
    }

    @Test func containerIDsAreValidated() async throws {
        for id in ["", ".hidden", "a/b", "with space", String(repeating: "x", count: 129)] {
            #expect(throws: ContainerRuntimeError.self) { try RuncRuntime.validate(id) }
        }
        #expect(throws: Never.self) { try RuncRuntime.validate("runc-Container_1.2") }
        let runtime = RuncRuntime(
            runcRoot: "/nonexistent/runc", stateDirectory: "/nonexistent/state", shimCommand: ["/bin/false"],
            logger: Logger(label: "test"))
        await #expect(throws: ContainerRuntimeError.self) {
            _ = try await runtime.createAndStart(ContainerConfiguration(
                id: "../escape", bundleDirectory: "/tmp/x", rootfs: "/", args: ["true"], logPath: "/tmp/x.log"))
        }
        #expect(try await runtime.list().isEmpty)
        #expect(runtime.record(id: "missing") == nil)
        await #expect(throws: ContainerRuntimeError.self) { _ = try await runtime.waitForExit(id: "missing") }
    }

    @Test func shimOptionsRenderAsArguments() {
        let options = ContainerShimOptions(
            containerID: "c", bundleDirectory: "/b", runcRoot: "/r", logPath: "/l", stateDirectory: "/s",
            logRotation: CRILogRotationPolicy(maxFileBytes: 1000, maxRotatedFiles: 2))
        #expect(options.arguments == [
            "--id", "c", "--bundle", "/b", "--runc-root", "/r", "--runc", "runc", "--log-path", "/l", "--state-dir", "/s",
            "--log-max-bytes", "1000", "--log-max-files", "2",
        ])
        #expect(CRILogRotationPolicy(maxRotatedFiles: 2).files(forLogAt: "/l") == ["/l.2", "/l.1", "/l"])
    }
}
