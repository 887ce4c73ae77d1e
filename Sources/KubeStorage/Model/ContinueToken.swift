import Foundation

/// The continue token of a paged list, in the Kubernetes API server's format:
/// base64url (no padding) of `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key without prefix>"}`.
///
/// Value type; Sendable. Decoding defends against path traversal like the API server: the start key is
/// path-cleaned and must stay under the list's key prefix.
public struct ContinueToken: Sendable, Equatable {
    /// The revision the first page was read at; -1 means "latest" (issued after a compaction).
    public var revision: Revision
    /// The key to continue from, without the list's key prefix (normally the last key plus "\0").
    public var start: String

    public init(revision: Revision, start: String) {
        self.revision = revision
        self.start = start
    }

    private struct Wire: Codable {
        var v: String
        var rv: Int64
        var start: String
    }

    /// The token continuing after `lastKey`, for a list of keys under `keyPrefix`.
    public static func after(lastKey: String, keyPrefix: String, revision: Revision) throws -> ContinueToken {
        guard lastKey.hasPrefix(keyPrefix), lastKey != keyPrefix else {
            throw StorageError.invalidArgument(
                "unable to encode next field: the key \(lastKey) and key prefix \(keyPrefix) do not match")
        }
        return ContinueToken(revision: revision, start: String(lastKey.dropFirst(keyPrefix.count)) + "\u{0}")
    }

    /// The encoded token.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(Wire(v: "meta.k8s.io/v1", rv: revision, start: start))) ?? Data()
        return json.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes `token` for a list under `keyPrefix`; returns the token and the full key to continue from.
    /// Throws `.invalidArgument("continue key is not valid: …")` for anything malformed.
    public static func decode(_ token: String, keyPrefix: String) throws -> (token: ContinueToken, fromKey: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if token.contains("=") || token.contains("+") || token.contains("/") {
            throw invalid("illegal base64 data")
        }
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { throw invalid("illegal base64 data") }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: data)
        } catch {
            throw invalid("the token is not a JSON continue token")
        }
        guard wire.v == "meta.k8s.io/v1" else {
            throw invalid("server does not recognize this encoded version \(wire.v)")
        }
        guard wire.rv != 0 else { throw invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)") }
        guard !wire.start.isEmpty else { throw invalid("encoded start key empty (version meta.k8s.io/v1)") }
        let key = wire.start.hasPrefix("/") ? wire.start : "/" + wire.start
        guard cleanPath(key) == key else { throw invalid(wire.start) }
        return (ContinueToken(revision: wire.rv, start: wire.start), keyPrefix + key.dropFirst())
    }

    private static func invalid(_ detail: String) -> StorageError {
        .invalidArgument("continue key is not valid: \(detail)")
    }

    /// Go's `path.Clean` for absolute paths: removes `.`/`..` elements, doubled and trailing slashes.
    static func cleanPath(_ path: String) -> String {
        var parts: [Substring] = []
        for element in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch element {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(element)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
