import Foundation
import Testing

/// The real kubectl (1.32, through the installed dispatcher) against an in-process API server whose node side
/// is `FakePodStreamingBackend`: `logs` over chunked HTTP, `exec` and `attach` over WebSocket v5.channel.k8s.io.
@Suite(.enabled(if: Kubectl.isInstalled, "needs kubectl"))
struct KubectlStreamingE2ETests {
    @Test func logsUseTheDefaultContainerAnnotationAndTail() async throws {
        let backend = FakePodStreamingBackend()
        try await StreamingTestServer.with(backend: backend) { server in
            let single = try await server.kubectl(["logs", "one"])
            #expect(single.status == 0, "\(single.stderr)")
            #expect(single.stdout == "main log\n")
            // kubectl picks the annotated default container itself.
            let annotated = try await server.kubectl(["logs", "two"])
            #expect(annotated.status == 0, "\(annotated.stderr)")
            #expect(annotated.stdout == "a1\na2\n")
            let tail = try await server.kubectl(["logs", "two", "-c", "b", "--tail=1"])
            #expect(tail.status == 0, "\(tail.stderr)")
            #expect(tail.stdout == "b3\n")
            let limited = try await server.kubectl(["logs", "two", "-c", "b", "--limit-bytes=4"])
            #expect(limited.stdout == "b1\nb")
            let followed = try await server.kubectl(["logs", "-f", "two", "-c", "b"])
            #expect(followed.stdout == "b1\nb2\nb3\n", "\(followed.stderr)")
        }
        #expect(backend.recordedCalls.contains("logs default/two/b node=node-1"))
    }

    @Test func logErrorsAreUpstreamStatuses() async throws {
        try await StreamingTestServer.with(backend: FakePodStreamingBackend()) { server in
            let missing = try await server.kubectl(["logs", "nope"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains(#"pods "nope" not found"#), "\(missing.stderr)")
            let invalid = try await server.kubectl(["logs", "two", "-c", "zzz"])
            #expect(invalid.stderr.contains("container zzz is not valid for pod two"), "\(invalid.stderr)")
            let previous = try await server.kubectl(["logs", "one", "--previous"])
            #expect(previous.stderr.contains(
                #"Error from server (BadRequest): previous terminated container "main" in pod "one" not found"#),
                "\(previous.stderr)")
            let pending = try await server.kubectl(["logs", "pending"])
            #expect(pending.status == 0, "\(pending.stderr)")
            #expect(pending.stdout == "")
        }
    }

    @Test func execRunsCommandsWithExitCodes() async throws {
        let backend = FakePodStreamingBackend()
        try await StreamingTestServer.with(backend: backend) { server in
            let echo = try await server.kubectl(["exec", "one", "--", "echo", "hello", "world"])
            #expect(echo.status == 0, "\(echo.stderr)")
            #expect(echo.stdout == "hello world\n")
            let failing = try await server.kubectl(["exec", "one", "--", "fail", "3"])
            #expect(failing.status == 3, "\(failing.stderr)")
            #expect(failing.stderr.contains("failing"))
            #expect(failing.stderr.contains("command terminated with exit code 3"), "\(failing.stderr)")
            let cat = try await server.kubectl(["exec", "-i", "one", "--", "cat"], stdin: "some input\nmore\n")
            #expect(cat.status == 0, "\(cat.stderr)")
            #expect(cat.stdout == "some input\nmore\n")
            let inContainer = try await server.kubectl(["exec", "two", "-c", "b", "--", "echo", "from-b"])
            #expect(inContainer.stdout == "from-b\n", "\(inContainer.stderr)")
            let notFound = try await server.kubectl(["exec", "one", "--", "missing"])
            #expect(notFound.status != 0)
            #expect(notFound.stderr.contains("executable file not found"), "\(notFound.stderr)")
        }
        #expect(backend.recordedCalls.contains("exec default/one/main echo hello world"))
        #expect(backend.recordedCalls.contains("exec default/two/b echo from-b"))
    }

    @Test func execAndAttachRefusalsReachKubectl() async throws {
        try await StreamingTestServer.with(backend: FakePodStreamingBackend()) { server in
            let missing = try await server.kubectl(["exec", "nope", "--", "echo"])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains(#"pods "nope" not found"#), "\(missing.stderr)")
            let unscheduled = try await server.kubectl(["exec", "pending", "--", "echo"])
            #expect(unscheduled.stderr.contains("pod pending does not have a host assigned"), "\(unscheduled.stderr)")
            let attach = try await server.kubectl(["attach", "one"])
            #expect(attach.status == 0, "\(attach.stderr)")
            #expect(attach.stdout == "attached\n")
        }
        try await StreamingTestServer.with(backend: nil) { server in
            let noNode = try await server.kubectl(["exec", "one", "--", "echo"])
            #expect(noNode.status != 0)
            #expect(noNode.stderr.contains(#"no kubelet is reachable for node "node-1""#), "\(noNode.stderr)")
            let noLogs = try await server.kubectl(["logs", "one"])
            #expect(noLogs.stderr.contains(#"no kubelet is reachable for node "node-1""#), "\(noLogs.stderr)")
        }
    }

    @Test func execAndLogsOverTLS() async throws {
        try await StreamingTestServer.with(backend: FakePodStreamingBackend(), tls: true) { server in
            let echo = try await server.kubectl(["exec", "one", "--", "echo", "secure"])
            #expect(echo.status == 0, "\(echo.stderr)")
            #expect(echo.stdout == "secure\n")
            let cat = try await server.kubectl(["exec", "-i", "one", "--", "cat"], stdin: "over tls\n")
            #expect(cat.stdout == "over tls\n", "\(cat.stderr)")
            let logs = try await server.kubectl(["logs", "two", "-c", "b", "--tail=2"])
            #expect(logs.stdout == "b2\nb3\n", "\(logs.stderr)")
            let missing = try await server.kubectl(["exec", "nope", "--", "ls"])
            #expect(missing.stderr.contains(#"pods "nope" not found"#), "\(missing.stderr)")
            // Ordinary requests still work on the same listener.
            let pods = try await server.kubectl(["get", "pods", "-o", "name"])
            #expect(pods.stdout.contains("pod/one"), "\(pods.stderr)")
        }
    }

    /// kubectl before 1.30 streams over SPDY only: it gets a clear refusal instead of a hang.
    @Test(.enabled(if: Kubectl.path("kubectl.1.29") != nil, "needs kubectl.1.29"))
    func spdyOnlyKubectlIsToldToUpgrade() async throws {
        try await StreamingTestServer.with(backend: FakePodStreamingBackend()) { server in
            let old = try await server.kubectl(["exec", "one", "--", "echo", "x"], binary: "kubectl.1.29")
            #expect(old.status != 0)
            #expect(old.stderr.contains("SPDY/3.1 streaming is not supported by this server"), "\(old.stderr)")
            // Logs are plain HTTP and work with any version.
            let logs = try await server.kubectl(["logs", "one"], binary: "kubectl.1.29")
            #expect(logs.stdout == "main log\n", "\(logs.stderr)")
        }
    }
}
