import Foundation

/// The decoded query string of a request.
///
/// Value type; Sendable.
struct QueryParameters: Sendable {
    private var values: [String: [String]] = [:]

    init(query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(String(parts[0]))
            let value = parts.count > 1 ? Self.decode(String(parts[1])) : ""
            values[key, default: []].append(value)
        }
    }

    private static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? text
    }

    subscript(_ key: String) -> String? { values[key]?.first }

    func all(_ key: String) -> [String] { values[key] ?? [] }

    /// `true`, `1` (as the API server accepts for watch) and friends.
    func flag(_ key: String) -> Bool {
        guard let value = self[key] else { return false }
        return value == "true" || value == "1" || value.isEmpty
    }

    func integer(_ key: String) -> Int64? {
        self[key].flatMap { Int64($0) }
    }

    /// `dryRun=All` (any value but empty means a dry run; unknown values are rejected by the caller).
    var dryRun: [String] { all("dryRun").filter { !$0.isEmpty } }
}
