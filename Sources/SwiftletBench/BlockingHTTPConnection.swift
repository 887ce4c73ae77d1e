import Glibc

/// A minimal blocking HTTP/1.1 client connection with keep-alive, to a port on 127.0.0.1 only.
///
/// Concurrency contract: not thread-safe and deliberately not Sendable. One thread owns a connection and
/// sends one request at a time; every call blocks that thread (never call it on Swift's cooperative pool).
/// Understands `Content-Length` and `Transfer-Encoding: chunked` responses; reconnects once when a kept-alive
/// connection turns out to be closed before any response byte arrived.
final class BlockingHTTPConnection {
    /// A response: status code and body (headers are not kept).
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    let port: UInt16
    /// How long one send or receive may block before the request fails.
    let timeoutSeconds: Int
    private var socket: Int32 = -1
    private var buffer: [UInt8] = []
    private var readIndex = 0

    init(port: UInt16, timeoutSeconds: Int = 60) throws {
        self.port = port
        self.timeoutSeconds = timeoutSeconds
        try connect()
    }

    deinit { close() }

    func close() {
        if socket >= 0 {
            Glibc.close(socket)
            socket = -1
        }
    }

    /// Sends `method path` with `body` (as JSON when not empty) and reads the whole response.
    func request(_ method: String, _ path: String, body: [UInt8] = []) throws -> Response {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if !body.isEmpty || method == "POST" {
            head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        let message = Array(head.utf8) + body
        for attempt in 0..<2 {
            if socket < 0 { try connect() }
            do {
                try sendAll(message)
                return try readResponse()
            } catch BlockingHTTPConnection.Failure.closedBeforeResponse where attempt == 0 {
                close()  // a stale keep-alive connection: reconnect and send again
            }
        }
        throw StoreBenchmarkError.http("127.0.0.1:\(port) closed the connection twice before answering")
    }

    private enum Failure: Error { case closedBeforeResponse }

    // MARK: - Socket

    private func connect() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StoreBenchmarkError.http("socket() failed: \(Self.errorText())") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian  // 127.0.0.1, never anything else
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let text = Self.errorText()
            Glibc.close(fd)
            throw StoreBenchmarkError.http("connect to 127.0.0.1:\(port) failed: \(text)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)  // a hung server fails instead of hanging us
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        socket = fd
        buffer.removeAll(keepingCapacity: true)
        readIndex = 0
    }

    private func sendAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(socket, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE || errno == ECONNRESET { throw Failure.closedBeforeResponse }
                    throw StoreBenchmarkError.http("send failed: \(Self.errorText())")
                }
                offset += sent
            }
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws -> Bool {
        let chunk = 64 * 1024
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        while true {
            let received = buffer.withUnsafeMutableBytes { raw in
                Glibc.recv(socket, raw.baseAddress! + start, chunk, 0)
            }
            if received < 0 && errno == EINTR { continue }
            if received < 0 {
                buffer.removeLast(chunk)
                if errno == ECONNRESET { return false }
                throw StoreBenchmarkError.http("recv failed: \(Self.errorText())")
            }
            buffer.removeLast(chunk - received)
            return received > 0
        }
    }

    // MARK: - Response parsing

    private func readResponse() throws -> Response {
        // Drop the previous response; offsets into the buffer stay valid while this one is read.
        buffer.removeFirst(readIndex)
        readIndex = 0
        let responseStart = readIndex
        let headEnd = try readUntilBlankLine(sawNothingYet: true)
        let head = String(decoding: buffer[responseStart..<headEnd], as: UTF8.self)
        readIndex = headEnd + 4
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).makeIterator()
        let statusLine = lines.next() ?? ""
        let statusParts = statusLine.split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw StoreBenchmarkError.http("bad status line: \(statusLine)")
        }
        var contentLength: Int?
        var chunked = false
        var closeAfter = statusParts[0] == "HTTP/1.0"
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces().lowercased()
            switch name {
            case "content-length": contentLength = Int(value)
            case "transfer-encoding": chunked = value.contains("chunked")
            case "connection": closeAfter = value == "close" ? true : (value == "keep-alive" ? false : closeAfter)
            default: break
            }
        }
        let body: [UInt8]
        if chunked {
            body = try readChunkedBody()
        } else if let contentLength {
            body = try readExactly(contentLength)
        } else if status == 204 || status == 304 || (100..<200).contains(status) {
            body = []
        } else {
            body = try readToEnd()
            closeAfter = true
        }
        if closeAfter { close() }
        return Response(status: status, body: body)
    }

    /// The index of the `\r\n\r\n` that ends the header block.
    private func readUntilBlankLine(sawNothingYet: Bool) throws -> Int {
        var searchFrom = readIndex
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer, from: searchFrom) { return end }
            searchFrom = Swift.max(readIndex, buffer.count - 3)
            let hadBytes = buffer.count > readIndex
            guard try fill() else {
                if sawNothingYet && !hadBytes { throw Failure.closedBeforeResponse }
                throw StoreBenchmarkError.http("connection closed in the middle of a response header")
            }
        }
    }

    private func readLine() throws -> String {
        var searchFrom = readIndex
        while true {
            if let end = Self.find([13, 10], in: buffer, from: searchFrom) {
                let line = String(decoding: buffer[readIndex..<end], as: UTF8.self)
                readIndex = end + 2
                return line
            }
            searchFrom = Swift.max(readIndex, buffer.count - 1)
            guard try fill() else { throw StoreBenchmarkError.http("connection closed in a chunked body") }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count - readIndex < count {
            guard try fill() else { throw StoreBenchmarkError.http("connection closed in a response body") }
        }
        let bytes = Array(buffer[readIndex..<(readIndex + count)])
        readIndex += count
        return bytes
    }

    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine()
            let sizeText = sizeLine.split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingSpaces(), radix: 16) else {
                throw StoreBenchmarkError.http("bad chunk size line: \(sizeLine)")
            }
            if size == 0 {
                while try !readLine().isEmpty {}  // trailers, then the final blank line
                return body
            }
            body += try readExactly(size)
            guard try readLine().isEmpty else { throw StoreBenchmarkError.http("chunk not followed by CRLF") }
        }
    }

    private func readToEnd() throws -> [UInt8] {
        while try fill() {}
        let bytes = Array(buffer[readIndex...])
        readIndex = buffer.count
        return bytes
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0] {
                var match = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var characters = Substring(self)
        while let first = characters.first, first == " " || first == "\t" { characters.removeFirst() }
        while let last = characters.last, last == " " || last == "\t" { characters.removeLast() }
        return String(characters)
    }
}
