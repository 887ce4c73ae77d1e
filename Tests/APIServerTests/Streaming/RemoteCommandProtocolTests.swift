@testable import APIServer
import KubeCore
import Testing

/// The pure parts of pods/exec and pods/attach: subprotocol choice, channel frames, resize events, the Status
/// written on the error channel, and the first-request sniffing.
struct RemoteCommandProtocolTests {
    @Test func negotiationFollowsTheClientsOrder() {
        #expect(RemoteCommandProtocol.negotiate(offered: ["v5.channel.k8s.io"]) == .v5)
        #expect(RemoteCommandProtocol.negotiate(offered: ["v4.channel.k8s.io", "v5.channel.k8s.io"]) == .v4)
        #expect(RemoteCommandProtocol.negotiate(offered: ["channel.k8s.io", "base64.channel.k8s.io"]) == nil)
        #expect(RemoteCommandProtocol.negotiate(offered: []) == nil)
        #expect(RemoteCommandProtocol.offered(in: ["v5.channel.k8s.io, v4.channel.k8s.io", "x"])
            == ["v5.channel.k8s.io", "v4.channel.k8s.io", "x"])
    }

    @Test func clientMessagesDecodeByChannel() {
        let v5 = RemoteCommandProtocol.v5
        #expect(v5.decodeClientMessage([0, 104, 105]) == .stdin([104, 105]))
        #expect(v5.decodeClientMessage([0]) == .ignored)
        #expect(v5.decodeClientMessage([]) == .ignored)
        #expect(v5.decodeClientMessage([255, 0]) == .closeStream(channel: 0))
        #expect(v5.decodeClientMessage([255]) == .ignored)
        #expect(v5.decodeClientMessage([1, 1, 2]) == .ignored)
        #expect(v5.decodeClientMessage([4] + Array(#"{"Width":80,"Height":24}"#.utf8))
            == .resize(TerminalSize(width: 80, height: 24)))
        #expect(v5.decodeClientMessage([4] + Array(#"{"width":1,"height":2}"#.utf8))
            == .resize(TerminalSize(width: 1, height: 2)))
        #expect(v5.decodeClientMessage([4] + Array("not json".utf8)) == .ignored)
        #expect(v5.decodeClientMessage([4] + Array(#"{"Width":-1,"Height":2}"#.utf8)) == .ignored)
        // v4 has no close signal.
        #expect(RemoteCommandProtocol.v4.decodeClientMessage([255, 0]) == .ignored)
    }

    @Test func serverFramesPrefixTheChannel() {
        #expect(RemoteCommandProtocol.frame(.stdout, Array("ok".utf8)) == [1, 111, 107])
        #expect(RemoteCommandProtocol.frame(.stderr, []) == [2])
        #expect(RemoteCommandProtocol.frame(.error, [123]) == [3, 123])
    }

    @Test func exitStatusesAreUpstreamStatusJSON() throws {
        let success = String(decoding: RemoteCommandStatus.exit(ContainerStreamExit(exitCode: 0)), as: UTF8.self)
        #expect(success == #"{"metadata":{},"status":"Success"}"#)
        let failure = try JSONValueParser.parse(RemoteCommandStatus.exit(ContainerStreamExit(exitCode: 3)))
        #expect(failure["status"] == "Failure")
        #expect(failure["reason"] == "NonZeroExitCode")
        #expect(failure["message"] == "command terminated with non-zero exit code: command terminated with exit code 3")
        #expect(failure["details"] == ["causes": [["reason": "ExitCode", "message": "3"]]])
        #expect(failure["code"] == nil)
        #expect(failure["kind"] == nil)
    }

    @Test func failuresCarryReasonCodeAndCauses() throws {
        let internalError = try JSONValueParser.parse(RemoteCommandStatus.failure(.internalError("boom")))
        #expect(internalError["status"] == "Failure")
        #expect(internalError["message"] == "Internal error occurred: boom")
        #expect(internalError["reason"] == "InternalError")
        #expect(internalError["code"] == 500)
        #expect(internalError["details"] == ["causes": [["message": "boom"]]])
        let plain = try JSONValueParser.parse(RemoteCommandStatus.failure(.badRequest("no")))
        #expect(plain["reason"] == "BadRequest")
        #expect(plain["code"] == 400)
        #expect(plain["details"] == nil)
    }

    @Test func backendErrorsMapToUpstreamMessages() {
        let target = PodStreamTarget(namespace: "ns", podName: "p", podUID: "u", nodeName: "n", containerName: "c")
        #expect(PodStreamingError.containerNotFound.apiError(for: target).message
            == #"container "c" in pod "p" is not available"#)
        let waiting = PodStreamingError.containerNotRunning(reason: "waiting to start: ContainerCreating")
            .apiError(for: target)
        #expect(waiting.message == #"container "c" in pod "p" is waiting to start: ContainerCreating"#)
        #expect(waiting.httpStatusCode == 400)
        #expect(waiting.reason == .badRequest)
        #expect(PodStreamingError.previousNotFound.apiError(for: target).message
            == #"previous terminated container "c" in pod "p" not found"#)
        let unreachable = PodStreamingError.nodeUnavailable(message: "dial failed").apiError(for: target)
        #expect(unreachable.httpStatusCode == 500)
        #expect(unreachable.reason == .unknown)
        #expect(PodStreamingError.apiError(CancellationError(), target: target).httpStatusCode == 500)
    }

    @Test func firstRequestHeadsAreClassified() {
        func classify(_ text: String) -> FirstRequestHead.Kind { FirstRequestHead.classify(Array(text.utf8)) }
        #expect(classify("GET /api HTTP/1.1\r\nHost: x\r\n") == .incomplete)
        #expect(classify("GET /api HTTP/1.1\r\nHost: x\r\n\r\n") == .plain)
        #expect(classify("GET /x HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade:  WebSocket \r\n\r\n") == .webSocketUpgrade)
        #expect(classify("POST /x HTTP/1.1\r\nUpgrade: SPDY/3.1\r\n\r\n") == .plain)
        // A header value that merely mentions websocket is not an upgrade.
        #expect(classify("GET /x HTTP/1.1\r\nX-Note: upgrade: websocket\r\n\r\n") == .plain)
        #expect(classify("GET /x HTTP/1.1\r\nX: " + String(repeating: "a", count: 70_000)) == .plain)
    }
}
