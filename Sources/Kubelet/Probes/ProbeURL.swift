import Foundation

/// Where an HTTP probe or lifecycle hook sends its GET: scheme, host, port and request target.
///
/// Value type. `description` is the URL as Go prints it in messages (`http://10.244.0.5:8080/healthz`).
public struct ProbeURL: Sendable, Equatable, CustomStringConvertible {
    /// `http` or `https`, lower case.
    public var scheme: String
    /// A name or an IP literal (IPv6 without brackets).
    public var host: String
    public var port: Int
    /// Path and query as given (`/healthz?full=1`); empty for none.
    public var target: String

    public init(scheme: String, host: String, port: Int, target: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.target = target
    }

    /// Upstream `formatURL(scheme, host, port, path)`: a path without a leading slash gets one.
    public init(scheme: String, host: String, port: Int, path: String) {
        let lowered = scheme.lowercased()
        self.init(
            scheme: lowered.isEmpty ? "http" : lowered, host: host, port: port,
            target: path.isEmpty || path.hasPrefix("/") ? path : "/" + path)
    }

    /// The request line's target: `/` when the URL has no path.
    public var requestTarget: String {
        if target.isEmpty { return "/" }
        if target.hasPrefix("?") { return "/" + target }
        return target
    }

    /// `host:port` (`[::1]:80` for IPv6).
    public var authority: String { ProbeSocket.joinHostPort(host, port) }

    public var description: String { "\(scheme)://\(authority)\(target)" }

    /// The target of a `Location` header, resolved against this URL; nil when it cannot be parsed.
    func resolving(location: String) -> ProbeURL? {
        guard let base = URL(string: description),
              let resolved = URL(string: location, relativeTo: base)?.absoluteURL,
              let components = URLComponents(url: resolved, resolvingAgainstBaseURL: true),
              let scheme = components.scheme?.lowercased(),
              var host = components.percentEncodedHost, !host.isEmpty
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        var target = components.percentEncodedPath
        if let query = components.percentEncodedQuery { target += "?" + query }
        return ProbeURL(scheme: scheme, host: host, port: port, target: target)
    }
}
