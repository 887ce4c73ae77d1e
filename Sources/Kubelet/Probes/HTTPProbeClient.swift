import KubeCore
/// The outcome of an HTTP GET made for a probe or a lifecycle hook.
enum HTTPProbeOutcome: Sendable, Equatable {
    /// The final response (after same-host redirects): status code, Go-style status text and at most
    /// 10 KiB of the body.
    case response(statusCode: Int, status: String, body: [UInt8], url: ProbeURL)
    /// The exchange failed; the message is Go's `url.Error` text (`Get "http://…": dial tcp …: connect:
    /// connection refused`). `timedOut` tells whether the deadline ended it.
    case failed(String, timedOut: Bool)
    /// The request cannot be made by this node agent (HTTPS).
    case unsupported(String)
}

/// An HTTP/1.1 GET client for probes and hooks, written over `ProbeSocket` with the behaviour of upstream's
/// prober transport: no keep-alive, no proxy, no compression, `User-Agent` and `Accept: */*` unless the
/// probe sets them, a `Host` header from the probe's headers, redirects followed only to the same host
/// name (at most 10), the body read up to 10 KiB, one deadline for the whole exchange.
///
/// HTTPS goes through the optional `ProbeTLSTransport`; without one, `https` URLs yield `.unsupported`.
///
/// Immutable value; safe from any task. The blocking socket work runs on `ProbeIO`'s queue.
struct HTTPProbeClient: Sendable {
    static let maximumBodyBytes = 10 * 1024
    static let maximumRedirects = 10
    static let awaitingHeaders = "(Client.Timeout exceeded while awaiting headers)"

    var tlsTransport: (any ProbeTLSTransport)?

    init(tlsTransport: (any ProbeTLSTransport)? = nil) {
        self.tlsTransport = tlsTransport
    }

    /// Performs the GET. `headers` are the probe's `httpHeaders` in order; `userAgent` is used unless they
    /// set `User-Agent`.
    func get(_ url: ProbeURL, headers: [(name: String, value: String)], userAgent: String, timeout: Duration)
        async -> HTTPProbeOutcome
    {
        let request = Request(url: url, headers: headers.map { HeaderField(name: $0.name, value: $0.value) },
                              userAgent: userAgent)
        let deadline = ProbeDeadline.after(timeout)
        let original = request.url
        var current = original
        var customHost = request.headers.last { $0.name.lowercased() == "host" }?.value
        var redirects = 0
        while true {
            let exchange: Exchange
            switch await performExchange(request, url: current, hostHeader: customHost, deadline: deadline) {
            case .success(let value): exchange = value
            case .failure(.outcome(let outcome)): return outcome
            }
            let response = HTTPProbeOutcome.response(
                statusCode: exchange.head.statusCode, status: exchange.head.status, body: exchange.body,
                url: current)
            guard [301, 302, 303, 307, 308].contains(exchange.head.statusCode),
                  let location = exchange.head.header("Location"), !location.isEmpty,
                  let next = current.resolving(location: location)
            else { return response }
            if next.host != original.host { return response }
            if redirects >= Self.maximumRedirects {
                return .failed("Get \(GoQuoting.quote(next.description)): stopped after 10 redirects", timedOut: false)
            }
            redirects += 1
            // Go keeps a custom Host header only through relative redirects.
            if location.contains("://") || location.hasPrefix("//") { customHost = nil }
            current = next
        }
    }

    struct HeaderField: Sendable {
        var name: String
        var value: String
    }

    struct Request: Sendable {
        var url: ProbeURL
        var headers: [HeaderField]
        var userAgent: String
    }

    /// A response head and the start of its body.
    struct Exchange: Sendable {
        var head: HTTPResponseHead
        var body: [UInt8]
    }

    enum ExchangeError: Error, Sendable {
        case outcome(HTTPProbeOutcome)
    }

    private func performExchange(_ request: Request, url: ProbeURL, hostHeader: String?, deadline: ProbeDeadline)
        async -> Result<Exchange, ExchangeError>
    {
        let quotedURL = GoQuoting.quote(url.description)
        let bytes = Self.requestBytes(request, url: url, hostHeader: hostHeader)
        switch url.scheme {
        case "http":
            return await ProbeIO.run {
                Result { () throws(ExchangeError) -> Exchange in
                    try Self.plainExchange(url: url, request: bytes, deadline: deadline)
                }
            }
        case "https":
            guard let tlsTransport else {
                return .failure(.outcome(.unsupported(
                    "Get \(quotedURL): HTTPS is not supported by this node agent; use scheme HTTP, a tcpSocket or an exec probe")))
            }
            let received: [UInt8]
            do {
                received = try await tlsTransport.exchange(
                    host: url.host, port: url.port, serverName: hostHeader ?? url.host, request: bytes,
                    maximumBytes: HTTPResponseParser.maximumHeadBytes + 4 * Self.maximumBodyBytes,
                    timeout: deadline.remaining)
            } catch {
                let message = error.timedOut ? "\(error.message) \(Self.awaitingHeaders)" : error.message
                return .failure(.outcome(.failed("Get \(quotedURL): \(message)", timedOut: error.timedOut)))
            }
            var pending: [UInt8]? = received
            return Result { () throws(ExchangeError) -> Exchange in
                try Self.readResponse(url: url) { () throws(ExchangeError) -> [UInt8] in
                    defer { pending = nil }
                    return pending ?? []
                }
            }
        default:
            return .failure(.outcome(.failed(
                "Get \(quotedURL): unsupported protocol scheme \(GoQuoting.quote(url.scheme))", timedOut: false)))
        }
    }

