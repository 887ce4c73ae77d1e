import KubeCore
import Logging

/// The `pods/log` subresource (upstream `LogREST`): validates the options and the container, then streams the
/// node's log bytes as `text/plain`, each chunk flushed as it arrives, until the log ends (or, with `follow`,
/// the container stops) or the client goes away. RBAC: `get` on `pods/log` (checked before routing).
extension APIHandler {
    func podLog(_ context: RequestContext) async throws -> APIResponse {
        let podName = context.name!
        let options = try PodStreamRequest.logOptions(context.query, podName: podName)
        let pod = try await objects.get(context.resource, namespace: context.namespace, name: podName).object
        let container = try PodStreamRequest.container(named: context.query["container"] ?? "", in: pod)
        let nodeName = pod["spec"]?["nodeName"]?.stringValue ?? ""
        // Upstream answers an unscheduled pod's log with an empty stream.
        if nodeName.isEmpty { return Self.plainText([]) }
        guard let backend = podStreaming.backend else { throw PodStreamRequest.noKubelet(nodeName: nodeName) }
        let target = PodStreamTarget(
            namespace: context.namespace ?? "", podName: podName, podUID: pod.uid, nodeName: nodeName,
            containerName: container)
        let stream: AsyncThrowingStream<[UInt8], any Error>
        do {
            stream = try await backend.logs(target, options: options)
        } catch {
            throw PodStreamingError.apiError(error, target: target)
        }
        let logger = self.logger
        let limit = options.limitBytes
        return APIResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .stream { emit in
            var remaining = limit ?? Int64.max
            do {
                for try await chunk in stream where !chunk.isEmpty {
                    if Int64(chunk.count) >= remaining {
                        await emit(Array(chunk.prefix(Int(remaining))))
                        return
                    }
                    remaining -= Int64(chunk.count)
                    await emit(chunk)
                }
            } catch is CancellationError {
                return
            } catch {
                // The 200 is already sent: end the body cleanly, as upstream does when the kubelet's stream breaks.
                logger.warning("Pod log stream failed", metadata: [
                    "pod": "\(target.namespace)/\(target.podName)", "container": "\(target.containerName)",
                    "error": "\(error)",
                ])
            }
        })
    }

    private static func plainText(_ bytes: [UInt8]) -> APIResponse {
        APIResponse(status: 200, headers: [("Content-Type", "text/plain")], body: .bytes(bytes))
    }
}
