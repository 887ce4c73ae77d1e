import Foundation
public import KubeAPI
public import KubeClient
public import KubeCore
public import Logging
public import ServiceLifecycle
import Synchronization

/// Records core/v1 Events about objects, as upstream's `record.EventRecorder`: `record` never blocks the
/// caller (events queue in a bounded buffer, the oldest dropped when it is full); `run()` writes them. An
/// event equal to a recent one (same object, type, reason, message) raises that Event's `count` and
/// `lastTimestamp` instead of creating another.
///
/// Thread-safe; Sendable. `run()` may be called once.
public final class EventRecorder: ServiceLifecycle.Service, Sendable {
    /// `Normal` or `Warning`.
    public enum EventType: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    /// One event to write.
    struct Pending: Sendable {
        var involvedObject: ObjectReference
        var type: EventType
        var reason: String
        var message: String
        var time: Date
    }

    /// What the recorder remembers of an Event it wrote, for aggregation.
    private struct Written {
        var name: String
        var namespace: String
        var count: Int32
    }

    private struct AggregationKey: Hashable {
        var object: String
        var type: String
        var reason: String
        var message: String
    }

    public let component: String
    public let host: String
    private let client: APIClient
    private let logger: Logger
    private let stream: AsyncStream<Pending>
    private let continuation: AsyncStream<Pending>.Continuation
    private let written = Mutex<[AggregationKey: Written]>([:])

    /// - Parameters:
    ///   - component: `source.component` and `reportingComponent` (`deployment-controller`, `default-scheduler`).
    ///   - host: `source.host` (the node name for a kubelet), empty for control-plane components.
    public init(client: APIClient, component: String, host: String = "", bufferSize: Int = 1000, logger: Logger) {
        self.client = client
        self.component = component
        self.host = host
        var logger = logger
        logger[metadataKey: "component"] = "\(component)"
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(of: Pending.self, bufferingPolicy: .bufferingNewest(bufferSize))
    }

    /// Queues an event about `object`.
    public func record<Object: KubeResource>(_ object: Object, type: EventType, reason: String, message: String,
                                             fieldPath: String = "") {
        let info = Object.resource
        let reference = ObjectReference(
            kind: info.kind, namespace: info.namespaced ? object.metadata.namespace : "", name: object.metadata.name,
            uid: object.metadata.uid, apiVersion: info.apiVersion, resourceVersion: object.metadata.resourceVersion,
            fieldPath: fieldPath)
        record(about: reference, type: type, reason: reason, message: message)
    }

    /// Queues an event about the object `reference` names.
    public func record(about reference: ObjectReference, type: EventType, reason: String, message: String) {
        continuation.yield(Pending(involvedObject: reference, type: type, reason: reason, message: message, time: Date()))
    }

    public func run() async throws {
        await withTaskCancellationHandler {
            for await pending in stream {
                await write(pending)
            }
        } onCancel: {
            continuation.finish()
        }
    }

    private func write(_ pending: Pending) async {
        let reference = pending.involvedObject
        let key = AggregationKey(
            object: "\(reference.apiVersion)/\(reference.kind)/\(reference.namespace)/\(reference.name)/\(reference.uid)",
            type: pending.type.rawValue, reason: pending.reason, message: pending.message)
        let namespace = reference.namespace.isEmpty ? "default" : reference.namespace
        let time = RFC3339Time(pending.time)
        do {
            if let previous = written.withLock({ $0[key] }) {
                let count = previous.count + 1
                let patch = "{\"count\":\(count),\"lastTimestamp\":\"\(time)\"}"
                _ = try await client.patch(Event.self, namespace: previous.namespace, name: previous.name, type: .merge,
                                           patch: Array(patch.utf8))
                written.withLock { $0[key]?.count = count }
                return
            }
        } catch let error as APIError where error.reason == .notFound {
            written.withLock { _ = $0.removeValue(forKey: key) }
        } catch {
            logger.debug("Event update failed", metadata: ["reason": "\(pending.reason)", "error": "\(error)"])
            return
        }
        let nanos = UInt64(max(0, pending.time.timeIntervalSince1970 * 1_000_000_000))
        var event = Event()
        event.metadata.name = "\(reference.name).\(String(nanos, radix: 16))"
        event.metadata.namespace = namespace
        event.involvedObject = reference
        event.reason = pending.reason
        event.message = pending.message
        event.type = pending.type.rawValue
        event.source = EventSource(component: component, host: host)
        event.firstTimestamp = time
        event.lastTimestamp = time
        event.count = 1
        event.reportingComponent = component
        event.reportingInstance = host
        do {
            let created = try await client.create(event)
            written.withLock { written in
                if written.count > 4096 { written.removeAll() }
                written[key] = Written(name: created.metadata.name, namespace: namespace, count: 1)
            }
        } catch {
            logger.debug("Event write failed", metadata: ["reason": "\(pending.reason)", "error": "\(error)"])
        }
    }
}