    private static func failure(_ url: ProbeURL, _ message: String, timedOut: Bool = false) -> ExchangeError {
        .outcome(.failed("Get \(GoQuoting.quote(url.description)): \(message)", timedOut: timedOut))
    }

    /// One plain-HTTP exchange over a socket; blocks, so it runs on `ProbeIO`'s queue.
    private static func plainExchange(url: ProbeURL, request: [UInt8], deadline: ProbeDeadline)
        throws(ExchangeError) -> Exchange
    {
        let socket: ProbeSocket
        do {
            socket = try ProbeSocket.connect(host: url.host, port: url.port, deadline: deadline)
        } catch {
            throw failure(url, error.isTimeout ? "\(error) \(awaitingHeaders)" : "\(error)", timedOut: error.isTimeout)
        }
        defer { socket.close() }
        do {
            try socket.writeAll(request, deadline: deadline)
        } catch {
            switch error {
            case .timedOut: throw failure(url, "context deadline exceeded \(awaitingHeaders)", timedOut: true)
            case .failed: throw failure(url, error.description)
            }
        }
        return try readResponse(url: url) { () throws(ExchangeError) -> [UInt8] in
            let read = Result { () throws(ProbeSocketIOError) -> [UInt8] in
                try socket.read(maximum: 16 * 1024, deadline: deadline)
            }
            switch read {
            case .success(let bytes): return bytes
            case .failure(.timedOut): throw failure(url, "context deadline exceeded \(awaitingHeaders)", timedOut: true)
            case .failure(let error): throw failure(url, error.description)
            }
        }
    }

    /// Reads a response head (skipping interim 1xx responses) and at most 10 KiB of its body from
    /// `readMore`, which returns an empty array at the end of the stream. An error or the end of the
    /// stream while reading the body keeps what arrived (the status decides).
    private static func readResponse(url: ProbeURL, readMore: () throws(ExchangeError) -> [UInt8])
        throws(ExchangeError) -> Exchange
    {
        var buffer: [UInt8] = []
        var head: HTTPResponseHead?
        while head == nil {
            do {
                if let parsed = try HTTPResponseParser.parseHead(buffer) {
                    buffer.removeFirst(parsed.length)
                    if (100..<200).contains(parsed.head.statusCode) && parsed.head.statusCode != 101 { continue }
                    head = parsed.head
                    break
                }
            } catch {
                switch error {
                case .malformed(let message):
                    throw failure(url, "net/http: HTTP/1.x transport connection broken: \(message)")
                case .headersTooLarge:
                    throw failure(url, "net/http: server response headers exceeded \(HTTPResponseParser.maximumHeadBytes) bytes; aborted")
                }
            }
            let chunk = try readMore()
            if chunk.isEmpty { throw failure(url, buffer.isEmpty ? "EOF" : "unexpected EOF") }
            buffer.append(contentsOf: chunk)
        }
        guard let head else { throw failure(url, "EOF") }

        var raw = buffer
        func bodySoFar() -> (body: [UInt8], complete: Bool) {
            switch head.bodyFraming {
            case .none: return ([], true)
            case .length(let length):
                let body = Array(raw.prefix(min(length, maximumBodyBytes)))
                return (body, raw.count >= length || body.count >= maximumBodyBytes)
            case .chunked:
                let decoded = HTTPResponseParser.decodeChunked(raw)
                let body = Array(decoded.body.prefix(maximumBodyBytes))
                return (body, decoded.complete || body.count >= maximumBodyBytes || raw.count > 4 * maximumBodyBytes)
            case .untilClose:
                let body = Array(raw.prefix(maximumBodyBytes))
                return (body, body.count >= maximumBodyBytes)
            }
        }
        while !bodySoFar().complete {
            guard let chunk = try? readMore(), !chunk.isEmpty else { break }
            raw.append(contentsOf: chunk)
        }
        return Exchange(head: head, body: bodySoFar().body)
    }

    private static func requestBytes(_ request: Request, url: ProbeURL, hostHeader: String?) -> [UInt8] {
        var lines = ["GET \(url.requestTarget) HTTP/1.1", "Host: \(hostHeader ?? url.authority)"]
        let names = Set(request.headers.map { $0.name.lowercased() })
        if !names.contains("user-agent") { lines.append("User-Agent: \(request.userAgent)") }
        if !names.contains("accept") { lines.append("Accept: */*") }
        for header in request.headers {
            let name = header.name.lowercased()
            if name == "host" || name == "connection" { continue }
            if name == "accept" && header.value.isEmpty { continue }
            lines.append("\(header.name): \(header.value)")
        }
        lines.append("Connection: close")
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}
