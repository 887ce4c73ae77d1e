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
/// Plain HTTP only: HTTPS needs TLS, which the node agent's layer has no library for, so `https` URLs
/// yield `.unsupported`.
///
/// Stateless value; safe from any task. The blocking socket work runs on `ProbeIO`'s queue.
struct HTTPProbeClient: Sendable {
    static let maximumBodyBytes = 10 * 1024
    static let maximumRedirects = 10

    /// Performs the GET. `headers` are the probe's `httpHeaders` in order; `userAgent` is used unless they
    /// set `User-Agent`.
    func get(_ url: ProbeURL, headers: [(name: String, value: String)], userAgent: String, timeout: Duration)
        async -> HTTPProbeOutcome
    {
        let request = Request(url: url, headers: headers.map { HeaderField(name: $0.name, value: $0.value) },
                              userAgent: userAgent)
        let deadline = ProbeDeadline.after(timeout)
        return await ProbeIO.run { Self.perform(request, deadline: deadline) }
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
    private struct Exchange {
        var head: HTTPResponseHead
        var body: [UInt8]
    }

    private enum ExchangeError: Error {
        case outcome(HTTPProbeOutcome)
    }

    static func perform(_ request: Request, deadline: ProbeDeadline) -> HTTPProbeOutcome {
        let original = request.url
        var current = original
        var customHost = request.headers.last { $0.name.lowercased() == "host" }?.value
        var redirects = 0
        while true {
            let exchange: Exchange
            switch Result(catching: { () throws(ExchangeError) -> Exchange in
                try Self.exchange(request, url: current, hostHeader: customHost, deadline: deadline)
            }) {
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
            if redirects >= maximumRedirects {
                return .failed("Get \(GoQuoting.quote(next.description)): stopped after 10 redirects", timedOut: false)
            }
            redirects += 1
            // Go keeps a custom Host header only through relative redirects.
            if location.contains("://") || location.hasPrefix("//") { customHost = nil }
            current = next
        }
    }

    private static func exchange(_ request: Request, url: ProbeURL, hostHeader: String?, deadline: ProbeDeadline)
        throws(ExchangeError) -> Exchange
    {
        let quotedURL = GoQuoting.quote(url.description)
        func failure(_ message: String, timedOut: Bool = false) -> ExchangeError {
            .outcome(.failed("Get \(quotedURL): \(message)", timedOut: timedOut))
        }
        let awaitingHeaders = "(Client.Timeout exceeded while awaiting headers)"

        guard url.scheme == "http" else {
            if url.scheme == "https" {
                throw .outcome(.unsupported(
                    "Get \(quotedURL): HTTPS is not supported by this node agent yet; use scheme HTTP, a tcpSocket or an exec probe"))
            }
            throw failure("unsupported protocol scheme \(GoQuoting.quote(url.scheme))")
        }
        let socket: ProbeSocket
        do {
            socket = try ProbeSocket.connect(host: url.host, port: url.port, deadline: deadline)
        } catch {
            throw failure(error.isTimeout ? "\(error) \(awaitingHeaders)" : "\(error)", timedOut: error.isTimeout)
        }
        defer { socket.close() }

        do {
            try socket.writeAll(requestBytes(request, url: url, hostHeader: hostHeader), deadline: deadline)
        } catch {
            switch error {
            case .timedOut: throw failure("context deadline exceeded \(awaitingHeaders)", timedOut: true)
            case .failed: throw failure(error.description)
            }
        }

        // Head: skip interim 1xx responses.
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
                    throw failure("net/http: HTTP/1.x transport connection broken: \(message)")
                case .headersTooLarge:
                    throw failure("net/http: server response headers exceeded \(HTTPResponseParser.maximumHeadBytes) bytes; aborted")
                }
            }
            let chunk: [UInt8]
            do {
                chunk = try socket.read(maximum: 16 * 1024, deadline: deadline)
            } catch {
                switch error {
                case .timedOut: throw failure("context deadline exceeded \(awaitingHeaders)", timedOut: true)
                case .failed: throw failure(error.description)
                }
            }
            if chunk.isEmpty { throw failure(buffer.isEmpty ? "EOF" : "unexpected EOF") }
            buffer.append(contentsOf: chunk)
        }
        guard let head else { throw failure("EOF") }

        // Body: at most 10 KiB of it; a timeout or error while reading it keeps what arrived (the status
        // decides the probe).
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
            guard let chunk = try? socket.read(maximum: 16 * 1024, deadline: deadline), !chunk.isEmpty else { break }
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
