import Foundation
import KubeCore
import Testing

/// The WebSocket upgrade and the remote-command protocol frame by frame, over a real socket to an in-process
/// API server with `FakePodStreamingBackend`.
struct WebSocketStreamingE2ETests {
    static let execPath = "/api/v1/namespaces/default/pods/one/exec"

    static func text(_ frame: RawWebSocketClient.Frame?) -> String {
        String(decoding: frame?.payload.dropFirst() ?? [], as: UTF8.self)
    }

    @Test func execWithStdinEchoesAndEndsWithSuccess() async throws {
        try await StreamingTestServer.with(backend: FakePodStreamingBackend()) { server in
            try await onThread {
                let client = try RawWebSocketClient(port: server.port)
                let reply = try client.handshake(
                    target: Self.execPath + "?command=cat&stdin=true&stdout=true&stderr=true",
                    protocols: ["v5.channel.k8s.io"])
                #expect(reply.status == 101)
                #expect(reply.headers["sec-websocket-protocol"] == "v5.channel.k8s.io")
                #expect(reply.headers["sec-websocket-accept"] == RawWebSocketClient.expectedAccept)
                // The empty message on stdout announces the streams.
                #expect(try client.readFrame() == .init(opcode: 0x2, payload: [1]))
                try client.send(opcode: 0x9, Array("hi".utf8))
                #expect(try client.readFrame() == .init(opcode: 0xA, payload: Array("hi".utf8)))
                try client.sendBinary([0] + Array("abc".utf8))
                #expect(try client.readFrame() == .init(opcode: 0x2, payload: [1] + Array("abc".utf8)))
                // v5 close signal: stdin EOF ends `cat`.
                try client.sendBinary([255, 0])
                let status = try client.readFrame()
                #expect(status?.payload.first == 3)
                #expect(Self.text(status) == #"{"metadata":{},"status":"Success"}"#)
                #expect(try client.readFrame() == .init(opcode: 0x8, payload: [0x03, 0xE8]))
                try client.send(opcode: 0x8, [0x03, 0xE8])
                #expect(try client.serverClosed())
            }
        }
    }

    @Test func nonZeroExitIsReportedOnTheErrorChannel() async throws {
        try await StreamingTestServer.with(backend: FakePodStreamingBackend()) { server in
            try await onThread {
                let client = try RawWebSocketClient(port: server.port)
                let reply = try client.handshake(method: "POST", target: Self.execPath + "?command=fail&command=3&stdout=1&stderr=1",
                                                 protocols: ["v5.channel.k8s.io"])
                #expect(reply.status == 101)
                #expect(try client.readFrame()?.payload == [1])
                let stderr = try client.readFrame()
                #expect(stderr?.payload.first == 2)
                #expect(Self.text(stderr) == "failing\n")
                let status = try client.readFrame()
                #expect(status?.payload.first == 3)
                let json = try JSONValueParser.parse(status?.payload.dropFirst() ?? [])
                #expect(json["status"] == "Failure")
                #expect(json["reason"] == "NonZeroExitCode")
                #expect(json["details"]?["causes"]?[0]?["reason"] == "ExitCode")
                #expect(json["details"]?["causes"]?[0]?["message"] == "3")
                #expect(json["message"] == "command terminated with non-zero exit code: command terminated with exit code 3")
                #expect(try client.readFrame()?.opcode == 0x8)
            }
        }
    }

