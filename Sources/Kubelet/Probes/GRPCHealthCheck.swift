import KubeCore
/// The gRPC health-checking call (`grpc.health.v1.Health/Check`) over cleartext HTTP/2 (h2c, prior
/// knowledge), as upstream's gRPC probe makes it, with upstream's messages:
/// `service unhealthy (responded with "NOT_SERVING")`,
/// `timeout: failed to connect service "10.244.0.5:9000" within 1s: context deadline exceeded`,
/// `timeout: health rpc did not complete within 1s`.
///
/// Minimal by design: one stream, request headers written with literal (never Huffman) HPACK, response
/// headers not decoded (the verdict comes from the response message; a call that ends without one fails).
///
/// Stateless; `check` blocks, so it runs on `ProbeIO`'s queue.
enum GRPCHealthCheck {
    static func check(host: String, port: Int, service: String, userAgent: String, timeout: Duration,
                      deadline: ProbeDeadline) -> ProbeResult
    {
        let address = ProbeSocket.joinHostPort(host, port)
        let within = goDuration(timeout)
        let socket: ProbeSocket
        do {
            socket = try ProbeSocket.connect(host: host, port: port, deadline: deadline)
        } catch {
            if error.isTimeout {
                return .failure("timeout: failed to connect service \(GoQuoting.quote(address)) within \(within): context deadline exceeded")
            }
            return .failure("error: failed to connect service at \(GoQuoting.quote(address)): \(error)")
        }
        defer { socket.close() }

        var request = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        request += frame(type: 0x4, flags: 0, stream: 0, payload: [])
        request += frame(type: 0x1, flags: 0x4, stream: 1, payload: requestHeaders(authority: address, userAgent: userAgent))
        request += frame(type: 0x0, flags: 0x1, stream: 1, payload: requestMessage(service: service))
        let rpcTimeout = "timeout: health rpc did not complete within \(within)"
        do {
            try socket.writeAll(request, deadline: deadline)
        } catch {
            if case .timedOut = error { return .failure(rpcTimeout) }
            return .failure("error: health rpc probe failed: \(error.description)")
        }

        var buffer: [UInt8] = []
        var message: [UInt8] = []
        while true {
            // Complete frames in the buffer first.
            while buffer.count >= 9 {
                let length = Int(buffer[0]) << 16 | Int(buffer[1]) << 8 | Int(buffer[2])
                guard buffer.count >= 9 + length else { break }
                let type = buffer[3]
                let flags = buffer[4]
                let stream = (UInt32(buffer[5]) << 24 | UInt32(buffer[6]) << 16 | UInt32(buffer[7]) << 8
                    | UInt32(buffer[8])) & 0x7fff_ffff
                var payload = Array(buffer[9..<(9 + length)])
                buffer.removeFirst(9 + length)
                switch type {
                case 0x0 where stream == 1:  // DATA
                    if flags & 0x8 != 0, let padding = payload.first {
                        payload = Array(payload.dropFirst().dropLast(Int(padding)))
                    }
                    message += payload
                    if flags & 0x1 != 0 { return verdict(message) }
                case 0x1 where stream == 1:  // HEADERS (response headers or trailers)
                    if flags & 0x1 != 0 { return verdict(message) }
                case 0x3 where stream == 1:  // RST_STREAM
                    let code = payload.count >= 4 ? UInt32(payload[0]) << 24 | UInt32(payload[1]) << 16
                        | UInt32(payload[2]) << 8 | UInt32(payload[3]) : 0
                    return .failure("error: health rpc probe failed: stream reset by the server (HTTP/2 error code \(code))")
                case 0x4 where flags & 0x1 == 0:  // SETTINGS: acknowledge
                    try? socket.writeAll(frame(type: 0x4, flags: 0x1, stream: 0, payload: []), deadline: deadline)
                case 0x6 where flags & 0x1 == 0:  // PING: answer
                    try? socket.writeAll(frame(type: 0x6, flags: 0x1, stream: 0, payload: payload), deadline: deadline)
                case 0x7:  // GOAWAY
                    if !message.isEmpty { return verdict(message) }
                    return .failure("error: health rpc probe failed: the server closed the connection (GOAWAY)")
                default:
                    break
                }
            }
            let chunk: [UInt8]
            do {
                chunk = try socket.read(maximum: 16 * 1024, deadline: deadline)
            } catch {
                if case .timedOut = error { return .failure(rpcTimeout) }
                return .failure("error: health rpc probe failed: \(error.description)")
            }
            if chunk.isEmpty {
                if !message.isEmpty { return verdict(message) }
                return .failure("error: health rpc probe failed: the connection closed before a response")
            }
            buffer += chunk
        }
    }

