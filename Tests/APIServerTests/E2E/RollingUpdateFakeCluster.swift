import Foundation
import KubeAPI
import KubeClient
import KubeCore
import KubeCLI
import Synchronization

/// An in-memory API for ReplicationControllers and pods with an instant replication controller: every write
/// of a controller makes its pods (Ready) match `spec.replicas` and its status report them. Records every
/// write as a line (`scale frontend-x 1`, `create frontend-x`, ...) so tests can assert the sequence.
///
/// Thread-safe (one Mutex).
final class RollingUpdateFakeCluster: APITransport {
    private struct State {
        var controllers: [String: ReplicationController] = [:]
        var pods: [String: Pod] = [:]
        var revision = 100
        var nextPod = 0
        var writes: [String] = []
    }

    private let state = Mutex(State())
    private static let prefix = "/api/v1/namespaces/default/"

    var writes: [String] { state.withLock { $0.writes } }
    func controller(_ name: String) -> ReplicationController? { state.withLock { $0.controllers[name] } }
    var controllerNames: [String] { state.withLock { $0.controllers.keys.sorted() } }
    var pods: [Pod] { state.withLock { Array($0.pods.values) } }

    func seed(_ rc: ReplicationController) {
        state.withLock { state in
            var created = rc
            created.metadata.uid = "uid-\(rc.metadata.name)"
            created.metadata.generation = 1
            Self.store(&created, in: &state)
        }
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        state.withLock { state in Self.handle(request, state: &state) }
    }