    @Test func resizeEventsAndTheV4Protocol() async throws {
        try await StreamingTestServer.with(backend: FakePodStreamingBackend()) { server in
            try await onThread {
                let client = try RawWebSocketClient(port: server.port)
                let reply = try client.handshake(target: Self.execPath + "?command=size&stdout=true&tty=true",
                                                 protocols: ["v4.channel.k8s.io"])
                #expect(reply.status == 101)
                #expect(reply.headers["sec-websocket-protocol"] == "v4.channel.k8s.io")
                #expect(try client.readFrame()?.payload == [1])
                try client.sendBinary([4] + Array(#"{"Width":100,"Height":40}"#.utf8))
                #expect(Self.text(try client.readFrame()) == "100x40\n")
                #expect(Self.text(try client.readFrame()) == #"{"metadata":{},"status":"Success"}"#)
            }
        }
    }

    @Test func commandsThatCannotStartReportAStatus() async throws {
        try await StreamingTestServer.with(backend: FakePodStreamingBackend()) { server in
            try await onThread {
                let client = try RawWebSocketClient(port: server.port)
                _ = try client.handshake(target: Self.execPath + "?command=missing&stdout=true",
                                         protocols: ["v5.channel.k8s.io"])
                #expect(try client.readFrame()?.payload == [1])
                let status = try JSONValueParser.parse(try client.readFrame()?.payload.dropFirst() ?? [])
                #expect(status["reason"] == "InternalError")
                #expect(status["code"] == 500)
                #expect(status["message"] == #"Internal error occurred: error executing command in container: exec: "missing": executable file not found in $PATH"#)
            }
        }
    }

    @Test func refusedUpgradesAreAnsweredWithStatuses() async throws {
        try await StreamingTestServer.with(backend: FakePodStreamingBackend()) { server in
            try await onThread {
                let missing = try RawWebSocketClient(port: server.port).handshake(
                    target: "/api/v1/namespaces/default/pods/nope/exec?command=ls&stdout=true",
                    protocols: ["v5.channel.k8s.io"])
                #expect(missing.status == 404)
                #expect(missing.body.contains(#"pods \"nope\" not found"#), "\(missing.body)")
                let container = try RawWebSocketClient(port: server.port).handshake(
                    target: "/api/v1/namespaces/default/pods/two/exec?command=ls&stdout=true",
                    protocols: ["v5.channel.k8s.io"])
                #expect(container.status == 400)
                #expect(container.body.contains(
                    "a container name must be specified for pod two, choose one of: [setup a b]"), "\(container.body)")
                let oldProtocol = try RawWebSocketClient(port: server.port).handshake(
                    target: Self.execPath + "?command=ls&stdout=true", protocols: ["channel.k8s.io"])
                #expect(oldProtocol.status == 400)
                #expect(oldProtocol.body.contains("v5.channel.k8s.io"), "\(oldProtocol.body)")
                let noStreams = try RawWebSocketClient(port: server.port).handshake(
                    target: Self.execPath + "?command=ls", protocols: ["v5.channel.k8s.io"])
                #expect(noStreams.status == 400)
                #expect(noStreams.body.contains("you must specify at least 1 of stdin, stdout, stderr"))
                let spdy = try RawWebSocketClient(port: server.port).handshake(
                    method: "POST", target: Self.execPath + "?command=ls&stdout=true", protocols: [],
                    upgrade: "SPDY/3.1")
                #expect(spdy.status == 400)
                #expect(spdy.body.contains("SPDY/3.1 streaming is not supported"), "\(spdy.body)")
            }
        }
    }

    @Test func attachStreamsTheMainProcess() async throws {
        let backend = FakePodStreamingBackend()
        try await StreamingTestServer.with(backend: backend) { server in
            try await onThread {
                let client = try RawWebSocketClient(port: server.port)
                let reply = try client.handshake(
                    target: "/api/v1/namespaces/default/pods/two/attach?container=b&stdout=true&stderr=true",
                    protocols: ["v5.channel.k8s.io"])
                #expect(reply.status == 101)
                #expect(try client.readFrame()?.payload == [1])
                #expect(Self.text(try client.readFrame()) == "attached\n")
                #expect(Self.text(try client.readFrame()) == #"{"metadata":{},"status":"Success"}"#)
            }
        }
        #expect(backend.recordedCalls == ["attach default/two/b"])
    }
}
