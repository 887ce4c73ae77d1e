import KubeCore
/// The status line and headers of an HTTP/1.x response.
struct HTTPResponseHead: Sendable, Equatable {
    var statusCode: Int
    /// `200 OK`, as Go's `Response.Status` reads.
    var status: String
    var headers: [(name: String, value: String)]

    static func == (lhs: HTTPResponseHead, rhs: HTTPResponseHead) -> Bool {
        lhs.statusCode == rhs.statusCode && lhs.status == rhs.status
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// The first value of a header, matched case-insensitively.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// How the body that follows is delimited (RFC 9112 section 6.3, for a response to GET).
    var bodyFraming: HTTPBodyFraming {
        if (100..<200).contains(statusCode) || statusCode == 204 || statusCode == 304 { return .none }
        if let encoding = header("Transfer-Encoding"), encoding.lowercased().contains("chunked") { return .chunked }
        if let length = header("Content-Length").flatMap({ Int($0.trimmingSpaces) }), length >= 0 {
            return .length(length)
        }
        return .untilClose
    }
}

/// How a response body ends.
enum HTTPBodyFraming: Sendable, Equatable {
    case none
    case length(Int)
    case chunked
    case untilClose
}

/// Parsing of HTTP/1.x response heads and chunked bodies from raw bytes.
///
/// Pure functions; safe from any thread.
enum HTTPResponseParser {
    enum ParseError: Error, Sendable, Equatable {
        /// Go's `malformed HTTP response "…"` (the offending line) or `malformed MIME header line: …`.
        case malformed(String)
        case headersTooLarge
    }

    /// Go's default `MaxResponseHeaderBytes`.
    static let maximumHeadBytes = 1 << 20

    /// Parses a complete head at the start of `buffer`; nil when more bytes are needed. Returns the head
    /// and how many bytes it used (including the blank line).
    static func parseHead(_ buffer: [UInt8]) throws(ParseError) -> (head: HTTPResponseHead, length: Int)? {
        guard let end = headEnd(in: buffer) else {
            if buffer.count > maximumHeadBytes { throw .headersTooLarge }
            // An HTTP/1 response starts with "HTTP/"; anything else is malformed as soon as a line is in.
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let bytes = buffer[..<newline]
                let line = text(bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes)
                if !line.hasPrefix("HTTP/") { throw .malformed("malformed HTTP response \(GoQuoting.quote(line))") }
            }
            return nil
        }
        // Split on bytes: in Swift strings "\r\n" is one Character and would not split on "\n".
        let lines = buffer[..<end.headStart].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { line in text(line.last == UInt8(ascii: "\r") ? line.dropLast() : line) }
        guard let statusLine = lines.first else { throw .malformed("malformed HTTP response \"\"") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3,
              let code = Int(parts[1]), code >= 100
        else {
            throw .malformed("malformed HTTP response \(GoQuoting.quote(statusLine))")
        }
        let reason = parts.count == 3 ? String(parts[2]) : ""
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw .malformed("malformed MIME header line: \(line)")
            }
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...]).trimmingSpaces
            headers.append((name, value))
        }
        let status = reason.isEmpty ? String(code) : "\(code) \(reason)"
        return (HTTPResponseHead(statusCode: code, status: status, headers: headers), end.bodyStart)
    }

    /// Decodes as much of a chunked body as `raw` holds. `complete` is true once the last chunk was seen.
    static func decodeChunked(_ raw: [UInt8]) -> (body: [UInt8], complete: Bool) {
        var body: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = firstCRLF(in: raw, from: index) else { return (body, false) }
            let sizeText = text(raw[index..<lineEnd]).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0 else { return (body, true) }
            let dataStart = lineEnd + 2
            if size == 0 { return (body, true) }
            let available = min(size, raw.count - dataStart)
            if available > 0 { body.append(contentsOf: raw[dataStart..<(dataStart + available)]) }
            if available < size { return (body, false) }
            index = dataStart + size + 2
            if index > raw.count { return (body, false) }
        }
    }

    private static func headEnd(in buffer: [UInt8]) -> (headStart: Int, bodyStart: Int)? {
        var index = 0
        while index < buffer.count {
            if buffer[index] == UInt8(ascii: "\n") {
                if index + 1 < buffer.count, buffer[index + 1] == UInt8(ascii: "\n") {
                    return (index, index + 2)
                }
                if index + 2 < buffer.count, buffer[index + 1] == UInt8(ascii: "\r"),
                   buffer[index + 2] == UInt8(ascii: "\n") {
                    return (index, index + 3)
                }
            }
            index += 1
        }
        return nil
    }

    private static func firstCRLF(in buffer: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < buffer.count {
            if buffer[index] == UInt8(ascii: "\r"), buffer[index + 1] == UInt8(ascii: "\n") { return index }
            index += 1
        }
        return nil
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