    func stream(_ request: TransportRequest) async throws -> TransportStream {
        let response = try await send(request)
        let (chunks, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        continuation.yield(response.body)
        continuation.finish()
        return TransportStream(status: response.status, chunks: chunks)
    }

    // MARK: Handling

    private static func handle(_ request: TransportRequest, state: inout State) -> TransportResponse {
        guard request.path.hasPrefix(prefix) else { return notFound("path", request.path) }
        let parts = request.path.dropFirst(prefix.count).split(separator: "/").map(String.init)
        let resource = parts[0]
        let name = parts.count > 1 ? parts[1] : nil
        let selector = labelSelector(request.query)
        switch (resource, request.method, name) {
        case ("replicationcontrollers", "GET", nil):
            let items = state.controllers.values.sorted { $0.metadata.name < $1.metadata.name }
            return ok(ResourceList(items: items))
        case ("replicationcontrollers", "GET", let name?):
            guard let rc = state.controllers[name] else { return notFound("replicationcontrollers", name) }
            return ok(rc)
        case ("replicationcontrollers", "POST", nil):
            var rc = try! KubeJSON.decode(ReplicationController.self, from: Data(request.body))
            guard state.controllers[rc.metadata.name] == nil else {
                return status(409, "AlreadyExists", "replicationcontrollers \"\(rc.metadata.name)\" already exists")
            }
            rc.metadata.uid = "uid-\(rc.metadata.name)-\(state.revision)"
            rc.metadata.generation = 1
            state.writes.append("create \(rc.metadata.name) replicas=\(rc.spec.replicas ?? 0)")
            store(&rc, in: &state)
            return ok(state.controllers[rc.metadata.name]!)
        case ("replicationcontrollers", "PUT", let name?):
            var rc = try! KubeJSON.decode(ReplicationController.self, from: Data(request.body))
            guard let current = state.controllers[name] else { return notFound("replicationcontrollers", name) }
            guard rc.metadata.resourceVersion == current.metadata.resourceVersion else {
                return status(409, "Conflict", "the object has been modified")
            }
            rc.metadata.uid = current.metadata.uid
            rc.metadata.generation = current.metadata.generation + (rc.spec == current.spec ? 0 : 1)
            if rc.spec.replicas != current.spec.replicas {
                state.writes.append("scale \(name) \(rc.spec.replicas ?? 0)")
            }
            if rc.spec.selector != current.spec.selector {
                state.writes.append("selector \(name) \(rc.spec.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))")
            }
            store(&rc, in: &state)
            return ok(state.controllers[name]!)
        case ("replicationcontrollers", "DELETE", let name?):
            guard state.controllers.removeValue(forKey: name) != nil else { return notFound("replicationcontrollers", name) }
            state.writes.append("delete \(name)")
            return status(200, "", "")
        case ("pods", "GET", nil):
            let items = state.pods.values.filter { pod in selector.allSatisfy { pod.metadata.labels[$0.key] == $0.value } }
                .sorted { $0.metadata.name < $1.metadata.name }
            return ok(ResourceList(items: items))
        case ("pods", "PATCH", let name?):
            guard var pod = state.pods[name] else { return notFound("pods", name) }
            let patch = try! JSONSerialization.jsonObject(with: Data(request.body)) as! [String: Any]
            let labels = (patch["metadata"] as? [String: Any])?["labels"] as? [String: String] ?? [:]
            pod.metadata.labels.merge(labels) { $1 }
            state.pods[name] = pod
            return ok(pod)
        case ("pods", "DELETE", let name?):
            state.pods.removeValue(forKey: name)
            return status(200, "", "")
        default:
            return status(405, "MethodNotAllowed", "\(request.method) \(request.path)")
        }
    }

    /// Stores the controller and runs the instant replication controller for it.
    private static func store(_ rc: inout ReplicationController, in state: inout State) {
        state.revision += 1
        rc.metadata.resourceVersion = String(state.revision)
        let owned = state.pods.values.filter { pod in
            pod.metadata.deletionTimestamp == nil && !rc.spec.selector.isEmpty
                && rc.spec.selector.allSatisfy { pod.metadata.labels[$0.key] == $0.value }
        }.sorted { $0.metadata.name < $1.metadata.name }
        let wanted = Int(rc.spec.replicas ?? 1)
        if owned.count > wanted {
            for pod in owned.suffix(owned.count - wanted) { state.pods.removeValue(forKey: pod.metadata.name) }
        } else if owned.count < wanted, let template = rc.spec.template {
            for _ in owned.count..<wanted {
                state.nextPod += 1
                var pod = Pod()
                pod.metadata.name = "\(rc.metadata.name)-pod\(state.nextPod)"
                pod.metadata.namespace = "default"
                pod.metadata.labels = template.metadata.labels
                pod.spec = template.spec
                pod.status.conditions = [PodCondition(type: "Ready", status: "True")]
                state.pods[pod.metadata.name] = pod
            }
        }
        rc.status.replicas = Int32(wanted)
        rc.status.readyReplicas = Int32(wanted)
        rc.status.observedGeneration = rc.metadata.generation
        state.controllers[rc.metadata.name] = rc
    }

    private static func labelSelector(_ query: String?) -> [String: String] {
        guard let query else { return [:] }
        for item in query.split(separator: "&") where item.hasPrefix("labelSelector=") {
            let value = String(item.dropFirst("labelSelector=".count)).removingPercentEncoding ?? ""
            var result: [String: String] = [:]
            for pair in value.split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { result[kv[0]] = kv[1] }
            }
            return result
        }
        return [:]
    }

    private static func ok<Value: Encodable>(_ value: Value) -> TransportResponse {
        TransportResponse(status: 200, body: [UInt8](try! KubeJSON.encode(value)))
    }

    private static func notFound(_ resource: String, _ name: String) -> TransportResponse {
        status(404, "NotFound", "\(resource) \"\(name)\" not found")
    }

    private static func status(_ code: Int, _ reason: String, _ message: String) -> TransportResponse {
        let body = try! KubeJSON.encode(Status(status: code < 300 ? "Success" : "Failure", message: message,
                                               reason: StatusReason(rawValue: reason), code: Int32(code)))
        return TransportResponse(status: code, body: [UInt8](body))
    }
}

/// Virtual time: `sleep` advances `now` at once and records the durations slept.
///
/// Thread-safe (a Mutex).
final class VirtualRollingUpdateClock: RollingUpdateClock {
    private let state = Mutex((now: Date(timeIntervalSince1970: 1_000_000), slept: [Duration]()))

    var slept: [Duration] { state.withLock { $0.slept } }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        state.withLock { state in
            state.now = state.now.addingTimeInterval(Double(duration.components.seconds)
                + Double(duration.components.attoseconds) / 1e18)
            state.slept.append(duration)
        }
    }
}

/// Collected output lines.
///
/// Thread-safe (a Mutex).
final class OutputLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}
