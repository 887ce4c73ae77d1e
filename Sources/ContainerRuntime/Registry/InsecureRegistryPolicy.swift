/// Which registries may be reached over plain HTTP: loopback hosts (`127.0.0.0/8`, `::1`, `localhost`) and the
/// ones listed as insecure (`host`, `host:port`, or an IPv4 CIDR such as `10.0.0.0/8`), as Docker's
/// `--insecure-registry` works. Everything else is HTTPS with verified certificates.
///
/// Immutable value; Sendable; pure.
public struct InsecureRegistryPolicy: Sendable, Equatable {
    /// The configured entries, normalized (no scheme, no trailing slash, lower case).
    public let insecureRegistries: [String]

    public init(insecureRegistries: [String] = []) {
        self.insecureRegistries = insecureRegistries.map { entry in
            var value = Substring(entry.lowercased())
            for scheme in ["http://", "https://"] where value.hasPrefix(scheme) { value = value.dropFirst(scheme.count) }
            while value.hasSuffix("/") { value = value.dropLast() }
            return String(value)
        }
    }

    /// The URL scheme to use for a registry `host[:port]`: `http` when plain HTTP is allowed, else `https`.
    public func scheme(forRegistry authority: String) -> String {
        let (host, port) = Self.split(authority: authority)
        return allowsPlainHTTP(host: host, port: port) ? "http" : "https"
    }

    /// Whether plain HTTP to `host` (without brackets for IPv6) and `port` is allowed.
    public func allowsPlainHTTP(host: String, port: Int?) -> Bool {
        let host = host.lowercased()
        if Self.isLoopback(host) { return true }
        let authority = Self.bracketed(host) + (port.map { ":\($0)" } ?? "")
        for entry in insecureRegistries {
            if entry == authority || entry == Self.bracketed(host) || entry == host { return true }
            if entry.contains("/"), let address = Self.ipv4(host), Self.ipv4(address, isIn: entry) { return true }
        }
        return false
    }

    /// `host` and optional port of `host[:port]` or `[v6]:port`.
    static func split(authority: String) -> (host: String, port: Int?) {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            return (host, rest.hasPrefix(":") ? Int(rest.dropFirst()) : nil)
        }
        if let colon = authority.lastIndex(of: ":"), authority.firstIndex(of: ":") == colon,
           let port = Int(authority[authority.index(after: colon)...]) {
            return (String(authority[..<colon]), port)
        }
        return (authority, nil)
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host == "[::1]" { return true }
        return ipv4(host).map { $0 >> 24 == 127 } ?? false
    }

    private static func bracketed(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }

    /// A dotted-quad IPv4 address as a number, or nil.
    private static func ipv4(_ text: some StringProtocol) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    private static func ipv4(_ address: UInt32, isIn cidr: String) -> Bool {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let network = ipv4(parts[0]), let bits = Int(parts[1]), (0...32).contains(bits) else {
            return false
        }
        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
        return address & mask == network & mask
    }
}
