import Foundation
import KubeClient
import KubeCore
import Synchronization

/// A test transport: lists answer from seeded objects, watches stay open and silent, and every write is
/// recorded and echoed back (creates get a generated name).
///
/// Thread-safe.
final class InMemoryAPITransport: APITransport {
    struct Write: Sendable, Equatable {
        var method: String
        var path: String
    }

    /// Items by collection path without namespace, e.g. `/api/v1/pods`.
    private let lists: [String: [JSONValue]]
    private let recorded = Mutex<[Write]>([])
    private let counter = Atomic<Int>(0)

    init(lists: [String: [JSONValue]]) {
        self.lists = lists
    }

    var writes: [Write] { recorded.withLock { $0 } }

    static func json<Value: Encodable>(_ value: Value, kind: String, apiVersion: String) -> JSONValue {
        var object = try! KubeJSON.decode(JSONValue.self, from: KubeJSON.encode(value))
        if case .object(var members) = object {
            members["kind"] = .string(kind)
            members["apiVersion"] = .string(apiVersion)
            object = .object(members)
        }
        return object
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        if request.method == "GET" {
            guard let items = lists[request.path] else {
                return TransportResponse(status: 404, body: Array(#"{"kind":"Status","status":"Failure","reason":"NotFound","code":404}"#.utf8))
            }
            let list: JSONValue = ["metadata": ["resourceVersion": "1"], "items": .array(items)]
            return TransportResponse(status: 200, body: JSONValueWriter.bytes(list))
        }
        recorded.withLock { $0.append(Write(method: request.method, path: request.path)) }
        var body = (try? KubeJSON.decode(JSONValue.self, from: Data(request.body))) ?? .object([:])
        if request.method == "POST", case .object(var members) = body, case .object(var metadata)? = members["metadata"] {
            let number = counter.add(1, ordering: .relaxed).newValue
            if case .string(let prefix)? = metadata["generateName"], metadata["name"] == nil {
                metadata["name"] = .string("\(prefix)\(number)")
            }
            metadata["uid"] = .string("created-\(number)")
            members["metadata"] = .object(metadata)
            body = .object(members)
        }
        return TransportResponse(status: request.method == "POST" ? 201 : 200, body: JSONValueWriter.bytes(body))
    }

    func stream(_ request: TransportRequest) async throws -> TransportStream {
        let (chunks, _) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        return TransportStream(status: 200, chunks: chunks)
    }
}
