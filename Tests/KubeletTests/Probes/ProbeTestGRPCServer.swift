import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A minimal cleartext HTTP/2 server on 127.0.0.1 answering `grpc.health.v1.Health/Check` as the test
/// scripts, for gRPC probe tests. Records each call's header block and request message. Runs on its own
/// threads (blocking sockets); thread-safe.
final class ProbeTestGRPCServer: Sendable {
    enum Reply: Sendable {
        /// A response message with this status (1 = SERVING, 2 = NOT_SERVING).
        case status(UInt8)
        /// Trailers only (what a server without the health service answers).
        case trailersOnly
        /// Never answer.
        case hang
    }

    struct Call: Sendable {
        var headerBlock: [UInt8]
        var message: [UInt8]
    }

    let port: Int
    private let listener: Int32
    private let reply: Reply
    private struct State {
        var calls: [Call] = []
        var stopped = false
        var held: [Int32] = []
    }
    private let state = Mutex(State())

    init(reply: Reply) throws {
        self.reply = reply
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EIO) }
        listener = fd
        port = ProbeTestSockets.localPort(of: fd)
        Thread { [self] in acceptLoop() }.start()
    }

    var calls: [Call] { state.withLock { $0.calls } }

    func stop() {
        let held = state.withLock { state -> [Int32] in
            state.stopped = true
            defer { state.held = [] }
            return state.held
        }
        for fd in held { close(fd) }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !state.withLock({ $0.stopped }) {
            var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 50) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        func fill(_ count: Int) -> Bool {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while buffer.count < count {
                let received = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                if received <= 0 { return false }
                buffer.append(contentsOf: chunk[..<received])
            }
            return true
        }
        guard fill(24) else {
            close(connection)
            return
        }
        buffer.removeFirst(24)  // client preface
        var headerBlock: [UInt8] = []
        var message: [UInt8] = []
        while true {
            guard fill(9) else {
            close(connection)
            return
        }
            let length = Int(buffer[0]) << 16 | Int(buffer[1]) << 8 | Int(buffer[2])
            guard fill(9 + length) else {
            close(connection)
            return
        }
            let type = buffer[3]
            let flags = buffer[4]
            let payload = Array(buffer[9..<(9 + length)])
            buffer.removeFirst(9 + length)
            if type == 0x1 { headerBlock += payload }
            if type == 0x0 {
                message += payload
                if flags & 0x1 != 0 { break }
            }
        }
        state.withLock { $0.calls.append(Call(headerBlock: headerBlock, message: message)) }

        var response = frame(type: 0x4, flags: 0, stream: 0, payload: [])
        switch reply {
        case .hang:
            let keep = state.withLock { state -> Bool in
                if state.stopped { return false }
                state.held.append(connection)
                return true
            }
            if !keep { close(connection) }
            return
        case .trailersOnly:
            response += frame(type: 0x1, flags: 0x5, stream: 1,
                              payload: [0x88] + literal("grpc-status", "12") + literal("grpc-message", "unknown service"))
        case .status(let status):
            response += frame(type: 0x1, flags: 0x4, stream: 1, payload: [0x88] + literal("content-type", "application/grpc"))
            response += frame(type: 0x0, flags: 0, stream: 1, payload: [0, 0, 0, 0, 2, 0x08, status])
            response += frame(type: 0x1, flags: 0x5, stream: 1, payload: literal("grpc-status", "0"))
        }
        _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        // Let the client read everything and close first.
        var sink = [UInt8](repeating: 0, count: 256)
        while (sink.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }) > 0 {}
        close(connection)
    }

    private func frame(type: UInt8, flags: UInt8, stream: UInt8, payload: [UInt8]) -> [UInt8] {
        [0, UInt8(payload.count >> 8), UInt8(payload.count & 0xff), type, flags, 0, 0, 0, stream] + payload
    }

    private func literal(_ name: String, _ value: String) -> [UInt8] {
        [0x00, UInt8(name.utf8.count)] + Array(name.utf8) + [UInt8(value.utf8.count)] + Array(value.utf8)
    }
}
