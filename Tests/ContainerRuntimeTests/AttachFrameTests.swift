import ContainerRuntime
import Testing

/// The attach protocol's frame codec and the stdin policy the shim applies (pure; no processes).
struct AttachFrameTests {
    static let everyKind: [AttachFrame] = [
        .open(stdin: true), .open(stdin: false), .stdin(Array("hello".utf8)), .stdin([]), .closeStdin,
        .resize(columns: 513, rows: 40), .welcome(stdinOpen: true, tty: false), .welcome(stdinOpen: false, tty: true),
        .stdout([0, 255, 10]), .stderr(Array("oops\n".utf8)),
    ]

    @Test func everyFrameRoundTripsThroughTheDecoder() throws {
        var decoder = AttachFrameDecoder()
        decoder.push(Self.everyKind.flatMap(\.encoded))
        var decoded: [AttachFrame] = []
        while let frame = try decoder.next() { decoded.append(frame) }
        #expect(decoded == Self.everyKind)
        #expect(decoder.pendingByteCount == 0)
    }

    @Test func theWireFormatIsTypeLengthPayload() {
        #expect(AttachFrame.stdin(Array("hi".utf8)).encoded == [0x02, 0, 0, 0, 2, 0x68, 0x69])
        #expect(AttachFrame.resize(columns: 0x0102, rows: 0x0304).encoded == [0x04, 0, 0, 0, 4, 1, 2, 3, 4])
        #expect(AttachFrame.welcome(stdinOpen: true, tty: true).encoded == [0x81, 0, 0, 0, 1, 3])
        #expect(AttachFrame.closeStdin.encoded == [0x03, 0, 0, 0, 0])
    }

    @Test func framesSplitAcrossReadsWaitForTheirLastByte() throws {
        let bytes = AttachFrame.stdout(Array("partial output".utf8)).encoded + AttachFrame.closeStdin.encoded
        var decoder = AttachFrameDecoder()
        var decoded: [AttachFrame] = []
        for byte in bytes {
            decoder.push([byte])
            while let frame = try decoder.next() { decoded.append(frame) }
        }
        #expect(decoded == [.stdout(Array("partial output".utf8)), .closeStdin])
    }

    @Test func largeDataIsSplitIntoFramesOfAtMostTheMaximumPayload() throws {
        let data = [UInt8](repeating: 7, count: AttachFrame.maximumPayload * 2 + 10)
        let bytes = AttachFrame.encodedData(data) { .stdout($0) }
        var decoder = AttachFrameDecoder()
        decoder.push(bytes)
        var sizes: [Int] = []
        var joined: [UInt8] = []
        while let frame = try decoder.next() {
            guard case .stdout(let chunk) = frame else { Issue.record("unexpected \(frame)"); return }
            sizes.append(chunk.count)
            joined += chunk
        }
        #expect(sizes == [AttachFrame.maximumPayload, AttachFrame.maximumPayload, 10])
        #expect(joined == data)
    }

    @Test func malformedFramesAreRejected() {
        var unknown = AttachFrameDecoder()
        unknown.push([0x7f, 0, 0, 0, 0])
        #expect(throws: AttachProtocolError.self) { _ = try unknown.next() }

        var oversized = AttachFrameDecoder()
        oversized.push([0x82, 0x7f, 0xff, 0xff, 0xff])
        #expect(throws: AttachProtocolError.self) { _ = try oversized.next() }

        var shortResize = AttachFrameDecoder()
        shortResize.push([0x04, 0, 0, 0, 2, 1, 2])
        #expect(throws: AttachProtocolError.self) { _ = try shortResize.next() }

        var nonEmptyClose = AttachFrameDecoder()
        nonEmptyClose.push([0x03, 0, 0, 0, 1, 0])
        #expect(throws: AttachProtocolError.self) { _ = try nonEmptyClose.next() }
    }

    @Test func stdinEndEndsTheSessionUnlessStdinOnceClosesTheContainersStdin() {
        let plain = ContainerStdio(stdin: true)
        let once = ContainerStdio(stdin: true, stdinOnce: true)
        #expect(AttachStdinPolicy.clientStdinEnded(stdio: plain, clientSendsStdin: true, containerStdinOpen: true)
            == .init(closeContainerStdin: false, endSession: true))
        #expect(AttachStdinPolicy.clientStdinEnded(stdio: once, clientSendsStdin: true, containerStdinOpen: true)
            == .init(closeContainerStdin: true, endSession: false))
        #expect(AttachStdinPolicy.clientStdinEnded(stdio: once, clientSendsStdin: true, containerStdinOpen: false)
            == .init())
        // A client without stdin, or a container without stdin: nothing to close, the session goes on.
        #expect(AttachStdinPolicy.clientStdinEnded(stdio: once, clientSendsStdin: false, containerStdinOpen: true)
            == .init())
        #expect(AttachStdinPolicy.clientStdinEnded(stdio: ContainerStdio(), clientSendsStdin: true,
                                                   containerStdinOpen: false) == .init())
    }

    @Test func aStdinClientLeavingClosesAStdinOnceContainersStdin() {
        let once = ContainerStdio(stdin: true, stdinOnce: true, tty: true)
        #expect(AttachStdinPolicy.clientLeft(stdio: once, clientSendsStdin: true, clientStdinEnded: false,
                                             containerStdinOpen: true).closeContainerStdin)
        #expect(!AttachStdinPolicy.clientLeft(stdio: once, clientSendsStdin: false, clientStdinEnded: false,
                                              containerStdinOpen: true).closeContainerStdin)
        #expect(!AttachStdinPolicy.clientLeft(stdio: ContainerStdio(stdin: true), clientSendsStdin: true,
                                              clientStdinEnded: false, containerStdinOpen: true).closeContainerStdin)
    }

    @Test func theRuntimeSpecAsksForATerminalOnlyWithTTY() {
        let builder = RuntimeSpecBuilder(hostLimits: .init(openFilesHardLimit: 1024))
        var configuration = ContainerConfiguration(id: "c", bundleDirectory: "/b", rootfs: "/r", args: ["sh"], logPath: "/l")
        #expect(builder.spec(for: configuration).process.terminal == false)
        configuration.stdio = ContainerStdio(stdin: true, stdinOnce: true, tty: true)
        #expect(builder.spec(for: configuration).process.terminal == true)
    }
}
