import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// One exec or attach session over an upgraded WebSocket (remote-command protocol v5 or v4), the server side
/// of client-go's `wsStreamExecutor` as kube-apiserver's stream translator plays it:
///
/// 1. an empty message on the lowest writable channel (stdout, else stderr, else error) tells the client the
///    streams are ready;
/// 2. client messages feed the backend's stdin (channel 0; `[255, 0]` closes it) and resize events
///    (channel 4); pings are answered;
/// 3. the backend's output goes out on channels 1 and 2;
/// 4. when the command ends, its Status goes out on channel 3, then a close frame (1000); the server waits
///    (bounded) for the client to close, so output still in flight is not cut off.
///
/// A client that goes away first cancels the backend call. Sendable; `run` owns the connection until it
/// returns.
struct ContainerStreamSession: Sendable {
    let prepared: PreparedContainerStream
    let logger: Logger
    /// How long to wait for the client's close after the final Status (upstream: 15 minutes).
    var finishTimeout: Duration = .seconds(60)

    func run(_ channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await serve(inbound: inbound, outbound: outbound)
            }
        } catch {
            logger.debug("Container stream connection ended with an error", metadata: metadata(["error": "\(error)"]))
        }
    }

    private enum Event: Sendable {
        case clientClosed
        case backendFinished(Result<ContainerStreamExit, any Error>)
        case finishTimedOut
    }

    private func serve(inbound: NIOAsyncChannelInboundStream<WebSocketFrame>,
                       outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>) async throws {
        let writer = SessionWriter(outbound: outbound)
        let streams = prepared.streams
        let ready: RemoteCommandChannel = streams.stdout ? .stdout : streams.stderr ? .stderr : .error
        await writer.send(ready, [])

        let stdinQueue = StreamChunkQueue(byteLimit: 1 << 20)
        if !streams.stdin { stdinQueue.finish() }
        let stdin = AsyncStream<[UInt8]>(unfolding: { await stdinQueue.next() })
        let (resize, resizeSink) = AsyncStream.makeStream(of: TerminalSize.self, bufferingPolicy: .bufferingNewest(8))
        let clientGone = SharedFlag()
        let io = ContainerStreamIO(
            stdin: stdin, resize: resize,
            stdout: { bytes in if streams.stdout, !bytes.isEmpty { await writer.send(.stdout, bytes) } },
            stderr: { bytes in if streams.stderr, !bytes.isEmpty { await writer.send(.stderr, bytes) } },
            clientGone: { clientGone.isSet })
        let prepared = self.prepared
        let subprotocol = prepared.subprotocol

        await withTaskGroup(of: Event.self) { group in
            group.addTask {
                await Self.readClient(inbound: inbound, writer: writer, subprotocol: subprotocol,
                                      stdin: streams.stdin ? stdinQueue : nil, resize: resizeSink)
                _ = clientGone.setOnce()
                stdinQueue.finish()
                resizeSink.finish()
                return .clientClosed
            }
            group.addTask {
                do {
                    let exit = switch prepared.kind {
                    case .exec:
                        try await prepared.backend.exec(prepared.target, command: prepared.command,
                                                        streams: streams, io: io)
                    case .attach:
                        try await prepared.backend.attach(prepared.target, streams: streams, io: io)
                    }
                    return .backendFinished(.success(exit))
                } catch {
                    return .backendFinished(.failure(error))
                }
            }
            guard let first = await group.next() else { return }
            switch first {
            case .clientClosed, .finishTimedOut:
                // The client left first: stop the command's session and wait for the backend to return.
                group.cancelAll()
                while await group.next() != nil {}
            case .backendFinished(let result):
                stdinQueue.finish()
                resizeSink.finish()
                await writer.send(.error, statusBytes(result))
                await writer.close()
                let timeout = finishTimeout
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return .finishTimedOut
                }
                _ = await group.next()
                group.cancelAll()
            }
        }
    }

    private func statusBytes(_ result: Result<ContainerStreamExit, any Error>) -> [UInt8] {
        switch result {
        case .success(let exit):
            return RemoteCommandStatus.exit(exit)
        case .failure(let error):
            let apiError = PodStreamingError.apiError(error, target: prepared.target)
            if !(error is PodStreamingError) {
                logger.warning("Container stream failed", metadata: metadata(["error": "\(error)"]))
            }
            return RemoteCommandStatus.failure(apiError)
        }
    }

    /// Reads client frames until the client closes or the connection ends.
    private static func readClient(inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, writer: SessionWriter,
                                   subprotocol: RemoteCommandProtocol, stdin: StreamChunkQueue?,
                                   resize: AsyncStream<TerminalSize>.Continuation) async {
        do {
            for try await frame in inbound {
                switch frame.opcode {
                case .binary, .text:
                    var data = frame.unmaskedData
                    let message = data.readBytes(length: data.readableBytes) ?? []
                    switch subprotocol.decodeClientMessage(message) {
                    case .stdin(let bytes):
                        await stdin?.push(bytes)
                    case .resize(let size):
                        resize.yield(size)
                    case .closeStream(let channel):
                        if channel == RemoteCommandChannel.stdin.rawValue { stdin?.finish() }
                        if channel == RemoteCommandChannel.resize.rawValue { resize.finish() }
                    case .ignored:
                        break
                    }
                case .ping:
                    await writer.pong(frame.unmaskedData)
                case .connectionClose:
                    var data = frame.unmaskedData
                    await writer.close(replyingTo: data.readSlice(length: 2))
                    return
                default:
                    break
                }
            }
        } catch {
            // The connection broke: same as the client leaving.
        }
    }

    private func metadata(_ extra: Logger.Metadata) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "pod": "\(prepared.target.namespace)/\(prepared.target.podName)",
            "container": "\(prepared.target.containerName)", "subresource": "\(prepared.kind.rawValue)",
        ]
        metadata.merge(extra) { $1 }
        return metadata
    }
}

/// Writes a session's frames; after the close frame nothing else is sent. Write failures (the client is gone)
/// are dropped: the reader notices the end of the connection.
///
/// Thread-safe: the outbound writer accepts concurrent writers; the closed flag is atomic.
private struct SessionWriter: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
    private let closed = SharedFlag()

    init(outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>) {
        self.outbound = outbound
    }

    func send(_ channel: RemoteCommandChannel, _ payload: [UInt8]) async {
        guard !closed.isSet else { return }
        let bytes = RemoteCommandProtocol.frame(channel, payload)
        try? await outbound.write(WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: bytes)))
    }

    func pong(_ data: ByteBuffer) async {
        guard !closed.isSet else { return }
        try? await outbound.write(WebSocketFrame(fin: true, opcode: .pong, data: data))
    }

    /// Sends the close frame (1000 normal closure, or echoing the client's code) once.
    func close(replyingTo code: ByteBuffer? = nil) async {
        guard closed.setOnce() else { return }
        var data = ByteBuffer()
        if let code, code.readableBytes == 2 {
            data = code
        } else {
            data.write(webSocketErrorCode: .normalClosure)
        }
        try? await outbound.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: data))
    }
}

/// A flag set once, shared by the copies of a value.
///
/// Thread-safe (an `Atomic`).
fileprivate final class SharedFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    /// Sets the flag; true if this call set it.
    func setOnce() -> Bool {
        value.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