    /// Judges a `HealthCheckResponse` (field 1: status; SERVING = 1).
    static func verdict(_ message: [UInt8]) -> ProbeResult {
        guard message.count >= 5 else {
            return .failure(
                "error: health rpc probe failed: the call ended without a response; does the server implement grpc.health.v1.Health?")
        }
        let body = Array(message.dropFirst(5))
        var status: UInt64 = 0
        var index = 0
        while index < body.count {
            let key = body[index]
            index += 1
            let field = key >> 3
            let wireType = key & 0x7
            guard wireType == 0 else { break }
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < body.count {
                let byte = body[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                shift += 7
                if byte & 0x80 == 0 { break }
            }
            if field == 1 { status = value }
        }
        let names: [UInt64: String] = [0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"]
        if status == 1 { return .success(output: "service healthy") }
        return .failure("service unhealthy (responded with \(GoQuoting.quote(names[status] ?? String(status))))")
    }

    static func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) -> [UInt8] {
        let length = payload.count
        return [
            UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type, flags,
            UInt8(stream >> 24 & 0x7f), UInt8(stream >> 16 & 0xff), UInt8(stream >> 8 & 0xff), UInt8(stream & 0xff),
        ] + payload
    }

    /// HPACK block: indexed `:method POST` and `:scheme http`, literals (without indexing, no Huffman)
    /// for the rest.
    static func requestHeaders(authority: String, userAgent: String) -> [UInt8] {
        var block: [UInt8] = [0x83, 0x86]
        block += literal(nameIndex: 4, value: "/grpc.health.v1.Health/Check")
        block += literal(nameIndex: 1, value: authority)
        block += literal(nameIndex: 31, value: "application/grpc")
        block += literal(nameIndex: 58, value: userAgent)
        block += [0x00] + string("te") + string("trailers")
        return block
    }

    /// The length-prefixed `HealthCheckRequest` (field 1: service, omitted when empty).
    static func requestMessage(service: String) -> [UInt8] {
        var body: [UInt8] = []
        if !service.isEmpty {
            body = [0x0a] + varint(UInt64(service.utf8.count)) + Array(service.utf8)
        }
        let length = UInt32(body.count)
        return [0, UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
            + body
    }

    private static func literal(nameIndex: Int, value: String) -> [UInt8] {
        integer(nameIndex, prefixBits: 4, firstByte: 0x00) + string(value)
    }

    private static func string(_ text: String) -> [UInt8] {
        integer(text.utf8.count, prefixBits: 7, firstByte: 0x00) + Array(text.utf8)
    }

    /// HPACK integer representation (RFC 7541 section 5.1).
    private static func integer(_ value: Int, prefixBits: Int, firstByte: UInt8) -> [UInt8] {
        let maximum = (1 << prefixBits) - 1
        if value < maximum { return [firstByte | UInt8(value)] }
        var bytes = [firstByte | UInt8(maximum)]
        var rest = value - maximum
        while rest >= 128 {
            bytes.append(UInt8(rest % 128 + 128))
            rest /= 128
        }
        bytes.append(UInt8(rest))
        return bytes
    }

    private static func varint(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
        return bytes
    }

    /// Go's `time.Duration` text for whole seconds and milliseconds (`1s`, `500ms`, `1m30s`).
    static func goDuration(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let seconds = milliseconds / 1000
        let fraction = milliseconds % 1000
        let secondsText = fraction == 0 ? "\(seconds % 60)" : "\(seconds % 60).\(String(format3(fraction)))"
        if seconds < 60 { return "\(secondsText)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m\(secondsText)s" }
        return "\(minutes / 60)h\(minutes % 60)m\(secondsText)s"
    }

    private static func format3(_ value: Int64) -> String {
        var text = String(value)
        while text.count < 3 { text = "0" + text }
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
