/// One authentication challenge from a `WWW-Authenticate` header (RFC 7235), e.g.
/// `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"`.
///
/// Immutable value; Sendable. ``parse(_:)`` is pure: it never throws and skips what it cannot read, so a
/// malformed header yields fewer (or no) challenges rather than an error.
public struct WWWAuthenticateChallenge: Sendable, Equatable {
    /// The scheme in lower case: `bearer`, `basic`, …
    public let scheme: String
    /// Auth parameters with lower-case names and unquoted values.
    public let parameters: [String: String]

    public init(scheme: String, parameters: [String: String]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    public var isBearer: Bool { scheme == "bearer" }
    public var isBasic: Bool { scheme == "basic" }
    public var realm: String? { parameters["realm"] }
    public var service: String? { parameters["service"] }
    /// The scopes the registry asks for (the `scope` parameter is space separated).
    public var scopes: [String] {
        (parameters["scope"] ?? "").split(separator: " ").map(String.init)
    }
    /// The `error` parameter (`invalid_token`, `insufficient_scope`).
    public var error: String? { parameters["error"] }

    /// Every challenge in the given header values (a header may hold several, and there may be several headers).
    public static func parse(_ headerValues: [String]) -> [WWWAuthenticateChallenge] {
        headerValues.flatMap { parse($0) }
    }

    /// Every challenge in one header value.
    public static func parse(_ headerValue: String) -> [WWWAuthenticateChallenge] {
        var scanner = ChallengeScanner(Array(headerValue.utf8))
        var challenges: [WWWAuthenticateChallenge] = []
        var scheme: String?
        var parameters: [String: String] = [:]
        func finish() {
            if let scheme { challenges.append(WWWAuthenticateChallenge(scheme: scheme, parameters: parameters)) }
            scheme = nil
            parameters = [:]
        }
        while true {
            scanner.skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: ",") }
            guard let token = scanner.token() else {
                // Neither a scheme nor a parameter name: skip one byte and go on (garbage tolerance).
                if scanner.atEnd { break }
                scanner.advance()
                continue
            }
            let afterToken = scanner.position
            scanner.skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if scanner.peek == UInt8(ascii: "="), scheme != nil {
                scanner.advance()
                scanner.skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                let value = scanner.peek == UInt8(ascii: "\"") ? scanner.quotedString() : (scanner.token() ?? "")
                parameters[token.lowercased()] = value
            } else if scanner.peek == UInt8(ascii: "="), scheme == nil {
                // token68 or a parameter without a scheme: ignore up to the next comma.
                scanner.skip { $0 != UInt8(ascii: ",") }
            } else {
                // A new scheme starts (a token not followed by "=").
                finish()
                scheme = token
                scanner.position = afterToken
            }
        }
        finish()
        return challenges
    }
}

/// Byte cursor over a header value for ``WWWAuthenticateChallenge/parse(_:)``. Value type, not shared.
private struct ChallengeScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    mutating func advance() { position += 1 }

    mutating func skip(while predicate: (UInt8) -> Bool) {
        while let byte = peek, predicate(byte) { position += 1 }
    }

    /// An RFC 7230 token (also accepting `/` so token68-ish values survive), or nil when none starts here.
    mutating func token() -> String? {
        let start = position
        while let byte = peek, Self.isTokenByte(byte) { position += 1 }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// A quoted string starting at the opening quote; backslash escapes the next byte.
    mutating func quotedString() -> String {
        advance()
        var value: [UInt8] = []
        while let byte = peek {
            position += 1
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\"), let escaped = peek {
                value.append(escaped)
                position += 1
                continue
            }
            value.append(byte)
        }
        return String(decoding: value, as: UTF8.self)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-.^_`|~/:".utf8).contains(byte)
        }
    }
}
