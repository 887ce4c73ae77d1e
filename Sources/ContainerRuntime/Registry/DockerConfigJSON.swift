import Foundation

/// The credentials in an image pull secret: the `.dockerconfigjson` key of a `kubernetes.io/dockerconfigjson`
/// Secret (`{"auths":{"<registry>":{"auth":"base64(user:pass)"}}}`) or the `.dockercfg` key of the legacy
/// `kubernetes.io/dockercfg` type (the same map without `auths`).
///
/// Immutable value; Sendable. Lookups follow the kubelet's keyring (pkg/credentialprovider): a key is a
/// registry host with an optional port and path (`https://`, `/v1/` and `/v2/` are dropped, so
/// `https://index.docker.io/v1/` means Docker Hub); host labels may be globs (`*.example.com`); the port
/// must match; the key's path must be a prefix of the image's repository path; longer keys are tried first.
public struct DockerConfigJSON: Sendable, Equatable {
    /// One `auths` entry after normalization.
    public struct Entry: Sendable, Equatable {
        /// The normalized key: `host[:port][/path]`, no scheme, no `/v1/` or `/v2/`.
        public let key: String
        public let credentials: RegistryCredentials
    }

    /// Why a pull secret could not be read. Sendable value.
    public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
        public let description: String
    }

    /// Entries in lookup order (most specific key first).
    public let entries: [Entry]

    /// Parses `.dockerconfigjson` content (`{"auths":{…}}`).
    public init(dockerConfigJSON bytes: some Collection<UInt8>) throws {
        let document: DockerConfigDocument
        do {
            document = try JSONDecoder().decode(DockerConfigDocument.self, from: Data(bytes))
        } catch {
            throw ParseError(description: "invalid .dockerconfigjson: \(error); expected {\"auths\":{\"<registry>\":"
                             + "{\"auth\":\"<base64 of user:password>\"}}}")
        }
        try self.init(auths: document.auths ?? [:])
    }

    /// Parses legacy `.dockercfg` content (`{"<registry>":{…}}`).
    public init(dockercfg bytes: some Collection<UInt8>) throws {
        let auths: [String: DockerConfigEntry]
        do {
            auths = try JSONDecoder().decode([String: DockerConfigEntry].self, from: Data(bytes))
        } catch {
            throw ParseError(description: "invalid .dockercfg: \(error)")
        }
        try self.init(auths: auths)
    }

    /// All entries of several pull secrets, tried together (the kubelet merges a pod's imagePullSecrets).
    public init(combining configs: [DockerConfigJSON]) {
        self.init(sortedEntries: configs.flatMap(\.entries))
    }

    private init(auths: [String: DockerConfigEntry]) throws {
        var entries: [Entry] = []
        for (key, entry) in auths {
            var username = entry.username ?? ""
            var password = entry.password ?? ""
            if let auth = entry.auth, !auth.isEmpty {
                guard let decoded = Data(base64Encoded: auth), let text = String(data: decoded, encoding: .utf8),
                      let colon = text.firstIndex(of: ":") else {
                    throw ParseError(description: "unable to parse auth field of \"\(key)\", must be formatted as "
                                     + "base64(username:password)")
                }
                username = String(text[..<colon])
                password = String(text[text.index(after: colon)...])
            }
            let credentials = RegistryCredentials(
                username: username, password: password,
                registryToken: entry.registrytoken.flatMap { $0.isEmpty ? nil : $0 })
            entries.append(Entry(key: Self.normalizedKey(key), credentials: credentials))
        }
        self.init(sortedEntries: entries)
    }

    private init(sortedEntries: [Entry]) {
        // Reverse lexical order puts `host/team/app` before `host/team` before `host` (as the kubelet does).
        entries = sortedEntries.enumerated().sorted { lhs, rhs in
            lhs.element.key != rhs.element.key ? lhs.element.key > rhs.element.key : lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Every credential that applies to an image repository, most specific first; empty when none does.
    ///
    /// `imageName` is the repository without tag or digest, with or without the registry
    /// (`docker.io/library/busybox`, `busybox`, `127.0.0.1:5000/local/bbx`).
    public func credentials(forImage imageName: String) -> [RegistryCredentials] {
        let target = SchemelessLocation(imageName)
        let matches = entries.filter { SchemelessLocation($0.key).matches(target) }.map(\.credentials)
        if !matches.isEmpty { return matches }
        if Self.isDockerHub(imageName) {
            return entries.filter { $0.key == "index.docker.io" }.map(\.credentials)
        }
        return []
    }

    /// The credentials for a whole registry (`host[:port]`), most specific first.
    public func credentials(forRegistry host: String) -> [RegistryCredentials] {
        credentials(forImage: host + "/")
    }

    /// The key without scheme and with `/v1/` or `/v2/` dropped from the path.
    static func normalizedKey(_ key: String) -> String {
        var location = SchemelessLocation(key)
        var path = location.path
        if path.hasPrefix("/v1/") || path.hasPrefix("/v2/") { path = String(path.dropFirst(3)) }
        location.path = path == "/" ? "" : path
        return location.text
    }

    /// Whether an image without an explicit registry, or on docker.io, is pulled from Docker Hub.
    static func isDockerHub(_ imageName: String) -> Bool {
        let parts = imageName.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty else { return false }
        if parts.count == 1 { return true }
        if first == "docker.io" || first == "index.docker.io" { return true }
        return !first.contains(".") && !first.contains(":") && first != "localhost"
    }
}

/// `host[:port][/path]` of a key or an image name, with globbing host labels. Value type; pure.
private struct SchemelessLocation {
    var host: String
    var port: String
    var path: String

    init(_ text: String) {
        var rest = Substring(text)
        for scheme in ["https://", "http://"] where rest.lowercased().hasPrefix(scheme) {
            rest = rest.dropFirst(scheme.count)
        }
        let slash = rest.firstIndex(of: "/")
        let authority = slash.map { rest[..<$0] } ?? rest
        path = slash.map { String(rest[$0...]) } ?? ""
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[...close])
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? String(after.dropFirst()) : ""
        } else if let colon = authority.lastIndex(of: ":"),
                  authority[authority.index(after: colon)...].allSatisfy(\.isNumber) {
            host = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
        } else {
            host = String(authority)
            port = ""
        }
        host = host.lowercased()
    }

    var text: String { host + (port.isEmpty ? "" : ":" + port) + path }

    /// The kubelet's `URLsMatch`: same port, same number of host labels each matching its glob, path prefix.
    func matches(_ target: SchemelessLocation) -> Bool {
        guard port == target.port, target.path.hasPrefix(path) else { return false }
        let globs = host.split(separator: ".", omittingEmptySubsequences: false)
        let labels = target.host.split(separator: ".", omittingEmptySubsequences: false)
        guard globs.count == labels.count else { return false }
        return zip(globs, labels).allSatisfy { Self.glob(Array($0.utf8), matches: Array($1.utf8)) }
    }

    /// `*` (any run) and `?` (one byte) globbing within one host label.
    private static func glob(_ pattern: [UInt8], matches text: [UInt8]) -> Bool {
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}

/// The JSON shape of `.dockerconfigjson`.
private struct DockerConfigDocument: Decodable {
    var auths: [String: DockerConfigEntry]?
}

/// One registry's entry; `auth` (base64 of `user:password`) wins over `username`/`password`, as in the kubelet.
private struct DockerConfigEntry: Decodable {
    var username: String?
    var password: String?
    var auth: String?
    var email: String?
    var registrytoken: String?
    var identitytoken: String?
}
