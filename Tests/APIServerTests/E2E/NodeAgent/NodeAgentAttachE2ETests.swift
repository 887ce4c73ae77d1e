import Foundation
import Testing

/// `kubectl attach` and `kubectl run -i` against pods of the node agent, with the real kubectl: input reaches
/// a `stdin: true` container, its output comes back, `stdinOnce` closes the container's stdin after the first
/// session, and output of a container without stdin streams until kubectl is stopped.
@Suite(.serialized, .enabled(if: NodeAgentTestSupport.isAvailable, "needs root, runc, busybox-static and kubectl"))
struct NodeAgentAttachE2ETests {
    static func pod(_ name: String, command: String, stdin: Bool, stdinOnce: Bool = false, tty: Bool = false,
                    restartPolicy: String = "Always") -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
        spec:
          terminationGracePeriodSeconds: 1
          restartPolicy: \(restartPolicy)
          containers:
          - name: main
            image: \(NodeAgentTestSupport.image)
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "\(command)"]
            stdin: \(stdin)
            stdinOnce: \(stdinOnce)
            tty: \(tty)
        """
    }

    @Test func attachSendsInputToAStdinContainerAndItsOutputComesBack() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "echoer", command: "while read line; do echo got $line; done", stdin: true))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/echoer", "--timeout=60s"])

            let attach = try InteractiveKubectl(kubectl, ["attach", "-i", "echoer", "-c", "main"])
            defer { attach.stop() }
            attach.send("hello\n")
            #expect(await attach.waitFor("got hello"))
            attach.send("world\n")
            #expect(await attach.waitFor("got world"))
            // Without stdinOnce, the end of kubectl's stdin ends the session and leaves the container running.
            attach.closeInput()
            #expect(await attach.waitForExit() == 0)
            let phase = try await kubectl.ok(["get", "pod", "echoer", "-o", "jsonpath={.status.phase}"])
            #expect(phase == "Running")

            // A second session reaches the same stdin.
            let again = try await kubectl.run(["attach", "-i", "echoer", "-c", "main"], stdin: "")
            #expect(again.status == 0)
            let second = try InteractiveKubectl(kubectl, ["attach", "-i", "echoer"])
            defer { second.stop() }
            second.send("again\n")
            #expect(await second.waitFor("got again"))
            _ = try await kubectl.ok(["delete", "pod", "echoer", "--timeout=60s"])
        }
    }

    @Test func stdinOnceClosesTheContainersStdinAfterTheFirstSession() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "once", command: "cat; echo stdin-closed", stdin: true, stdinOnce: true, restartPolicy: "Never"))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/once", "--timeout=60s"])
            // kubectl's stdin ends after "abc": the container's stdin closes, cat ends, and the session lasts
            // until the container's output ended.
            let result = try await kubectl.run(["attach", "-i", "once"], stdin: "abc\n")
            #expect(result.status == 0)
            #expect(result.stdout == "abc\nstdin-closed\n")
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/once", "--timeout=60s"])

            // A client that goes away (rather than ending its stdin) closes it too.
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "detached", command: "cat; echo stdin-closed; sleep 3600", stdin: true, stdinOnce: true))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/detached", "--timeout=60s"])
            let attach = try InteractiveKubectl(kubectl, ["attach", "-i", "detached"])
            attach.send("x\n")
            #expect(await attach.waitFor("x\n"))
            attach.stop()
            let logs = try KubectlStream(kubectl, ["logs", "-f", "detached"])
            #expect(await logs.waitFor("stdin-closed"))
            logs.stop()
            _ = try await kubectl.ok(["delete", "pod", "detached", "--timeout=60s"])
        }
    }

    @Test func runInteractiveRemovesThePodAfterPrintingTheCommandsOutput() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            let result = try await kubectl.run(
                ["run", "runner", "--image=\(NodeAgentTestSupport.image)", "--image-pull-policy=IfNotPresent", "-i",
                 "--rm", "--restart=Never", "--pod-running-timeout=60s", "--", "sh"],
                stdin: "echo run-output-$((6*7))\n")
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("run-output-42"))
            let left = try await kubectl.run(["get", "pod", "runner"])
            #expect(left.status != 0)
        }
    }

    @Test func attachReachesAContainerStartedBeforeTheServerRestarted() async throws {
        let network = NodeAgentTestSupport.uniqueNetwork()
        let first = try SwiftletServerProcess()
        let dataDirectory = first.dataDirectory
        defer {
            NodeAgentTestSupport.cleanUp(dataDirectory: dataDirectory, network: network)
            try? FileManager.default.removeItem(at: dataDirectory)
        }
        let arguments = try NodeAgentTestSupport.serverArguments(dataDirectory: dataDirectory, network: network)
        try await first.start(arguments: arguments)
        do {
            let kubectl = try Kubectl(server: first)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "node", "--all", "--timeout=60s"])
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "survivor", command: "while read line; do echo got $line; done", stdin: true))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/survivor", "--timeout=60s"])
        } catch {
            _ = await first.stopped(keepingData: true)
            throw error
        }
        _ = await first.stopped(keepingData: true)

        // The container and its shim outlived the server; the restarted node agent attaches through the shim.
        let second = SwiftletServerProcess(dataDirectory: dataDirectory)
        try await second.start(arguments: arguments)
        do {
            let kubectl = try Kubectl(server: second)
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/survivor", "--timeout=60s"])
            let restarts = try await kubectl.ok(["get", "pod", "survivor", "-o",
                                                 "jsonpath={.status.containerStatuses[0].restartCount}"])
            #expect(restarts == "0")
            let attach = try InteractiveKubectl(kubectl, ["attach", "-i", "survivor"])
            defer { attach.stop() }
            attach.send("after-restart\n")
            #expect(await attach.waitFor("got after-restart"))
            _ = try await kubectl.ok(["delete", "pod", "survivor", "--timeout=60s"])
        } catch {
            _ = await second.stopped(keepingData: true)
            throw error
        }
        _ = await second.stopped(keepingData: true)
    }

    @Test func attachWithATerminalReachesTheContainersTerminalAndResizesIt() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "tty-shell", command: "exec sh", stdin: true, stdinOnce: true, tty: true, restartPolicy: "Never"))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/tty-shell", "--timeout=60s"])
            // kubectl runs on a terminal of 123 x 45 (util-linux `script`), so it attaches with -t in raw mode
            // and sends its window size.
            let attach = try InteractiveKubectl(kubectl, ["attach", "-it", "tty-shell"], terminal: (columns: 123, rows: 45))
            defer { attach.stop() }
            // kubectl attach first sends the size plus one (124 x 46), then the real size, to force a redraw; the
            // resize stream is not ordered with stdin, so a command may run between the two. Ask until the final
            // size shows (each answer is marked by a round number the echoed input does not contain).
            var sawFinalSize = false
            for round in 1...20 where !sawFinalSize {
                attach.send("echo size-$(stty size | tr ' ' x)-round-$((\(round)+1000))\n")
                #expect(await attach.waitFor("-round-\(round + 1000)"))
                sawFinalSize = attach.text.contains("size-45x123-round")
            }
            #expect(sawFinalSize)
            attach.send("exit 5\n")
            _ = await attach.waitForExit()
            _ = try await kubectl.ok(["wait", "--for=jsonpath={.status.phase}=Failed", "pod/tty-shell", "--timeout=60s"])
            let exitCode = try await kubectl.ok(["get", "pod", "tty-shell", "-o",
                                                 "jsonpath={.status.containerStatuses[0].state.terminated.exitCode}"])
            #expect(exitCode == "5")
        }
    }

    @Test func execWithATerminalSeesTheWindowAndReturnsTheExitCode() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod("exec-tty", command: "sleep 3600", stdin: false))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/exec-tty", "--timeout=60s"])
            // kubectl on a 101 x 33 terminal: `exec -it` asks for a tty and sends its window size.
            let exec = try InteractiveKubectl(kubectl, ["exec", "-it", "exec-tty", "--", "sh"], terminal: (columns: 101, rows: 33))
            defer { exec.stop() }
            exec.send("stty size; tty; echo done-$((6*7)); exit 7\n")
            #expect(await exec.waitFor("done-42"))
            #expect(exec.text.contains("33 101"))
            #expect(exec.text.contains("/dev/pts/"))
            #expect(await exec.waitForExit() == 7)
            _ = try await kubectl.ok(["delete", "pod", "exec-tty", "--grace-period=1", "--timeout=60s"])
        }
    }

    @Test func attachWithoutStdinStreamsOutputUntilStopped() async throws {
        try await withNodeAgentServer { _, kubectl, _ in
            _ = try await kubectl.ok(["apply", "-f", "-"], stdin: Self.pod(
                "ticker", command: "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done", stdin: false))
            _ = try await kubectl.ok(["wait", "--for=condition=Ready", "pod/ticker", "--timeout=60s"])
            let attach = try KubectlStream(kubectl, ["attach", "ticker"])
            #expect(await attach.waitFor("tick"))
            attach.stop()
            _ = try await kubectl.ok(["delete", "pod", "ticker", "--timeout=60s"])
        }
    }
}

/// A kubectl whose stdin the test writes to while it runs (`attach -i`), with its output collected.
///
/// Thread-safe: the output is a ``CollectedOutput``; input is written through a pipe.
private final class InteractiveKubectl: @unchecked Sendable {
    private let process: Process
    private let collected: CollectedOutput
    private let input = Pipe()
    private let exited = DispatchSemaphore(value: 0)

    /// With `terminal`, kubectl runs on a pseudo-terminal of that size (through util-linux `script`).
    init(_ kubectl: Kubectl, _ arguments: [String], terminal: (columns: Int, rows: Int)? = nil) throws {
        process = kubectl.process(arguments)
        if let terminal {
            let quoted = ([process.executableURL!.path] + (process.arguments ?? []))
                .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-q", "-e", "-c", "stty cols \(terminal.columns) rows \(terminal.rows); exec \(quoted)",
                                 "/dev/null"]
        }
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        process.standardInput = input
        collected = try CollectedOutput(running: process)
    }

    /// Everything kubectl printed so far.
    var text: String { collected.text }

    func send(_ text: String) {
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    func closeInput() {
        try? input.fileHandleForWriting.close()
    }

    /// Waits until the output contains `needle` (true), or kubectl's output ends or `timeout` passes (false).
    func waitFor(_ needle: String, timeout: TimeInterval = 30) async -> Bool {
        await collected.waitFor(needle, timeout: timeout)
    }

    /// Waits for kubectl to exit (up to `timeout`; then it is killed) and returns its status.
    func waitForExit(timeout: TimeInterval = 30) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread { [self] in
                if exited.wait(timeout: .now() + timeout) == .timedOut { process.terminate() }
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }.start()
        }
    }

    func stop() {
        closeInput()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
