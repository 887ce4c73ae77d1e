import Foundation
import KubeStorage

/// A blocking client of etcd's v3 JSON gateway (`/v3/kv/txn`, `/v3/kv/range`) over one keep-alive
/// connection to 127.0.0.1, with the request shapes the Kubernetes API server uses.
///
/// Concurrency contract: not thread-safe and not Sendable, like its `BlockingHTTPConnection`: one thread
/// owns a client and every call blocks that thread.
final class EtcdGatewayClient {
    private let connection: BlockingHTTPConnection
    private let decoder = JSONDecoder()

    init(port: UInt16, timeoutSeconds: Int = 60) throws {
        connection = try BlockingHTTPConnection(port: port, timeoutSeconds: timeoutSeconds)
        decoder.keyDecodingStrategy = .convertFromSnakeCase
    }

    func close() { connection.close() }

    /// Creates `key` if absent: compare `MOD == 0`, put, else range.
    func create(_ key: String, value: [UInt8]) throws -> BenchmarkWrite {
        try conditionalPut(key, value: value, modRevision: 0)
    }

    /// Replaces `key` if its mod revision is `expected`: compare `MOD == expected`, put, else range.
    func update(_ key: String, value: [UInt8], expected: Revision) throws -> BenchmarkWrite {
        try conditionalPut(key, value: value, modRevision: expected)
    }

    /// One key's value size, or nil when absent (a linearizable range).
    func get(_ key: String) throws -> Int? {
        let response: RangeResponse = try post("/v3/kv/range", "{\"key\":\"\(Self.base64(key))\"}")
        guard let kv = response.kvs?.first else { return nil }
        return Self.decodeBase64(kv.value ?? "").count
    }

    /// Every key with `prefix`, values decoded; returns how many.
    func list(prefix: String) throws -> Int {
        let end = KeyRange.prefixEnd(Array(prefix.utf8))
        let body = "{\"key\":\"\(Self.base64(prefix))\",\"range_end\":\"\(Self.base64(end))\"}"
        let response: RangeResponse = try post("/v3/kv/range", body)
        var bytes = 0
        for kv in response.kvs ?? [] {
            bytes += Self.decodeBase64(kv.key).count + Self.decodeBase64(kv.value ?? "").count
        }
        let count = response.kvs?.count ?? 0
        if count > 0 && bytes == 0 { throw StoreBenchmarkError.etcd("list of \(prefix) returned empty keys") }
        return count
    }

    /// Puts every pair in one transaction (at most 128, etcd's `--max-txn-ops`).
    func putAll(_ pairs: [(key: String, value: [UInt8])]) throws {
        let puts = pairs.map { pair in
            "{\"request_put\":{\"key\":\"\(Self.base64(pair.key))\",\"value\":\"\(Self.base64(pair.value))\"}}"
        }
        let _: TxnResponse = try post("/v3/kv/txn", "{\"success\":[\(puts.joined(separator: ","))]}")
    }

    /// Whether `/health` answers `"health":"true"`.
    func isHealthy() -> Bool {
        guard let response = try? connection.request("GET", "/health"), response.status == 200 else { return false }
        return String(decoding: response.body, as: UTF8.self).contains("\"true\"")
    }

    /// The value of an unlabelled Prometheus counter from `/metrics` (e.g. the WAL fsync count), or nil.
    func metric(_ name: String) -> Double? {
        guard let response = try? connection.request("GET", "/metrics"), response.status == 200 else { return nil }
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1).trimmingSpaces())
        }
        return nil
    }

    // MARK: - Requests

    private func conditionalPut(_ key: String, value: [UInt8], modRevision: Revision) throws -> BenchmarkWrite {
        let encodedKey = Self.base64(key)
        let body = """
            {"compare":[{"key":"\(encodedKey)","target":"MOD","result":"EQUAL","mod_revision":"\(modRevision)"}],\
            "success":[{"request_put":{"key":"\(encodedKey)","value":"\(Self.base64(value))"}}],\
            "failure":[{"request_range":{"key":"\(encodedKey)"}}]}
            """
        let response: TxnResponse = try post("/v3/kv/txn", body)
        if response.succeeded == true {
            guard let revision = response.header?.revision.flatMap({ Int64($0) }) else {
                throw StoreBenchmarkError.unexpected("etcd txn succeeded without a header revision")
            }
            return .committed(revision)
        }
        let current = response.responses?.first?.responseRange?.kvs?.first?.modRevision.flatMap { Int64($0) }
        return .conflict(current: current)
    }

    private func post<Body: Decodable>(_ path: String, _ json: String) throws -> Body {
        let response = try connection.request("POST", path, body: Array(json.utf8))
        guard response.status == 200 else {
            let text = String(decoding: response.body.prefix(500), as: UTF8.self)
            throw StoreBenchmarkError.etcd("\(path) answered HTTP \(response.status): \(text)")
        }
        do {
            return try decoder.decode(Body.self, from: Data(response.body))
        } catch {
            throw StoreBenchmarkError.etcd("cannot decode the answer of \(path): \(error)")
        }
    }

    private static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    private static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
    private static func decodeBase64(_ text: String) -> Data { Data(base64Encoded: text) ?? Data() }

    // MARK: - Gateway JSON (int64 fields are strings; absent fields mean zero)

    private struct Header: Decodable { var revision: String? }
    private struct KV: Decodable {
        var key: String
        var value: String?
        var modRevision: String?
    }
    private struct RangeResponse: Decodable {
        var header: Header?
        var kvs: [KV]?
        var count: String?
    }
    private struct ResponseOp: Decodable { var responseRange: RangeResponse? }
    private struct TxnResponse: Decodable {
        var header: Header?
        var succeeded: Bool?
        var responses: [ResponseOp]?
    }
}
