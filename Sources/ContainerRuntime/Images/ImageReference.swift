/// A parsed, normalized image reference with Docker's rules (distribution/reference `ParseNormalizedNamed`):
/// `busybox` → `docker.io/library/busybox:latest`, `127.0.0.1:5000/local/bbx:v2`,
/// `ghcr.io/org/app@sha256:…`.
///
/// The first path component is a registry host when it contains `.` or `:`, is `localhost`, or has
/// upper-case letters; otherwise the registry is docker.io, whose one-component names live under `library/`.
/// A reference without tag and digest gets the tag `latest`.
///
/// A value type; Sendable.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The registry as written in names: `docker.io`, `127.0.0.1:5000`, `ghcr.io`.
    public let domain: String
    /// The path inside the registry: `library/busybox`, `local/bbx`.
    public let repository: String
    /// The tag; nil only when the reference names a digest without a tag.
    public let tag: String?
    /// The manifest digest, for `name@sha256:…` references.
    public let digest: ImageDigest?

    /// The registry host to connect to: `registry-1.docker.io` for docker.io, otherwise `domain`.
    public var registryHost: String { domain == "docker.io" ? "registry-1.docker.io" : domain }

    /// `domain/repository`, e.g. `docker.io/library/busybox`.
    public var repositoryName: String { domain + "/" + repository }

    /// The full normalized reference: `docker.io/library/busybox:latest`, `…/app@sha256:…` or
    /// `…/app:1.0@sha256:…`. The image store keeps images under this name.
    public var normalizedName: String {
        var name = repositoryName
        if let tag { name += ":" + tag }
        if let digest { name += "@" + digest.description }
        return name
    }

    public var description: String { normalizedName }

    /// The same repository with `tag` and no digest.
    public func withTag(_ tag: String) throws(ImageError) -> ImageReference {
        try ImageReference(parsing: repositoryName + ":" + tag)
    }

    /// Parses and normalizes `text`; throws `ImageError.invalidReference` naming the broken rule.
    public init(parsing text: String) throws(ImageError) {
        func invalid(_ reason: String) -> ImageError { .invalidReference(text, reason: reason) }
        guard !text.isEmpty else { throw invalid("it is empty") }
        guard !ImageDigest.isHex(text) else {
            throw invalid("a 64-digit hex string is an image id, not a name; use sha256:<id> or a name")
        }

        var namePart = Substring(text)
        var digest: ImageDigest?
        if let at = namePart.firstIndex(of: "@") {
            let digestText = String(namePart[namePart.index(after: at)...])
            do { digest = try ImageDigest(parsing: digestText) } catch {
                throw invalid("the digest must be sha256: followed by 64 lowercase hex digits")
            }
            namePart = namePart[..<at]
        }

        var tag: String?
        if let colon = namePart.lastIndex(of: ":"), !namePart[colon...].contains("/") {
            let tagText = String(namePart[namePart.index(after: colon)...])
            guard Self.isValidTag(tagText) else {
                throw invalid("the tag must be 1 to 128 letters, digits, '_', '.' or '-' and not start with '.' or '-'")
            }
            tag = tagText
            namePart = namePart[..<colon]
        }
        guard !namePart.isEmpty else { throw invalid("the repository name is empty") }

        var domain = "docker.io"
        var repository = String(namePart)
        if let slash = namePart.firstIndex(of: "/") {
            let first = namePart[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                domain = String(first)
                repository = String(namePart[namePart.index(after: slash)...])
            }
        }
        if domain == "index.docker.io" { domain = "docker.io" }
        guard Self.isValidDomain(domain) else {
            throw invalid("\"\(domain)\" is not a valid registry host[:port]")
        }
        guard repository.lowercased() == repository else { throw invalid("the repository name must be lowercase") }
        if domain == "docker.io" && !repository.contains("/") { repository = "library/" + repository }
        let components = repository.split(separator: "/", omittingEmptySubsequences: false)
        guard components.allSatisfy(Self.isValidPathComponent) else {
            throw invalid(
                "each path component must be lowercase letters and digits, separated by '.', '_', '__' or '-'")
        }
        guard domain.utf8.count + 1 + repository.utf8.count <= 255 else {
            throw invalid("the repository name is longer than 255 characters")
        }
        if tag == nil && digest == nil { tag = "latest" }
        self.domain = domain
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    // MARK: - Grammar (distribution/reference regexp.go)

    private static func isLowerAlphaNumeric(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
    }

    private static func isWordCharacter(_ byte: UInt8) -> Bool {
        isLowerAlphaNumeric(byte) || (byte >= 65 && byte <= 90) || byte == 95
    }

    /// `[\w][\w.-]{0,127}`
    static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128, isWordCharacter(first) else { return false }
        return bytes.allSatisfy { isWordCharacter($0) || $0 == 46 || $0 == 45 }
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
    static func isValidPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last,
              isLowerAlphaNumeric(first), isLowerAlphaNumeric(last) else { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if isLowerAlphaNumeric(byte) { index += 1; continue }
            // A separator run: ".", "_", "__" or one or more "-".
            var end = index
            while end < bytes.count && !isLowerAlphaNumeric(bytes[end]) { end += 1 }
            let separator = bytes[index..<end]
            let valid = separator.elementsEqual([46]) || separator.elementsEqual([95])
                || separator.elementsEqual([95, 95]) || separator.allSatisfy { $0 == 45 }
            guard valid else { return false }
            index = end
        }
        return true
    }

    /// `host[:port]`, host a DNS name, an IPv4 address or `[IPv6]`.
    static func isValidDomain(_ domain: String) -> Bool {
        var host = Substring(domain)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return false }
            let address = host[host.index(after: host.startIndex)..<close]
            guard !address.isEmpty, address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                return false
            }
            host = host[host.index(after: close)...]
            if host.isEmpty { return true }
            guard host.hasPrefix(":") else { return false }
            return isValidPort(host.dropFirst())
        }
        if let colon = host.firstIndex(of: ":") {
            guard isValidPort(host[host.index(after: colon)...]) else { return false }
            host = host[..<colon]
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return !labels.isEmpty && labels.allSatisfy { label in
            guard let first = label.first, let last = label.last,
                  first.isASCII && (first.isLetter || first.isNumber),
                  last.isASCII && (last.isLetter || last.isNumber) else { return false }
            return label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    private static func isValidPort(_ port: Substring) -> Bool {
        !port.isEmpty && port.count <= 5 && port.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
