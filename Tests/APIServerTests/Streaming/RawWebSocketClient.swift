import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking WebSocket client over a TCP socket to 127.0.0.1, for driving the API server's
/// upgrade handling frame by frame. Every read has a 30 s socket timeout, so a test fails instead of hanging.
///
/// Not thread-safe: use from one thread (see `onThread`).
final class RawWebSocketClient {
    struct HandshakeReply {
        var status: Int
        /// Lower-case header names.
        var headers: [String: String]
        /// The body of a refused upgrade (read until the server closes).
        var body: String
    }

    struct Frame: Equatable {
        var opcode: UInt8
        var payload: [UInt8]
    }

    private let socket: Int32
    private var pending: [UInt8] = []

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw RawWebSocketError.io("socket") }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(socket)
            throw RawWebSocketError.io("connect")
        }
    }

    deinit {
        close(socket)
    }

    static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    /// RFC 6455's example accept value for `key`.
    static let expectedAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    /// Sends the upgrade request and reads the reply head (and, for a non-101 reply, the body).
    func handshake(method: String = "GET", target: String, protocols: [String],
                   upgrade: String = "websocket") throws -> HandshakeReply {
        var request = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: \(upgrade)\r\n"
        request += "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: \(Self.key)\r\n"
        if !protocols.isEmpty { request += "Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n" }
        if method == "POST" { request += "Content-Length: 0\r\n" }
        request += "\r\n"
        try write(Array(request.utf8))
        while true {
            if let end = Self.headEnd(pending) {
                let head = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeFirst(end + 4)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                        .trimmingCharacters(in: .whitespaces)
                }
                let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
                var body = ""
                if status != 101 {
                    let length = Int(headers["content-length"] ?? "") ?? 0
                    while pending.count < length, try fill() {}
                    body = String(decoding: pending.prefix(length), as: UTF8.self)
                }
                return HandshakeReply(status: status, headers: headers, body: body)
            }
            guard try fill() else { throw RawWebSocketError.closed }
        }
    }

    /// Sends one masked frame.
    func send(opcode: UInt8, _ payload: [UInt8]) throws {
        var frame: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame.append(0x80 | 126)
            frame.append(UInt8(payload.count >> 8))
            frame.append(UInt8(payload.count & 0xff))
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame.append(contentsOf: mask)
        for (index, byte) in payload.enumerated() { frame.append(byte ^ mask[index % 4]) }
        try write(frame)
    }

    func sendBinary(_ payload: [UInt8]) throws {
        try send(opcode: 0x2, payload)
    }

    /// The next frame, or nil when the server closed the connection.
    func readFrame() throws -> Frame? {
        while true {
            if pending.count >= 2 {
                let opcode = pending[0] & 0x0f
                var length = Int(pending[1] & 0x7f)
                var offset = 2
                if length == 126 {
                    guard pending.count >= 4 else { if try !fill() { return nil }; continue }
                    length = Int(pending[2]) << 8 | Int(pending[3])
                    offset = 4
                } else if length == 127 {
                    guard pending.count >= 10 else { if try !fill() { return nil }; continue }
                    length = pending[2..<10].reduce(0) { $0 << 8 | Int($1) }
                    offset = 10
                }
                if pending.count >= offset + length {
                    let payload = Array(pending[offset..<(offset + length)])
                    pending.removeFirst(offset + length)
                    return Frame(opcode: opcode, payload: payload)
                }
            }
            guard try fill() else { return nil }
        }
    }

    /// Reads until the server closes the connection; true if it did (false: data arrived instead).
    func serverClosed() throws -> Bool {
        pending.isEmpty ? try !fill() : false
    }

    private func fill() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = read(socket, &buffer, buffer.count)
        if count < 0 { throw RawWebSocketError.io("read (errno \(errno))") }
        if count == 0 { return false }
        pending.append(contentsOf: buffer[0..<count])
        return true
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(socket, $0.baseAddress, $0.count) }
            guard written > 0 else { throw RawWebSocketError.io("write") }
            offset += written
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}

enum RawWebSocketError: Error {
    case io(String)
    case closed
}

/// Runs blocking work on a thread of its own (never on Swift's cooperative pool).
func onThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            do {
                continuation.resume(returning: try work())
            } catch {
                continuation.resume(throwing: error)
            }
        }.start()
    }
}
